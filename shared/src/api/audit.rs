//! The audit trail as the API shows it: entries of one structure (legal representative) or of
//! all (operators), filtered by date and action.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// What an audit entry records. `code()` is what the database and the API carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Connexion,
    Deconnexion,
    CommandeSoumise,
    JustificatifDepose,
    LigneAcceptee,
    LigneRejetee,
    CarteFabriquee,
    CarteExpediee,
    CodesExpedies,
    LigneLivree,
    CarteTelechargee,
    CourrierCodesTelecharge,
    PorteurModifie,
    FinExerciceProgrammee,
    FinExercice,
    IncidentDeclare,
    CarteRemplacee,
    RenouvellementCommande,
    ParcTelecharge,
    StructureModifiee,
    RegistreImporte,
    StructureMiseAJourParLeRegistre,
    ContratEnregistre,
    MandatTermine,
    DelegationDemandee,
    DelegationRetiree,
    DelegationValidee,
    DelegationRejetee,
    PieceIdentiteConsultee,
    PieceIdentiteSupprimee,
}

impl AuditAction {
    pub const ALL: [AuditAction; 30] = [
        AuditAction::Connexion,
        AuditAction::Deconnexion,
        AuditAction::CommandeSoumise,
        AuditAction::JustificatifDepose,
        AuditAction::LigneAcceptee,
        AuditAction::LigneRejetee,
        AuditAction::CarteFabriquee,
        AuditAction::CarteExpediee,
        AuditAction::CodesExpedies,
        AuditAction::LigneLivree,
        AuditAction::CarteTelechargee,
        AuditAction::CourrierCodesTelecharge,
        AuditAction::PorteurModifie,
        AuditAction::FinExerciceProgrammee,
        AuditAction::FinExercice,
        AuditAction::IncidentDeclare,
        AuditAction::CarteRemplacee,
        AuditAction::RenouvellementCommande,
        AuditAction::ParcTelecharge,
        AuditAction::StructureModifiee,
        AuditAction::RegistreImporte,
        AuditAction::StructureMiseAJourParLeRegistre,
        AuditAction::ContratEnregistre,
        AuditAction::MandatTermine,
        AuditAction::DelegationDemandee,
        AuditAction::DelegationRetiree,
        AuditAction::DelegationValidee,
        AuditAction::DelegationRejetee,
        AuditAction::PieceIdentiteConsultee,
        AuditAction::PieceIdentiteSupprimee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Connexion => "connexion",
            AuditAction::Deconnexion => "deconnexion",
            AuditAction::CommandeSoumise => "commande_soumise",
            AuditAction::JustificatifDepose => "justificatif_depose",
            AuditAction::LigneAcceptee => "ligne_acceptee",
            AuditAction::LigneRejetee => "ligne_rejetee",
            AuditAction::CarteFabriquee => "carte_fabriquee",
            AuditAction::CarteExpediee => "carte_expediee",
            AuditAction::CodesExpedies => "codes_expedies",
            AuditAction::LigneLivree => "ligne_livree",
            AuditAction::CarteTelechargee => "carte_telechargee",
            AuditAction::CourrierCodesTelecharge => "courrier_codes_telecharge",
            AuditAction::PorteurModifie => "porteur_modifie",
            AuditAction::FinExerciceProgrammee => "fin_exercice_programmee",
            AuditAction::FinExercice => "fin_exercice",
            AuditAction::IncidentDeclare => "incident_declare",
            AuditAction::CarteRemplacee => "carte_remplacee",
            AuditAction::RenouvellementCommande => "renouvellement_commande",
            AuditAction::ParcTelecharge => "parc_telecharge",
            AuditAction::StructureModifiee => "structure_modifiee",
            AuditAction::RegistreImporte => "registre_importe",
            AuditAction::StructureMiseAJourParLeRegistre => "structure_mise_a_jour_par_le_registre",
            AuditAction::ContratEnregistre => "contrat_enregistre",
            AuditAction::MandatTermine => "mandat_termine",
            AuditAction::DelegationDemandee => "delegation_demandee",
            AuditAction::DelegationRetiree => "delegation_retiree",
            AuditAction::DelegationValidee => "delegation_validee",
            AuditAction::DelegationRejetee => "delegation_rejetee",
            AuditAction::PieceIdentiteConsultee => "piece_identite_consultee",
            AuditAction::PieceIdentiteSupprimee => "piece_identite_supprimee",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// In French, for the page and the CSV file.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Connexion => "Connexion",
            AuditAction::Deconnexion => "Déconnexion",
            AuditAction::CommandeSoumise => "Commande soumise",
            AuditAction::JustificatifDepose => "Justificatif déposé",
            AuditAction::LigneAcceptee => "Ligne acceptée",
            AuditAction::LigneRejetee => "Ligne rejetée",
            AuditAction::CarteFabriquee => "Carte fabriquée",
            AuditAction::CarteExpediee => "Carte expédiée",
            AuditAction::CodesExpedies => "Codes expédiés",
            AuditAction::LigneLivree => "Ligne livrée",
            AuditAction::CarteTelechargee => "Carte (PKCS#12) téléchargée",
            AuditAction::CourrierCodesTelecharge => "Courrier des codes téléchargé",
            AuditAction::PorteurModifie => "Porteur modifié",
            AuditAction::FinExerciceProgrammee => "Fin d'exercice programmée",
            AuditAction::FinExercice => "Fin d'exercice (carte révoquée)",
            AuditAction::IncidentDeclare => "Incident déclaré",
            AuditAction::CarteRemplacee => "Carte remplacée (révoquée)",
            AuditAction::RenouvellementCommande => "Renouvellement commandé",
            AuditAction::ParcTelecharge => "Parc de cartes téléchargé",
            AuditAction::StructureModifiee => "Coordonnées de la structure modifiées",
            AuditAction::RegistreImporte => "Registre FINESS importé",
            AuditAction::StructureMiseAJourParLeRegistre => {
                "Structure mise à jour par le registre FINESS"
            }
            AuditAction::ContratEnregistre => "Contrat enregistré (représentant légal désigné)",
            AuditAction::MandatTermine => "Mandat terminé",
            AuditAction::DelegationDemandee => "Mandataire désigné (délégation envoyée)",
            AuditAction::DelegationRetiree => "Délégation retirée",
            AuditAction::DelegationValidee => "Délégation validée (mandat commencé)",
            AuditAction::DelegationRejetee => "Délégation rejetée",
            AuditAction::PieceIdentiteConsultee => "Pièce d'identité consultée",
            AuditAction::PieceIdentiteSupprimee => {
                "Pièce d'identité supprimée (fin de conservation)"
            }
        }
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// SHA-256 of the card certificate that acted (lower-case hex).
    pub actor_fingerprint: String,
    pub actor_national_id: String,
    /// `mandataire`, `representant_legal`, `operateur` or `titulaire` (login, logout).
    pub actor_role: String,
    pub structure_id: Option<String>,
    /// An `AuditAction` code.
    pub action: String,
    /// What was acted on, e.g. `commande CABCDEFGHJK`, `ligne CABCDEFGHJK/3`.
    pub object: String,
    /// JSON of the values before and after the change.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// `GET /api/structures/{id}/audit`, `GET /api/audit`: newest first, one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `avant` for the next (older) page; none on the last page.
    pub next_before: Option<i64>,
}
