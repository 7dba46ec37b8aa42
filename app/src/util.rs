//! Small browser helpers: identifiers, dates, local storage, downloads and file reading.

use wasm_bindgen::JsCast;

/// A random UUID (crypto.randomUUID), for idempotency keys.
pub fn random_uuid() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("{}-{}", js_sys::Date::now(), js_sys::Math::random()))
}

/// Now, as `AAAA-MM-JJThh:mm:ssZ` (UTC, no milliseconds).
pub fn now_iso() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    format!("{}Z", &iso[..19.min(iso.len())])
}

/// A time given in milliseconds since 1970 (a file's `lastModified`), no later than now, as
/// `AAAA-MM-JJThh:mm:ssZ`.
pub fn iso_of_millis(millis: f64) -> String {
    let millis = millis.min(js_sys::Date::now());
    let iso: String = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis))
        .to_iso_string()
        .into();
    format!("{}Z", &iso[..19.min(iso.len())])
}

/// Now as a compact stamp for references: `AAAAMMJJhhmmss`.
pub fn now_stamp() -> String {
    now_iso().chars().filter(char::is_ascii_digit).collect()
}

/// A Unix time in French, local time: `24/11/2026 10:32`.
pub fn format_time(unix: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A Unix time as a French date, the day in metropolitan France (dates of validity and of end of
/// exercise are days in Paris, whatever the browser's time zone): `24/11/2026`.
pub fn format_date(unix: i64) -> String {
    let d = shared::fleet::paris_date(unix);
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

pub fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// Offers `content` as a file download.
pub fn download(name: &str, content: &str, media_type: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let Ok(a) = document.create_element("a") {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A text as a Blob (to hand to the validation worker or to upload).
pub fn text_blob(text: &str, media_type: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}

/// The element an event fired on, typed.
pub fn event_target<T: JsCast>(ev: &leptos::ev::Event) -> T {
    ev.target()
        .expect("cible de l'évènement")
        .unchecked_into::<T>()
}

/// A delegation's status as the lists say it: the status, the operator's reason, when it was
/// decided (and by whom, for operators), and when a validated mandate has since ended.
pub fn delegation_status(d: &shared::api::Delegation, with_decider: bool) -> String {
    let mut status = d.status.label().to_string();
    if let Some(reason) = &d.reason {
        status.push_str(&format!(" : {reason}"));
    }
    match (d.decided_at, &d.decided_by) {
        (Some(at), Some(by)) if with_decider => {
            status.push_str(&format!(" ({}, {by})", format_time(at)))
        }
        (Some(at), _) => status.push_str(&format!(" ({})", format_time(at))),
        _ => {}
    }
    if let Some(at) = d.mandate_ended_at {
        status.push_str(&format!(
            " — {} {}",
            crate::i18n::MANDATE_SINCE_ENDED,
            format_time(at)
        ));
    }
    status
}
