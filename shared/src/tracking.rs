//! Where an order line stands, what may happen to it next, and whether it is late. The server
//! applies these rules; the SPA shows the same labels.

use crate::message::Message;
use serde::{Deserialize, Serialize};

use crate::order::model::{CardType, Operation};

/// The kind of operation a line carries (the element name in the order file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    DemandeCarte,
    ModificationPorteur,
    FinExercice,
    DeclarationIncident,
}

impl LineKind {
    pub fn of(op: &Operation) -> LineKind {
        match op {
            Operation::CardRequest(_) => LineKind::DemandeCarte,
            Operation::HolderChange(_) => LineKind::ModificationPorteur,
            Operation::EndOfExercise(_) => LineKind::FinExercice,
            Operation::IncidentDeclaration(_) => LineKind::DeclarationIncident,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            LineKind::DemandeCarte => "demande_carte",
            LineKind::ModificationPorteur => "modification_porteur",
            LineKind::FinExercice => "fin_exercice",
            LineKind::DeclarationIncident => "declaration_incident",
        }
    }
    pub fn parse(s: &str) -> Option<LineKind> {
        [
            LineKind::DemandeCarte,
            LineKind::ModificationPorteur,
            LineKind::FinExercice,
            LineKind::DeclarationIncident,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            LineKind::DemandeCarte => "Demande de carte",
            LineKind::ModificationPorteur => "Modification du porteur",
            LineKind::FinExercice => "Fin d'exercice",
            LineKind::DeclarationIncident => "Déclaration d'incident",
        }
    }
}

/// The status of a line, from its timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// A CPS for a regulated profession waits for its supporting document.
    EnAttenteJustificatif,
    Soumise,
    Acceptee,
    Rejetee,
    Fabriquee,
    CarteExpediee,
    CodesExpedies,
    Expediee,
    Livree,
    /// A line with no card to make (change, end of exercise, incident), accepted.
    Traitee,
}

impl LineStatus {
    pub const ALL: [LineStatus; 10] = [
        LineStatus::EnAttenteJustificatif,
        LineStatus::Soumise,
        LineStatus::Acceptee,
        LineStatus::Rejetee,
        LineStatus::Fabriquee,
        LineStatus::CarteExpediee,
        LineStatus::CodesExpedies,
        LineStatus::Expediee,
        LineStatus::Livree,
        LineStatus::Traitee,
    ];
    pub fn code(self) -> &'static str {
        match self {
            LineStatus::EnAttenteJustificatif => "en_attente_justificatif",
            LineStatus::Soumise => "soumise",
            LineStatus::Acceptee => "acceptee",
            LineStatus::Rejetee => "rejetee",
            LineStatus::Fabriquee => "fabriquee",
            LineStatus::CarteExpediee => "carte_expediee",
            LineStatus::CodesExpedies => "codes_expedies",
            LineStatus::Expediee => "expediee",
            LineStatus::Livree => "livree",
            LineStatus::Traitee => "traitee",
        }
    }
    pub fn parse(s: &str) -> Option<LineStatus> {
        LineStatus::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            LineStatus::EnAttenteJustificatif => "Justificatif attendu",
            LineStatus::Soumise => "Soumise",
            LineStatus::Acceptee => "Acceptée",
            LineStatus::Rejetee => "Rejetée",
            LineStatus::Fabriquee => "Carte fabriquée",
            LineStatus::CarteExpediee => "Carte expédiée",
            LineStatus::CodesExpedies => "Codes expédiés",
            LineStatus::Expediee => "Carte et codes expédiés",
            LineStatus::Livree => "Livrée",
            LineStatus::Traitee => "Traitée",
        }
    }
    /// Whether the line still waits for something from the issuing service or the mandataire.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            LineStatus::Rejetee | LineStatus::Livree | LineStatus::Traitee
        )
    }
}

/// What an operator (or, for the document, the mandataire) does to a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineAction {
    DeposerJustificatif,
    Accepter,
    Rejeter,
    Fabriquer,
    ExpedierCarte,
    ExpedierCodes,
    Livrer,
}

impl LineAction {
    pub const OPERATOR: [LineAction; 6] = [
        LineAction::Accepter,
        LineAction::Rejeter,
        LineAction::Fabriquer,
        LineAction::ExpedierCarte,
        LineAction::ExpedierCodes,
        LineAction::Livrer,
    ];
    pub fn code(self) -> &'static str {
        match self {
            LineAction::DeposerJustificatif => "deposer_justificatif",
            LineAction::Accepter => "accepter",
            LineAction::Rejeter => "rejeter",
            LineAction::Fabriquer => "fabriquer",
            LineAction::ExpedierCarte => "expedier_carte",
            LineAction::ExpedierCodes => "expedier_codes",
            LineAction::Livrer => "livrer",
        }
    }
    pub fn parse(s: &str) -> Option<LineAction> {
        LineAction::OPERATOR
            .into_iter()
            .chain([LineAction::DeposerJustificatif])
            .find(|a| a.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            LineAction::DeposerJustificatif => "Déposer le justificatif",
            LineAction::Accepter => "Accepter",
            LineAction::Rejeter => "Rejeter",
            LineAction::Fabriquer => "Fabriquer la carte",
            LineAction::ExpedierCarte => "Expédier la carte",
            LineAction::ExpedierCodes => "Expédier les codes",
            LineAction::Livrer => "Marquer livrée",
        }
    }
}

/// The timestamps of a line (Unix seconds), from which its status follows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LineTimes {
    pub submitted_at: i64,
    pub document_at: Option<i64>,
    pub accepted_at: Option<i64>,
    pub rejected_at: Option<i64>,
    pub fabricated_at: Option<i64>,
    pub card_shipped_at: Option<i64>,
    pub codes_shipped_at: Option<i64>,
    pub delivered_at: Option<i64>,
}

/// A line's kind, whether it needs a document, and its timestamps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineProgress {
    pub kind: LineKind,
    pub needs_document: bool,
    pub times: LineTimes,
}

impl LineProgress {
    pub fn status(&self) -> LineStatus {
        let t = &self.times;
        if t.rejected_at.is_some() {
            return LineStatus::Rejetee;
        }
        if t.delivered_at.is_some() {
            return LineStatus::Livree;
        }
        match (t.card_shipped_at, t.codes_shipped_at) {
            (Some(_), Some(_)) => return LineStatus::Expediee,
            (Some(_), None) => return LineStatus::CarteExpediee,
            (None, Some(_)) => return LineStatus::CodesExpedies,
            (None, None) => {}
        }
        if t.fabricated_at.is_some() {
            return LineStatus::Fabriquee;
        }
        if t.accepted_at.is_some() {
            return if self.kind == LineKind::DemandeCarte {
                LineStatus::Acceptee
            } else {
                LineStatus::Traitee
            };
        }
        if self.needs_document && t.document_at.is_none() {
            return LineStatus::EnAttenteJustificatif;
        }
        LineStatus::Soumise
    }

    /// Whether `action` may be applied now; otherwise why not, as a message (`line_*` codes of
    /// the catalogue, with the action's label).
    pub fn check(&self, action: LineAction) -> Result<(), Message> {
        let status = self.status();
        let refuse = |code: &'static str| Err(Message::new(code).arg("action", action.label()));
        if !status.is_open() {
            return Err(Message::new("line_closed")
                .arg("action", action.label())
                .arg("status", status.label().to_lowercase()));
        }
        let t = &self.times;
        let card = self.kind == LineKind::DemandeCarte;
        match action {
            LineAction::DeposerJustificatif => {
                if !self.needs_document {
                    return refuse("line_needs_no_document");
                }
                if t.document_at.is_some() {
                    return refuse("line_document_already_received");
                }
                if t.accepted_at.is_some() {
                    return refuse("line_already_accepted");
                }
            }
            LineAction::Accepter | LineAction::Rejeter => {
                if t.accepted_at.is_some() {
                    return refuse("line_already_accepted");
                }
                if action == LineAction::Accepter && status == LineStatus::EnAttenteJustificatif {
                    return refuse("line_document_missing");
                }
            }
            LineAction::Fabriquer => {
                if !card {
                    return refuse("line_is_not_a_card_request");
                }
                if t.accepted_at.is_none() {
                    return refuse("line_not_accepted");
                }
                if t.fabricated_at.is_some() {
                    return refuse("line_already_fabricated");
                }
            }
            LineAction::ExpedierCarte | LineAction::ExpedierCodes => {
                if t.fabricated_at.is_none() {
                    return refuse("line_not_fabricated");
                }
                let done = if action == LineAction::ExpedierCarte {
                    t.card_shipped_at
                } else {
                    t.codes_shipped_at
                };
                if done.is_some() {
                    return refuse("line_step_already_done");
                }
            }
            LineAction::Livrer => {
                if t.card_shipped_at.is_none() || t.codes_shipped_at.is_none() {
                    return refuse("line_not_shipped");
                }
            }
        }
        Ok(())
    }

    /// Applies `action` at `now` (after [`LineProgress::check`]).
    pub fn apply(&mut self, action: LineAction, now: i64) {
        let t = &mut self.times;
        let slot = match action {
            LineAction::DeposerJustificatif => &mut t.document_at,
            LineAction::Accepter => &mut t.accepted_at,
            LineAction::Rejeter => &mut t.rejected_at,
            LineAction::Fabriquer => &mut t.fabricated_at,
            LineAction::ExpedierCarte => &mut t.card_shipped_at,
            LineAction::ExpedierCodes => &mut t.codes_shipped_at,
            LineAction::Livrer => &mut t.delivered_at,
        };
        *slot = Some(now);
    }

    /// Seconds the line has been waiting (until now if open, until it closed otherwise).
    pub fn age(&self, now: i64) -> i64 {
        let t = &self.times;
        let end = if self.status().is_open() {
            now
        } else {
            t.rejected_at
                .or(t.delivered_at)
                .or(t.accepted_at)
                .unwrap_or(now)
        };
        (end - t.submitted_at).max(0)
    }

    /// An open line waiting longer than the target delivery time.
    pub fn is_late(&self, now: i64, target_seconds: i64) -> bool {
        self.status().is_open() && self.age(now) > target_seconds
    }
}

/// Whether a card request waits for a supporting document: a CPS for a regulated profession
/// outside the RPPS simplification (those are refused by the order rules altogether).
pub fn needs_document(op: &Operation) -> bool {
    matches!(op, Operation::CardRequest(r) if r.card_type == CardType::Cps)
}

/// The French way to say how long: "3 j 4 h", "5 h 12 min", "8 min".
pub fn format_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (days, hours, minutes) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    if days > 0 {
        format!("{days} j {hours} h")
    } else if hours > 0 {
        format!("{hours} h {minutes} min")
    } else {
        format!("{minutes} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: LineKind, needs_document: bool) -> LineProgress {
        LineProgress {
            kind,
            needs_document,
            times: LineTimes {
                submitted_at: 1000,
                ..LineTimes::default()
            },
        }
    }

    #[test]
    fn a_card_goes_from_submitted_to_delivered() {
        let mut l = line(LineKind::DemandeCarte, false);
        assert_eq!(l.status(), LineStatus::Soumise);
        assert!(l.check(LineAction::Fabriquer).is_err());
        for (i, action) in [
            LineAction::Accepter,
            LineAction::Fabriquer,
            LineAction::ExpedierCarte,
            LineAction::ExpedierCodes,
            LineAction::Livrer,
        ]
        .into_iter()
        .enumerate()
        {
            l.check(action).unwrap();
            l.apply(action, 2000 + i as i64);
        }
        assert_eq!(l.status(), LineStatus::Livree);
        assert!(!l.status().is_open());
        assert_eq!(l.age(99_999), 2004 - 1000);
        let e = l.check(LineAction::Rejeter).unwrap_err();
        assert_eq!(e.code, "line_closed");
        assert!(e.to_french().contains("close"), "{e}");
    }

    #[test]
    fn a_cps_waits_for_its_document_before_acceptance() {
        let mut l = line(LineKind::DemandeCarte, true);
        assert_eq!(l.status(), LineStatus::EnAttenteJustificatif);
        assert!(l
            .check(LineAction::Accepter)
            .unwrap_err()
            .to_french()
            .contains("justificatif"));
        // It may be rejected without one.
        assert!(l.check(LineAction::Rejeter).is_ok());
        l.apply(LineAction::DeposerJustificatif, 1500);
        assert_eq!(l.status(), LineStatus::Soumise);
        assert!(l.check(LineAction::DeposerJustificatif).is_err());
        assert!(l.check(LineAction::Accepter).is_ok());
    }

    #[test]
    fn a_line_without_card_is_done_when_accepted_and_cannot_be_fabricated() {
        let mut l = line(LineKind::FinExercice, false);
        l.apply(LineAction::Accepter, 1100);
        assert_eq!(l.status(), LineStatus::Traitee);
        assert!(l.check(LineAction::Fabriquer).is_err());
        assert!(l
            .check(LineAction::DeposerJustificatif)
            .unwrap_err()
            .to_french()
            .contains("close"));
    }

    #[test]
    fn shipping_needs_fabrication_and_delivery_needs_both_shipments() {
        let mut l = line(LineKind::DemandeCarte, false);
        l.apply(LineAction::Accepter, 1);
        assert!(l.check(LineAction::ExpedierCarte).is_err());
        l.apply(LineAction::Fabriquer, 2);
        l.apply(LineAction::ExpedierCodes, 3);
        assert_eq!(l.status(), LineStatus::CodesExpedies);
        assert!(l.check(LineAction::ExpedierCodes).is_err());
        assert!(l.check(LineAction::Livrer).is_err());
        l.apply(LineAction::ExpedierCarte, 4);
        assert_eq!(l.status(), LineStatus::Expediee);
        assert!(l.check(LineAction::Livrer).is_ok());
    }

    #[test]
    fn an_open_line_is_late_past_the_target_and_a_closed_one_never() {
        let mut l = line(LineKind::DemandeCarte, false);
        let day = 86_400;
        assert!(!l.is_late(1000 + 10 * day, 10 * day));
        assert!(l.is_late(1001 + 10 * day, 10 * day));
        l.apply(LineAction::Rejeter, 2000);
        assert!(!l.is_late(1000 + 100 * day, 10 * day));
    }

    #[test]
    fn codes_round_trip_and_durations_read_in_french() {
        for s in LineStatus::ALL {
            assert_eq!(LineStatus::parse(s.code()), Some(s));
        }
        for a in LineAction::OPERATOR {
            assert_eq!(LineAction::parse(a.code()), Some(a));
        }
        assert_eq!(format_duration(3 * 86_400 + 4 * 3600 + 5), "3 j 4 h");
        assert_eq!(format_duration(5 * 3600 + 12 * 60), "5 h 12 min");
        assert_eq!(format_duration(8 * 60 + 59), "8 min");
    }
}
