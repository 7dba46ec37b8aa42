//! Error codes of the API: one table (code, HTTP status); their messages come from the catalogue
//! (`message`). The server sends them, the SPA shows them.

use serde::{Deserialize, Serialize};

/// The body of every API error: `{"code": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable code, for programs.
    pub code: String,
    /// French message, for people: what is wrong and what to do.
    pub message: String,
}

/// Declares `ErrorCode` from one table: variant, wire code, HTTP status. Its French message is the
/// catalogue's entry for the wire code (`message/fr.rs`): adding an error is one line here and
/// one line there.
macro_rules! error_codes {
    ($($variant:ident => $code:literal, $status:literal;)*) => {
        /// Every error the API can return. `code()` is stable.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn code(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }

            /// The HTTP status the server answers with.
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)*
                }
            }
        }
    };
}

error_codes! {
    NoCertificate => "no_certificate", 401;
    CardRefused => "card_refused", 401;
    SessionRequired => "session_required", 401;
    SessionExpired => "session_expired", 401;
    CsrfMissing => "csrf_missing", 403;
    CrossOrigin => "cross_origin", 403;
    ForbiddenStructure => "forbidden_structure", 403;
    OperatorOnly => "operator_only", 403;
    LegalRepresentativeOnly => "legal_representative_only", 403;
    MandateEnded => "mandate_ended", 403;
    NotFound => "not_found", 404;
    UnknownRoute => "unknown_route", 404;
    InvalidRequest => "invalid_request", 400;
    InvalidOrder => "invalid_order", 422;
    StructureMismatch => "structure_mismatch", 422;
    IdempotencyKeyMissing => "idempotency_key_missing", 400;
    PayloadTooLarge => "payload_too_large", 413;
    ActionRefused => "action_refused", 409;
    ContractExists => "contract_exists", 409;
    DocumentInvalid => "document_invalid", 415;
    IssuingUnavailable => "issuing_unavailable", 503;
    TooManyAttempts => "too_many_attempts", 429;
    Internal => "internal", 500;
}

impl ErrorCode {
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }

    /// The French message: what is wrong and what to do.
    pub fn message(self) -> &'static str {
        crate::message::fr::template(self.code()).unwrap_or("Erreur.")
    }

    pub fn body(self) -> ErrorBody {
        ErrorBody {
            code: self.code().to_string(),
            message: self.message().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for &c in ErrorCode::ALL {
            assert!(
                crate::message::fr::template(c.code()).is_some(),
                "{}",
                c.code()
            );
            assert_eq!(ErrorCode::from_code(c.code()), Some(c));
            assert!(c.message().ends_with('.') || c.message().ends_with('»'));
        }
        let mut codes: Vec<_> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
    }
}
