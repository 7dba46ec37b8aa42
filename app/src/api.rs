//! Every server call of the SPA, typed with `shared::api`. Components never build URLs or parse
//! JSON themselves.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use shared::api::{
    AuditPage, CardActionDone, CardDetail, Contact, Diagnostic, EndOfExerciseRequest, FleetFilter,
    FleetPage, FleetSummary, IncidentRequest, LineDecision, Me, OrderDetail, OrderLine,
    OrderReceipt, OrderRefused, OrderSource, OrderSummary, Queue, RenewalCreated, RenewalRequest,
    StructureDetail, CSRF_HEADER, IDEMPOTENCY_HEADER, ORDER_SOURCE_HEADER,
};
use shared::errors::{ErrorBody, ErrorCode};
use shared::tracking::LineAction;

/// An API error as the user reads it: the stable code and the French message.
///
/// Two kinds, never confused: the server answered and refused (its own `{code, message}`), or no
/// answer came at all (`network`, the only case where "the server does not answer" is true).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// No response: `fetch` itself failed (network down, server unreachable, connection cut).
    pub fn network() -> Self {
        Self {
            code: "network".into(),
            message: "Le serveur TOM ne répond pas. Vérifiez votre connexion réseau puis rechargez la page.".into(),
        }
    }

    /// The server answered with something TOM's API never sends (a proxy's page, a body that
    /// does not decode): shown as the internal error, whose message says whom to contact.
    fn unexpected() -> Self {
        ErrorCode::Internal.into()
    }

    /// Whether the message tells the user to contact the issuing service.
    pub fn asks_for_contact(&self) -> bool {
        self.code == ErrorCode::Internal.code()
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self {
            code: code.code().into(),
            message: code.message().into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// The refusal in a non-2xx body: the server's `{code, message}` as it was sent.
fn refusal(text: &str) -> ApiError {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => ApiError {
            code: body.code,
            message: body.message,
        },
        Err(_) => ApiError::unexpected(),
    }
}

/// The body of an answer; failing to read it means the connection broke mid-answer.
async fn body_text(response: &Response) -> Result<String, ApiError> {
    response.text().await.map_err(|_| ApiError::network())
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let text = body_text(&response).await?;
    if !response.ok() {
        return Err(refusal(&text));
    }
    serde_json::from_str(&text).map_err(|_| ApiError::unexpected())
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}

/// Filters of the audit journal: one structure's (legal representative) or all (operators).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub structure: Option<String>,
    pub action: String,
    /// AAAA-MM-JJ or empty.
    pub from: String,
    pub to: String,
    /// Older entries than this position (paging).
    pub before: Option<i64>,
}

fn audit_url(q: &AuditQuery, format: &str) -> String {
    let base = match &q.structure {
        Some(id) => format!("/api/structures/{}/audit", js_sys::encode_uri_component(id)),
        None => "/api/audit".to_string(),
    };
    let mut url = format!(
        "{base}?format={format}&action={}&du={}&au={}",
        js_sys::encode_uri_component(&q.action),
        js_sys::encode_uri_component(&q.from),
        js_sys::encode_uri_component(&q.to)
    );
    if let Some(before) = q.before {
        url.push_str(&format!("&avant={before}"));
    }
    url
}

/// One page of the audit journal, newest first.
pub async fn get_audit(q: &AuditQuery) -> Result<AuditPage, ApiError> {
    get_json(&audit_url(q, "json")).await
}

/// The address of the whole filtered journal as CSV (a plain download link).
pub fn audit_csv_url(q: &AuditQuery) -> String {
    audit_url(q, "csv")
}

/// Whom to contact at the issuing service (public, configured on the server).
pub async fn get_contact() -> Result<Contact, ApiError> {
    get_json("/api/contact").await
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
        Err(refusal(&body_text(&response).await?))
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
        .map_err(|_| SubmitError::Api(ApiError::unexpected()))?
        .send()
        .await
        .map_err(|_| SubmitError::Api(ApiError::network()))?;
    submitted(response).await
}

/// The answer to a request that carries an order: the value, the order's errors, or the
/// server's `{code, message}` (another structure's file, no mandate, session expired…).
async fn submitted<T: DeserializeOwned>(response: Response) -> Result<T, SubmitError> {
    let text = body_text(&response).await.map_err(SubmitError::Api)?;
    if response.ok() {
        return serde_json::from_str(&text).map_err(|_| SubmitError::Api(ApiError::unexpected()));
    }
    match serde_json::from_str::<OrderRefused>(&text) {
        Ok(refused) if !refused.errors.is_empty() => Err(SubmitError::Refused(refused)),
        _ => Err(SubmitError::Api(refusal(&text))),
    }
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

fn enc(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

fn card_url(structure_id: &str, serial: &str, action: &str) -> String {
    format!(
        "/api/structures/{}/cards/{}{action}",
        enc(structure_id),
        enc(serial)
    )
}

/// One page of a structure's fleet matching `filter`, after the cursor `after` (first page when
/// empty).
pub async fn get_fleet_page(
    structure_id: &str,
    filter: &FleetFilter,
    after: &str,
    limit: u32,
) -> Result<FleetPage, ApiError> {
    let mut url = format!(
        "/api/structures/{}/fleet?limite={limit}&apres={}",
        enc(structure_id),
        enc(after)
    );
    let query = filter.to_query();
    if !query.is_empty() {
        url.push('&');
        url.push_str(&query);
    }
    get_json(&url).await
}

/// The fleet's expiry chart and count by state.
pub async fn get_fleet_summary(structure_id: &str) -> Result<FleetSummary, ApiError> {
    get_json(&format!(
        "/api/structures/{}/fleet/summary",
        enc(structure_id)
    ))
    .await
}

/// The address of the fleet's download (`format`: `csv`, `xlsx` or `xml`) with the list's
/// filters, for a link with `download`: the browser saves the file as it arrives.
pub fn fleet_export_url(structure_id: &str, filter: &FleetFilter, format: &str) -> String {
    let mut url = format!(
        "/api/structures/{}/fleet/export?format={}",
        enc(structure_id),
        enc(format)
    );
    let query = filter.to_query();
    if !query.is_empty() {
        url.push('&');
        url.push_str(&query);
    }
    url
}

/// A card of the structure, its holder and its history.
pub async fn get_card(structure_id: &str, serial: &str) -> Result<CardDetail, ApiError> {
    get_json(&card_url(structure_id, serial, "")).await
}

async fn post_json<B: serde::Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    csrf_token: &str,
) -> Result<T, ApiError> {
    send_json(Request::post(url), body, csrf_token).await
}

/// Sends a JSON body with the CSRF token; the answer decoded.
async fn send_json<B: serde::Serialize, T: DeserializeOwned>(
    request: gloo_net::http::RequestBuilder,
    body: &B,
    csrf_token: &str,
) -> Result<T, ApiError> {
    let response = request
        .header(CSRF_HEADER, csrf_token)
        .json(body)
        .map_err(|_| ApiError::unexpected())?
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}

/// Changes a card's holder data and addresses (only the fields set).
pub async fn change_holder(
    structure_id: &str,
    serial: &str,
    change: &shared::order::model::HolderChange,
    csrf_token: &str,
) -> Result<CardActionDone, ApiError> {
    post_json(
        &card_url(structure_id, serial, "/porteur"),
        change,
        csrf_token,
    )
    .await
}

/// Declares the end of exercise of a card's holder on `date` (AAAA-MM-JJ).
pub async fn end_exercise(
    structure_id: &str,
    serial: &str,
    date: &str,
    csrf_token: &str,
) -> Result<CardActionDone, ApiError> {
    let body = EndOfExerciseRequest { date: date.into() };
    post_json(
        &card_url(structure_id, serial, "/fin-exercice"),
        &body,
        csrf_token,
    )
    .await
}

/// Declares a loss, a theft or a malfunction.
pub async fn declare_incident(
    structure_id: &str,
    serial: &str,
    request: &IncidentRequest,
    csrf_token: &str,
) -> Result<CardActionDone, ApiError> {
    post_json(
        &card_url(structure_id, serial, "/incident"),
        request,
        csrf_token,
    )
    .await
}

/// One renewal order for the cards `serials`.
pub async fn renew_cards(
    structure_id: &str,
    serials: Vec<String>,
    csrf_token: &str,
) -> Result<RenewalCreated, ApiError> {
    let url = format!("/api/structures/{}/fleet/renewals", enc(structure_id));
    post_json(&url, &RenewalRequest { serials }, csrf_token).await
}

/// The revocation lists the server applies (operators).
pub async fn get_crls() -> Result<shared::api::CrlReport, ApiError> {
    get_json("/api/operator/crls").await
}

/// One page of the back-office queue: lines in `status` (open ones when empty) matching the
/// search `q`, after the cursor `after` (the first page when empty).
pub async fn get_queue(status: &str, q: &str, after: &str) -> Result<Queue, ApiError> {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    get_json(&format!(
        "/api/operator/lines?status={}&q={}&apres={}",
        enc(status),
        enc(q),
        enc(after)
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
    send_file(
        Request::put(&url),
        file,
        "application/octet-stream",
        csrf_token,
    )
    .await
}

/// Sends a file as the body, with the CSRF token; the answer decoded.
async fn send_file<T: DeserializeOwned>(
    request: gloo_net::http::RequestBuilder,
    file: &web_sys::File,
    content_type: &str,
    csrf_token: &str,
) -> Result<T, ApiError> {
    let response = request
        .header(CSRF_HEADER, csrf_token)
        .header("content-type", content_type)
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|_| ApiError::unexpected())?
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
        .map_err(|_| ApiError::unexpected())?
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}

/// Changes a structure's coordinates; the structure as saved.
pub async fn put_structure(
    id: &str,
    coordinates: &shared::api::Coordinates,
    csrf_token: &str,
) -> Result<StructureDetail, ApiError> {
    send_json(
        Request::put(&format!("/api/structures/{}", enc(id))),
        coordinates,
        csrf_token,
    )
    .await
}

/// A structure's history: local edits and register overrides, newest first.
pub async fn get_structure_history(
    id: &str,
) -> Result<Vec<shared::api::StructureChange>, ApiError> {
    get_json(&format!("/api/structures/{}/history", enc(id))).await
}

/// Uploads a FINESS register extract (operators); the import's report.
pub async fn import_register(
    file: &web_sys::File,
    csrf_token: &str,
) -> Result<shared::api::RegisterImportReport, ApiError> {
    send_file(
        Request::post("/api/backoffice/register"),
        file,
        "text/plain",
        csrf_token,
    )
    .await
}

/// A structure's delegations (its legal representative, operators).
pub async fn get_delegations(structure_id: &str) -> Result<shared::api::DelegationList, ApiError> {
    get_json(&format!(
        "/api/structures/{}/delegations",
        enc(structure_id)
    ))
    .await
}

/// Where a delegation's identity document is read.
pub fn delegation_document_url(structure_id: &str, delegation_id: &str) -> String {
    format!(
        "/api/structures/{}/delegations/{}/piece",
        enc(structure_id),
        enc(delegation_id)
    )
}

/// Designates a mandataire: the request and the identity document, as multipart/form-data (the
/// browser writes the boundary). A card order with errors comes back with them.
pub async fn designate(
    structure_id: &str,
    request: &shared::api::DesignationRequest,
    document: &web_sys::File,
    csrf_token: &str,
) -> Result<shared::api::Delegation, SubmitError> {
    let form = web_sys::FormData::new().map_err(|_| SubmitError::Api(ApiError::unexpected()))?;
    let json =
        serde_json::to_string(request).map_err(|_| SubmitError::Api(ApiError::unexpected()))?;
    form.append_with_str("demande", &json)
        .and_then(|_| form.append_with_blob_and_filename("piece", document, &document.name()))
        .map_err(|_| SubmitError::Api(ApiError::unexpected()))?;
    let response = Request::post(&format!(
        "/api/structures/{}/delegations",
        enc(structure_id)
    ))
    .header(CSRF_HEADER, csrf_token)
    .body(wasm_bindgen::JsValue::from(form))
    .map_err(|_| SubmitError::Api(ApiError::unexpected()))?
    .send()
    .await
    .map_err(|_| SubmitError::Api(ApiError::network()))?;
    submitted(response).await
}

/// The legal representative withdraws a waiting designation.
pub async fn withdraw_delegation(
    structure_id: &str,
    delegation_id: &str,
    csrf_token: &str,
) -> Result<shared::api::Delegation, ApiError> {
    let url = format!(
        "/api/structures/{}/delegations/{}/retrait",
        enc(structure_id),
        enc(delegation_id)
    );
    post_json(&url, &serde_json::json!({}), csrf_token).await
}

/// The legal representative ends a mandataire's mandate.
pub async fn end_mandate(
    structure_id: &str,
    national_id: &str,
    csrf_token: &str,
) -> Result<shared::api::MandateEnded, ApiError> {
    let url = format!("/api/structures/{}/mandataires/fin", enc(structure_id));
    let body = shared::api::EndMandateRequest {
        national_id: national_id.to_string(),
    };
    post_json(&url, &body, csrf_token).await
}

/// The delegations in `status`, every structure (operators).
pub async fn get_delegations_in(
    status: shared::delegation::DelegationStatus,
) -> Result<shared::api::DelegationList, ApiError> {
    get_json(&format!(
        "/api/backoffice/delegations?statut={}",
        status.code()
    ))
    .await
}

/// An operator validates a delegation (`reason: None`) or rejects it with a reason.
pub async fn decide_delegation(
    delegation_id: &str,
    reason: Option<String>,
    csrf_token: &str,
) -> Result<shared::api::Delegation, ApiError> {
    let id = enc(delegation_id);
    match reason {
        None => {
            let url = format!("/api/backoffice/delegations/{id}/validation");
            post_json(&url, &serde_json::json!({}), csrf_token).await
        }
        Some(reason) => {
            let url = format!("/api/backoffice/delegations/{id}/rejet");
            post_json(&url, &shared::api::RejectDelegation { reason }, csrf_token).await
        }
    }
}

/// An operator registers a structure's contract and its legal representative.
pub async fn post_contract(
    request: &shared::api::ContractRequest,
    csrf_token: &str,
) -> Result<shared::api::Contract, ApiError> {
    post_json("/api/backoffice/contracts", request, csrf_token).await
}
