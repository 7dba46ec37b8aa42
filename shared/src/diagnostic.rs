//! The verdict on a presented card and what to tell its holder: one place for the workstation
//! check page, the FAQ and the server's refusals.

use serde::{Deserialize, Serialize};

/// Why a card is accepted or refused. The snake_case code is stable: the API, the SPA and the
/// tests match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    NoCertificate,
    Expired,
    NotYetValid,
    Revoked,
    /// The CRL of the card's authority is past its `nextUpdate` beyond the grace period: TOM
    /// cannot tell whether the card is revoked, and refuses it (fail closed).
    RevocationUnknown,
    UnknownCa,
    /// The card's issuing CA is neither trusted by TOM nor sent by the workstation.
    MissingIntermediate,
    /// An RSA key of fewer than 2048 bits (ANSSI RGS: 2048 at least).
    WeakKey,
    /// The certificate has an extension marked critical that TOM does not process (RFC 5280
    /// §4.2: such a certificate must be rejected).
    UnsupportedCriticalExtension,
    NotCpx,
    OldGeneration,
    Malformed,
}

impl Verdict {
    pub const ALL: [Verdict; 13] = [
        Verdict::Ok,
        Verdict::NoCertificate,
        Verdict::Expired,
        Verdict::NotYetValid,
        Verdict::Revoked,
        Verdict::RevocationUnknown,
        Verdict::UnknownCa,
        Verdict::MissingIntermediate,
        Verdict::UnsupportedCriticalExtension,
        Verdict::WeakKey,
        Verdict::NotCpx,
        Verdict::OldGeneration,
        Verdict::Malformed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::NoCertificate => "no_certificate",
            Verdict::Expired => "expired",
            Verdict::NotYetValid => "not_yet_valid",
            Verdict::Revoked => "revoked",
            Verdict::RevocationUnknown => "revocation_unknown",
            Verdict::UnknownCa => "unknown_ca",
            Verdict::MissingIntermediate => "missing_intermediate",
            Verdict::UnsupportedCriticalExtension => "unsupported_critical_extension",
            Verdict::WeakKey => "weak_key",
            Verdict::NotCpx => "not_cpx",
            Verdict::OldGeneration => "old_generation",
            Verdict::Malformed => "malformed",
        }
    }

    /// One sentence: what is wrong.
    pub fn message(self) -> &'static str {
        match self {
            Verdict::Ok => "Votre carte est reconnue.",
            Verdict::NoCertificate => "Aucune carte n'a été présentée par votre navigateur.",
            Verdict::Expired => "Votre carte a expiré.",
            Verdict::NotYetValid => "Votre carte n'est pas encore valide.",
            Verdict::Revoked => "Votre carte a été mise en opposition (révoquée).",
            Verdict::RevocationUnknown => {
                "TOM ne peut pas vérifier pour le moment que votre carte n'est pas en opposition."
            }
            Verdict::UnknownCa => {
                "Votre carte a été émise par une autorité de certification inconnue de TOM."
            }
            Verdict::MissingIntermediate => {
                "Le certificat de l'autorité intermédiaire qui a émis votre carte est introuvable."
            }
            Verdict::UnsupportedCriticalExtension => {
                "Le certificat de votre carte contient une extension critique que TOM ne sait pas traiter."
            }
            Verdict::WeakKey => {
                "La clé de votre carte est trop courte (RSA de moins de 2048 bits) pour être acceptée."
            }
            Verdict::NotCpx => {
                "Le certificat présenté n'est pas un certificat d'authentification de carte CPx."
            }
            Verdict::OldGeneration => "Carte d'ancienne génération non prise en charge.",
            Verdict::Malformed => "Le certificat présenté est illisible.",
        }
    }

    /// What the holder can do about it.
    pub fn advice(self) -> &'static str {
        match self {
            Verdict::Ok => "Vous pouvez vous connecter avec votre carte.",
            Verdict::NoCertificate => "Insérez votre carte dans le lecteur, vérifiez que le logiciel de la carte (Cryptolib CPS) est installé et que le lecteur est reconnu, puis fermez toutes les fenêtres du navigateur et rouvrez TOM. Si votre carte est insérée, le navigateur ne voit pas ses certificats : consultez la question « Le navigateur ne voit pas mes certificats » de la FAQ.",
            Verdict::Expired => "Une carte expirée ne peut plus être utilisée. Demandez à votre mandataire de commander son renouvellement ; si vous avez reçu une nouvelle carte, utilisez-la.",
            Verdict::NotYetValid => "Vérifiez la date et l'heure de votre poste. Si elles sont justes, attendez la date de début de validité de la carte ou contactez le service d'émission.",
            Verdict::RevocationUnknown => "Votre carte et votre poste ne sont pas en cause : la liste des cartes en opposition de l'autorité qui a émis votre carte n'a pas été mise à jour à temps. Réessayez un peu plus tard ; si cela dure, contactez le service d'émission.",
            Verdict::Revoked => "Une carte en opposition (perte, vol, dysfonctionnement ou fin d'exercice) ne peut plus être utilisée. Utilisez votre carte de remplacement ou demandez-en une à votre mandataire.",
            Verdict::UnknownCa => "Vérifiez que vous utilisez une carte de production ou de test adaptée à ce service, et non une carte d'un autre environnement. Si le problème persiste, contactez le service d'émission.",
            Verdict::WeakKey => "Les cartes dont la clé RSA fait moins de 2048 bits ne sont plus sûres et ne sont plus acceptées. Votre poste n'est pas en cause : demandez à votre mandataire de commander le renouvellement de votre carte.",
            Verdict::UnsupportedCriticalExtension => "Une extension marquée critique ne peut pas être ignorée (RFC 5280) : TOM refuse donc ce certificat. Votre poste n'est pas en cause ; contactez le service d'émission en citant l'émetteur et le numéro de série indiqués ci-dessous : la carte doit être remplacée.",
            Verdict::MissingIntermediate => "Votre poste n'a pas envoyé le certificat de l'autorité intermédiaire de votre carte et TOM ne le connaît pas. Réinstallez le logiciel de la carte (Cryptolib CPS), qui installe les certificats des autorités IGC-Santé, puis rouvrez le navigateur ; si le problème persiste, contactez le service d'émission en citant l'émetteur indiqué ci-dessous.",
            Verdict::NotCpx => "Votre navigateur a présenté un autre certificat que celui de votre carte. Fermez le navigateur, rouvrez TOM et choisissez le certificat d'authentification de votre carte CPx lorsque le navigateur vous le demande.",
            Verdict::OldGeneration => "Votre carte utilise un format de clé ancien que TOM ne sait pas vérifier. Demandez son remplacement par une carte de nouvelle génération.",
            Verdict::Malformed => "Le certificat n'a pas pu être lu. Essayez avec une autre carte ou contactez le service d'émission.",
        }
    }

    pub fn is_ok(self) -> bool {
        self == Verdict::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_has_a_distinct_code_a_message_and_advice() {
        let mut codes: Vec<_> = Verdict::ALL.iter().map(|v| v.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Verdict::ALL.len());
        for v in Verdict::ALL {
            assert!(!v.message().is_empty() && !v.advice().is_empty());
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.code()));
        }
    }
}
