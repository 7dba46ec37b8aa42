//! What every page does on arrival: its own `<title>`, and after a navigation the keyboard focus
//! on its main heading, so that a screen reader announces the new page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Sets `document.title` to "`title` — TOM", again whenever `title` changes.
pub fn page_title(title: impl Fn() -> String + 'static) {
    Effect::new(move |_| document().set_title(&format!("{} — {}", title(), crate::i18n::APP_NAME)));
}

/// Moves the focus to the page's `<h1>` (made focusable), once the page has been drawn.
pub fn focus_main_heading() {
    request_animation_frame(|| focus_first("main h1"));
}

/// Moves the focus to the first element matching `selector`, made focusable by script only.
pub fn focus_first(selector: &str) {
    let Ok(Some(element)) = document().query_selector(selector) else {
        return;
    };
    let element: web_sys::HtmlElement = element.unchecked_into();
    if !element.has_attribute("tabindex") {
        let _ = element.set_attribute("tabindex", "-1");
    }
    let _ = element.focus();
}
