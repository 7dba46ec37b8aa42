//! Card types (ANS TRE_R87) and how TOM tells them apart.

use serde::{Deserialize, Serialize};

/// A card as TOM knows it. Directors' cards (CDE, CDA) belong to the CPE and CPA families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CardType {
    Cps,
    Cpf,
    Cpe,
    Cpa,
    Cde,
    Cda,
    /// The issuing service's operators (project choice: same PKI, dedicated profile).
    Operateur,
}

impl CardType {
    pub fn code(self) -> &'static str {
        match self {
            CardType::Cps => "CPS",
            CardType::Cpf => "CPF",
            CardType::Cpe => "CPE",
            CardType::Cpa => "CPA",
            CardType::Cde => "CDE",
            CardType::Cda => "CDA",
            CardType::Operateur => "OPERATEUR",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "CPS" => CardType::Cps,
            "CPF" => CardType::Cpf,
            "CPE" => CardType::Cpe,
            "CPA" => CardType::Cpa,
            "CDE" => CardType::Cde,
            "CDA" => CardType::Cda,
            "OPERATEUR" => CardType::Operateur,
            _ => return None,
        })
    }

    /// The label a user reads.
    pub fn label(self) -> &'static str {
        match self {
            CardType::Cps => "Carte de professionnel de santé (CPS)",
            CardType::Cpf => "Carte de professionnel en formation (CPF)",
            CardType::Cpe => "Carte de personnel d'établissement (CPE)",
            CardType::Cpa => "Carte de personnel autorisé (CPA)",
            CardType::Cde => "Carte de directeur d'établissement (CDE)",
            CardType::Cda => "Carte de directeur d'organisme autorisé (CDA)",
            CardType::Operateur => "Carte d'opérateur du service d'émission",
        }
    }

    /// Best guess for a card TOM did not issue, from the identifiant national's prefix
    /// (domain.md §3): 8/0 → CPS, 3 → CPE, 5 or 4 → CPA.
    pub fn guess_from_national_id(id: &str) -> Option<Self> {
        match id.as_bytes().first()? {
            b'8' | b'0' => Some(CardType::Cps),
            b'3' => Some(CardType::Cpe),
            b'4' | b'5' => Some(CardType::Cpa),
            _ => None,
        }
    }

    /// Directors' cards carry the legal representative's powers.
    pub fn is_director(self) -> bool {
        matches!(self, CardType::Cde | CardType::Cda)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_cards_are_guessed_from_their_prefix() {
        assert_eq!(
            CardType::guess_from_national_id("899700075122"),
            Some(CardType::Cps)
        );
        assert_eq!(
            CardType::guess_from_national_id("3760021832/000000018"),
            Some(CardType::Cpe)
        );
        assert_eq!(
            CardType::guess_from_national_id("500000000029751/CPAT0001"),
            Some(CardType::Cpa)
        );
        assert_eq!(CardType::guess_from_national_id("Jean"), None);
    }

    #[test]
    fn codes_round_trip() {
        for t in [
            CardType::Cps,
            CardType::Cpf,
            CardType::Cpe,
            CardType::Cpa,
            CardType::Cde,
            CardType::Cda,
            CardType::Operateur,
        ] {
            assert_eq!(CardType::parse(t.code()), Some(t));
        }
    }
}
