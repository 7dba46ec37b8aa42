//! A delegation (formerly paper form 502): the legal representative designates a mandataire, or
//! changes one for another, with a copy of the person's identity document; an operator of the
//! issuing service validates or rejects it. Rights start at validation only. No I/O, no clock:
//! the server gives the time (the model is `tracking.rs`).

use serde::{Deserialize, Serialize};

use crate::message::Message;

/// Where a delegation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DelegationStatus {
    /// Sent by the legal representative, waiting for the operator.
    EnAttente,
    /// Validated: the mandate runs from the validation (and the replaced one ended then).
    Validee,
    /// Rejected by the operator, with a reason shown to the legal representative.
    Rejetee,
    /// Withdrawn by the legal representative before the operator decided.
    Retiree,
}

impl DelegationStatus {
    pub const ALL: [DelegationStatus; 4] = [
        DelegationStatus::EnAttente,
        DelegationStatus::Validee,
        DelegationStatus::Rejetee,
        DelegationStatus::Retiree,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DelegationStatus::EnAttente => "en_attente",
            DelegationStatus::Validee => "validee",
            DelegationStatus::Rejetee => "rejetee",
            DelegationStatus::Retiree => "retiree",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DelegationStatus::EnAttente => "En attente de validation",
            DelegationStatus::Validee => "Validée",
            DelegationStatus::Rejetee => "Rejetée",
            DelegationStatus::Retiree => "Retirée",
        }
    }

    /// What `action` makes of a delegation in this status, or why it cannot happen: only a
    /// delegation waiting for the operator is validated, rejected or withdrawn.
    pub fn after(self, action: DelegationAction) -> Result<DelegationStatus, Message> {
        match self {
            DelegationStatus::EnAttente => Ok(match action {
                DelegationAction::Valider => DelegationStatus::Validee,
                DelegationAction::Rejeter => DelegationStatus::Rejetee,
                DelegationAction::Retirer => DelegationStatus::Retiree,
            }),
            done => Err(Message::new("delegation_decided")
                .arg("action", action.label())
                .arg("status", done.label().to_lowercase())),
        }
    }
}

/// What can happen to a delegation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationAction {
    Valider,
    Rejeter,
    Retirer,
}

impl DelegationAction {
    pub fn label(self) -> &'static str {
        match self {
            DelegationAction::Valider => "valider",
            DelegationAction::Rejeter => "rejeter",
            DelegationAction::Retirer => "retirer",
        }
    }
}

/// The kinds of identity document TOM keeps, recognised from the file's first bytes (never from
/// its name or the browser's type): PDF (ISO 32000 `%PDF-`), JPEG (SOI marker `FF D8 FF`), PNG
/// (RFC 2083 signature).
pub fn document_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// The file extension of a document of `media_type`.
pub fn document_extension(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "bin",
    }
}

/// Identity documents are at most this large (bytes): a scan or a phone photo.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;

/// A rejection's reason: 3 to 500 characters once trimmed, at least 3 of them visible, line
/// breaks allowed, no other control character (shown to the legal representative as written).
pub fn check_reason(reason: &str) -> Result<&str, Message> {
    let reason = reason.trim();
    let n = reason.chars().count();
    let control = |c: char| c.is_control() && c != '\n' && c != '\r';
    let visible = reason.chars().filter(|c| !c.is_whitespace()).count();
    if (3..=500).contains(&n) && visible >= 3 && !reason.chars().any(control) {
        Ok(reason)
    } else {
        Err(Message::new("delegation_reason_required"))
    }
}

/// An identifiant national as cards carry it (domain.md §4): `8` + RPPS, `3` + FINESS or `5` +
/// SIRET then `/` and the structure's internal identifier; letters, digits and `/`, 2 to 64.
pub fn is_national_id(text: &str) -> bool {
    (2..=64).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/')
        && text.as_bytes()[0].is_ascii_digit()
}

/// A family or given name typed for a designation: 1 to 100 letters, spaces, hyphens or
/// apostrophes once trimmed.
pub fn is_person_name(text: &str) -> bool {
    let text = text.trim();
    let n = text.chars().count();
    (1..=100).contains(&n)
        && text
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’'))
        && text.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_waiting_delegation_is_decided_or_withdrawn() {
        let waiting = DelegationStatus::EnAttente;
        assert_eq!(
            waiting.after(DelegationAction::Valider),
            Ok(DelegationStatus::Validee)
        );
        assert_eq!(
            waiting.after(DelegationAction::Rejeter),
            Ok(DelegationStatus::Rejetee)
        );
        assert_eq!(
            waiting.after(DelegationAction::Retirer),
            Ok(DelegationStatus::Retiree)
        );
        for done in [
            DelegationStatus::Validee,
            DelegationStatus::Rejetee,
            DelegationStatus::Retiree,
        ] {
            for action in [
                DelegationAction::Valider,
                DelegationAction::Rejeter,
                DelegationAction::Retirer,
            ] {
                let refusal = done.after(action).unwrap_err();
                assert_eq!(refusal.code, "delegation_decided");
            }
        }
    }

    #[test]
    fn documents_are_known_by_their_bytes_not_their_names() {
        assert_eq!(document_media_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(
            document_media_type(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(
            document_media_type(b"\x89PNG\r\n\x1a\n\0\0"),
            Some("image/png")
        );
        assert_eq!(document_media_type(b"PK\x03\x04"), None);
        assert_eq!(document_media_type(b"<html>%PDF-"), None);
        assert_eq!(document_media_type(b""), None);
    }

    #[test]
    fn a_rejection_says_why_in_a_few_words() {
        assert!(check_reason("  ").is_err());
        assert!(check_reason("ab").is_err());
        assert!(check_reason(&"x".repeat(501)).is_err());
        assert!(check_reason("pièce\u{0}").is_err());
        assert!(check_reason("Pièce illisible.\nJoignez le verso.").is_ok());
        assert!(check_reason("a \n b").is_err());
        assert!(check_reason("abc\tdef").is_err());
        assert_eq!(
            check_reason("  Pièce illisible ").unwrap(),
            "Pièce illisible"
        );
    }

    #[test]
    fn identifiers_and_names_as_typed() {
        assert!(is_national_id("3940000011/000101"));
        assert!(is_national_id("810001234567"));
        assert!(!is_national_id("MARTIN"));
        assert!(!is_national_id("39400 00011"));
        assert!(is_person_name(" N'GUESSAN-LÉA "));
        assert!(!is_person_name("--"));
        assert!(!is_person_name("R2D2"));
    }
}
