//! Error codes of the API and their French messages: the server sends them, the SPA shows them,
//! both from this one table.

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

/// Every error the API can return. `code()` is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    NoCertificate,
    CardRefused,
    SessionRequired,
    SessionExpired,
    CsrfMissing,
    CrossOrigin,
    ForbiddenStructure,
    OperatorOnly,
    NotFound,
    UnknownRoute,
    InvalidRequest,
    InvalidOrder,
    StructureMismatch,
    IdempotencyKeyMissing,
    PayloadTooLarge,
    ActionRefused,
    DocumentInvalid,
    IssuingUnavailable,
    Internal,
}

impl ErrorCode {
    pub fn code(self) -> &'static str {
        match self {
            ErrorCode::NoCertificate => "no_certificate",
            ErrorCode::CardRefused => "card_refused",
            ErrorCode::SessionRequired => "session_required",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::CsrfMissing => "csrf_missing",
            ErrorCode::CrossOrigin => "cross_origin",
            ErrorCode::ForbiddenStructure => "forbidden_structure",
            ErrorCode::OperatorOnly => "operator_only",
            ErrorCode::NotFound => "not_found",
            ErrorCode::UnknownRoute => "unknown_route",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidOrder => "invalid_order",
            ErrorCode::StructureMismatch => "structure_mismatch",
            ErrorCode::IdempotencyKeyMissing => "idempotency_key_missing",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::ActionRefused => "action_refused",
            ErrorCode::DocumentInvalid => "document_invalid",
            ErrorCode::IssuingUnavailable => "issuing_unavailable",
            ErrorCode::Internal => "internal",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }

    pub const ALL: [ErrorCode; 19] = [
        ErrorCode::NoCertificate,
        ErrorCode::CardRefused,
        ErrorCode::SessionRequired,
        ErrorCode::SessionExpired,
        ErrorCode::CsrfMissing,
        ErrorCode::CrossOrigin,
        ErrorCode::ForbiddenStructure,
        ErrorCode::OperatorOnly,
        ErrorCode::NotFound,
        ErrorCode::UnknownRoute,
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidOrder,
        ErrorCode::StructureMismatch,
        ErrorCode::IdempotencyKeyMissing,
        ErrorCode::PayloadTooLarge,
        ErrorCode::ActionRefused,
        ErrorCode::DocumentInvalid,
        ErrorCode::IssuingUnavailable,
        ErrorCode::Internal,
    ];

    /// The HTTP status the server answers with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::NoCertificate
            | ErrorCode::CardRefused
            | ErrorCode::SessionRequired
            | ErrorCode::SessionExpired => 401,
            ErrorCode::CsrfMissing
            | ErrorCode::CrossOrigin
            | ErrorCode::ForbiddenStructure
            | ErrorCode::OperatorOnly => 403,
            ErrorCode::NotFound | ErrorCode::UnknownRoute => 404,
            ErrorCode::InvalidRequest => 400,
            ErrorCode::InvalidOrder => 422,
            ErrorCode::StructureMismatch => 422,
            ErrorCode::IdempotencyKeyMissing => 400,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::ActionRefused => 409,
            ErrorCode::DocumentInvalid => 415,
            ErrorCode::IssuingUnavailable => 503,
            ErrorCode::Internal => 500,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            ErrorCode::NoCertificate => "Aucune carte n'a été présentée. Insérez votre carte et consultez la page « Contrôle du poste ».",
            ErrorCode::CardRefused => "Votre carte a été refusée. La page « Contrôle du poste » indique pourquoi et que faire.",
            ErrorCode::SessionRequired => "Vous n'êtes pas connecté. Cliquez sur « Se connecter avec ma carte ».",
            ErrorCode::SessionExpired => "Votre session a expiré. Reconnectez-vous avec votre carte.",
            ErrorCode::CsrfMissing => "La demande n'a pas pu être authentifiée. Rechargez la page puis recommencez.",
            ErrorCode::CrossOrigin => "Demande refusée : elle ne provient pas de TOM.",
            ErrorCode::ForbiddenStructure => "Vous n'avez pas de mandat pour cette structure.",
            ErrorCode::OperatorOnly => "Cette fonction est réservée aux opérateurs du service d'émission.",
            ErrorCode::NotFound => "L'élément demandé n'existe pas.",
            ErrorCode::UnknownRoute => "Cette adresse ne correspond à aucun service de TOM.",
            ErrorCode::InvalidRequest => "La demande est incorrecte.",
            ErrorCode::InvalidOrder => "Le fichier de commande contient des erreurs : corrigez-les puis déposez-le de nouveau.",
            ErrorCode::StructureMismatch => "La commande est pour une autre structure que celle choisie : vérifiez le FINESS ou le SIRET de l'en-tête.",
            ErrorCode::IdempotencyKeyMissing => "La demande n'a pas de clé d'idempotence (en-tête Idempotency-Key, 1 à 128 caractères).",
            ErrorCode::PayloadTooLarge => "Le fichier est trop volumineux.",
            ErrorCode::ActionRefused => "Cette action n'est pas possible dans l'état actuel de la ligne.",
            ErrorCode::DocumentInvalid => "Le justificatif doit être un fichier PDF, JPEG ou PNG.",
            ErrorCode::IssuingUnavailable => "L'autorité de certification d'émission n'est pas disponible : la carte ne peut pas être fabriquée pour le moment.",
            ErrorCode::Internal => "Une erreur interne est survenue. Réessayez plus tard ; si elle persiste, contactez le service d'émission.",
        }
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
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(c.code()), Some(c));
            assert!(c.message().ends_with('.') || c.message().ends_with('»'));
        }
        let mut codes: Vec<_> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
    }
}
