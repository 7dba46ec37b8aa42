//! TOM's single-page application (Leptos, client-side rendering, compiled to wasm).

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod session;
mod util;
mod worker;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
