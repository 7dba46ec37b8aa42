//! Every server call of the SPA, typed with `shared::api`. Components never build URLs or parse
//! JSON themselves.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use shared::api::{
    Diagnostic, Fleet, LineDecision, Me, OrderDetail, OrderLine, OrderReceipt, OrderRefused,
    OrderSource, OrderSummary, Queue, StructureDetail, CSRF_HEADER, IDEMPOTENCY_HEADER,
    ORDER_SOURCE_HEADER,
};
use shared::errors::{ErrorBody, ErrorCode};
use shared::tracking::LineAction;

/// An API error as the user reads it: the stable code and the French message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn network() -> Self {
        Self {
            code: "network".into(),
            message: "Le serveur TOM ne répond pas. Vérifiez votre connexion réseau puis rechargez la page.".into(),
        }
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError::network());
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError {
            code: body.code,
            message: body.message,
        }),
        Err(_) => Err(ApiError {
            code: ErrorCode::Internal.code().into(),
            message: ErrorCode::Internal.message().into(),
        }),
    }
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}

pub async fn get_diagnostic() -> Result<Diagnostic, ApiError> {
    get_json("/api/diagnostic").await
}

pub async fn get_me() -> Result<Me, ApiError> {
    get_json("/api/me").await
}

/// "Se connecter avec ma carte".
pub async fn login() -> Result<Me, ApiError> {
    let response = Request::post("/api/session")
        .header(CSRF_HEADER, "connexion")
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}

/// "Se déconnecter".
pub async fn logout(csrf_token: &str) -> Result<(), ApiError> {
    let response = Request::delete("/api/session")
        .header(CSRF_HEADER, csrf_token)
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    if response.ok() {
        Ok(())
    } else {
        decode::<()>(response).await
    }
}

pub async fn get_structure(id: &str) -> Result<StructureDetail, ApiError> {
    get_json(&format!(
        "/api/structures/{}",
        js_sys::encode_uri_component(id)
    ))
    .await
}

/// Why an order submission did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitError {
    /// The server found errors in the file: each with its line and field.
    Refused(OrderRefused),
    Api(ApiError),
}

/// Sends an order file (a `File`, or the XML text of the form or of a converted spreadsheet)
/// with its idempotency key.
pub async fn submit_order(
    structure_id: &str,
    body: wasm_bindgen::JsValue,
    idempotency_key: &str,
    source: OrderSource,
    csrf_token: &str,
) -> Result<OrderReceipt, SubmitError> {
    let url = format!(
        "/api/structures/{}/orders",
        js_sys::encode_uri_component(structure_id)
    );
    let response = Request::post(&url)
        .header(CSRF_HEADER, csrf_token)
        .header(IDEMPOTENCY_HEADER, idempotency_key)
        .header(ORDER_SOURCE_HEADER, source.code())
        .header("content-type", "application/xml")
        .body(body)
        .map_err(|_| SubmitError::Api(ApiError::network()))?
        .send()
        .await
        .map_err(|_| SubmitError::Api(ApiError::network()))?;
    if response.status() == 422 {
        if let Ok(refused) = response.json::<OrderRefused>().await {
            return Err(SubmitError::Refused(refused));
        }
        return Err(SubmitError::Api(ApiError::network()));
    }
    decode(response).await.map_err(SubmitError::Api)
}

pub async fn list_orders(
    structure_id: &str,
    status: &str,
    from: &str,
    to: &str,
) -> Result<Vec<OrderSummary>, ApiError> {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    get_json(&format!(
        "/api/structures/{}/orders?status={}&du={}&au={}",
        enc(structure_id),
        enc(status),
        enc(from),
        enc(to)
    ))
    .await
}

pub async fn get_order(order_id: &str) -> Result<OrderDetail, ApiError> {
    get_json(&format!(
        "/api/orders/{}",
        js_sys::encode_uri_component(order_id)
    ))
    .await
}

pub async fn get_fleet(structure_id: &str) -> Result<Fleet, ApiError> {
    get_json(&format!(
        "/api/structures/{}/cards",
        js_sys::encode_uri_component(structure_id)
    ))
    .await
}

pub async fn get_queue(status: &str) -> Result<Queue, ApiError> {
    get_json(&format!(
        "/api/operator/lines?status={}",
        js_sys::encode_uri_component(status)
    ))
    .await
}

/// Uploads the supporting document of a line.
pub async fn put_document(
    order_id: &str,
    line_no: i64,
    file: &web_sys::File,
    csrf_token: &str,
) -> Result<OrderLine, ApiError> {
    let url = format!(
        "/api/orders/{}/lines/{line_no}/document",
        js_sys::encode_uri_component(order_id)
    );
    let response = Request::put(&url)
        .header(CSRF_HEADER, csrf_token)
        .header("content-type", "application/octet-stream")
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|_| ApiError::network())?
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}

/// An operator's action on a line (a reason to reject).
pub async fn act_on_line(
    order_id: &str,
    line_no: i64,
    action: LineAction,
    reason: Option<String>,
    csrf_token: &str,
) -> Result<OrderLine, ApiError> {
    let url = format!(
        "/api/operator/lines/{}/{line_no}/{}",
        js_sys::encode_uri_component(order_id),
        action.code()
    );
    let response = Request::post(&url)
        .header(CSRF_HEADER, csrf_token)
        .json(&LineDecision { reason })
        .map_err(|_| ApiError::network())?
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}
