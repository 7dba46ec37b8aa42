//! `Path` and `Query` as TOM answers them: a path that does not parse names nothing that exists
//! (404 `not_found`, so that a mistyped order number reads as such), a query that does not parse
//! is a 400 `invalid_request` in French — never axum's plain-text English rejection.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use shared::errors::ErrorCode;

use crate::error::ApiError;

/// Typed path parameters (`StructureId`, `OrderId`, line numbers…).
#[derive(Debug, Clone)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| ApiError::Code(ErrorCode::NotFound))
    }
}

/// Typed query parameters.
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|_| {
                ApiError::message(
                    ErrorCode::InvalidRequest,
                    shared::message::Message::new("unreadable_query"),
                )
            })
    }
}

/// A JSON body; one that cannot be read gets TOM's French 400 `invalid_request`.
#[derive(Debug, Clone)]
pub struct Json<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(value)| Json(value))
            .map_err(|_| {
                ApiError::message(
                    ErrorCode::InvalidRequest,
                    shared::message::Message::new("unreadable_body"),
                )
            })
    }
}
