//! Every server call of the SPA, typed with `shared::api`. Components never build URLs or parse
//! JSON themselves.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use shared::api::{Diagnostic, Me, StructureDetail, CSRF_HEADER};
use shared::errors::{ErrorBody, ErrorCode};

/// An API error as the user reads it: the stable code and the French message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    fn network() -> Self {
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

pub async fn get_diagnostic() -> Result<Diagnostic, ApiError> {
    let response = Request::get("/api/diagnostic")
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}

pub async fn get_me() -> Result<Me, ApiError> {
    let response = Request::get("/api/me")
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
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
    let url = format!("/api/structures/{}", js_sys::encode_uri_component(id));
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    decode(response).await
}
