//! The page side of the validation Web Worker: start it, send a file, receive progress and the
//! outcome. The worker script's hashed name comes from `<meta name="tom-worker">` in index.html.

use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// One error of the file, as the validator reports it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FileError {
    pub line: u32,
    pub column: u32,
    pub path: String,
    pub code: String,
    pub message: String,
    pub severity: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Outcome {
    pub valid: bool,
    pub operations: usize,
    pub errors: Vec<FileError>,
}

/// What the page shows while and after a file is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Idle,
    Running {
        done: f64,
        total: f64,
    },
    Done {
        outcome: Outcome,
        millis: f64,
        total: f64,
    },
    Failed(String),
    /// A spreadsheet converted by the worker (JSON of `validator::convert_sheet`).
    Table(String),
}

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn worker_url() -> Option<String> {
    let document = web_sys::window()?.document()?;
    document
        .query_selector("meta[name=tom-worker]")
        .ok()??
        .get_attribute("content")
}

/// A validation worker bound to a `Progress` signal.
pub struct ValidationWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl ValidationWorker {
    pub fn start(progress: RwSignal<Progress>) -> Result<Self, String> {
        let url =
            worker_url().ok_or("Le module de vérification est introuvable : rechargez la page.")?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&url, &options).map_err(|_| {
            "Votre navigateur ne permet pas la vérification en arrière-plan (Web Worker)."
                .to_string()
        })?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let kind = get(&data, "type").as_string().unwrap_or_default();
            match kind.as_str() {
                "progress" => progress.set(Progress::Running {
                    done: get(&data, "done").as_f64().unwrap_or(0.0),
                    total: get(&data, "total").as_f64().unwrap_or(0.0),
                }),
                "table" => progress.set(Progress::Table(
                    get(&data, "json").as_string().unwrap_or_default(),
                )),
                "result" => {
                    let json = get(&data, "json").as_string().unwrap_or_default();
                    progress.set(match serde_json::from_str::<Outcome>(&json) {
                        Ok(outcome) => Progress::Done {
                            outcome,
                            millis: get(&data, "millis").as_f64().unwrap_or(0.0),
                            total: get(&data, "total").as_f64().unwrap_or(0.0),
                        },
                        Err(_) => Progress::Failed("Résultat de la vérification illisible.".into()),
                    });
                }
                _ => progress.set(Progress::Failed(format!(
                    "La vérification a échoué : {}",
                    get(&data, "message").as_string().unwrap_or_default()
                ))),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            _on_message: on_message,
        })
    }

    /// Sends the file (the worker reads it: nothing goes to the server).
    pub fn check(&self, file: &web_sys::Blob) {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"file".into(), file);
        let today = js_sys::Date::new_0()
            .to_iso_string()
            .as_string()
            .unwrap_or_default();
        let _ = js_sys::Reflect::set(
            &message,
            &"today".into(),
            &JsValue::from_str(&today[..10.min(today.len())]),
        );
        let _ = self.worker.post_message(&message);
    }
}

impl ValidationWorker {
    /// Converts a filled spreadsheet template (XLSX or CSV) to the XML order for `header`; the
    /// conversion comes back as `Progress::Table`.
    pub fn convert_sheet(&self, file: &web_sys::File, header: &shared::order::sheet::SheetHeader) {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"file".into(), file);
        let _ = js_sys::Reflect::set(&message, &"sheet".into(), &JsValue::TRUE);
        let header = serde_json::to_string(header).unwrap_or_default();
        let _ = js_sys::Reflect::set(&message, &"header".into(), &JsValue::from_str(&header));
        let _ = self.worker.post_message(&message);
    }

    /// Checks XML text (the order form, a converted spreadsheet).
    pub fn check_text(&self, xml: &str) {
        if let Some(blob) = crate::util::text_blob(xml, "application/xml") {
            self.check(&blob);
        }
    }
}

impl Drop for ValidationWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
