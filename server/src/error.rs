//! The server's one error type and its mapping to `{code, message}` responses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::diagnostic::Verdict;
use shared::errors::{ErrorBody, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{}", .0.code())]
    Code(ErrorCode),
    /// A card was presented but refused: the message says why.
    #[error("carte refusée : {}", .0.code())]
    CardRefused(Verdict),
    /// A known error with a message that says more than the table's.
    #[error("{}: {}", .0.code(), .1)]
    Detailed(ErrorCode, String),
    /// An order file with errors: each one, with line and field.
    #[error("commande invalide ({} erreurs)", .0.errors.len())]
    OrderRefused(Box<shared::api::OrderRefused>),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    /// A refusal whose message says why (a lifecycle's typed refusal, a rule).
    pub fn message(code: ErrorCode, message: shared::message::Message) -> Self {
        ApiError::Detailed(code, message.to_french())
    }

    /// An action the line's lifecycle refuses, with the reason.
    pub fn refused(why: shared::message::Message) -> Self {
        Self::message(ErrorCode::ActionRefused, why)
    }

    /// A body over `limit` bytes.
    pub fn too_large(limit: usize) -> Self {
        Self::message(
            ErrorCode::PayloadTooLarge,
            shared::message::Message::new("payload_too_large_mb")
                .arg("max", (limit / (1024 * 1024)).to_string()),
        )
    }
}

/// A database failure is an unexpected one: a 500 whose cause is logged once.
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Unexpected(e.into())
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::Code(code)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (code, body) = match &self {
            ApiError::Code(code) => (*code, code.body()),
            ApiError::CardRefused(verdict) => {
                let code = ErrorCode::CardRefused;
                let message = format!("{} {}", verdict.message(), verdict.advice());
                (
                    code,
                    ErrorBody {
                        code: code.code().to_string(),
                        message,
                    },
                )
            }
            ApiError::Detailed(code, message) => (
                *code,
                ErrorBody {
                    code: code.code().to_string(),
                    message: message.clone(),
                },
            ),
            ApiError::OrderRefused(refused) => {
                let status = StatusCode::from_u16(ErrorCode::InvalidOrder.status())
                    .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
                return (status, Json(refused)).into_response();
            }
            ApiError::Unexpected(e) => {
                // The chain of contexts, never request data: handlers add no personal data to it.
                tracing::error!(error = ?e, "erreur interne");
                (ErrorCode::Internal, ErrorCode::Internal.body())
            }
        };
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
