//! The order schema (`schemas/tom-commande-v1.xsd`) as data for both readers: element names,
//! content models and hand-written checks of the simple types (patterns, lengths, enumerations,
//! dates, booleans), so that the validator agrees with `xmllint --schema` without a regex engine.

use crate::date::{Date, DateTime};
use crate::nomenclature::{
    CIVILITE, FONCTION, GENRE_ACTIVITE, MODE_EXERCICE, PROFESSION, SECTEUR_ACTIVITE,
};
use crate::order::errors::codes;

/// The namespace of the `xsi:schemaLocation` and `xsi:noNamespaceSchemaLocation` attributes,
/// the only attributes the format allows (on any element).
pub(crate) const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Declares the element enum and the list of all its variants in one place.
macro_rules! elements {
    ($($name:ident),* $(,)?) => {
        /// Every element name of the format. The same name always has the same type.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(crate) enum El {
            $($name,)*
        }

        impl El {
            /// Every element, in declaration order (`el as usize` indexes it).
            pub(crate) const ALL: &'static [El] = &[$(El::$name,)*];
        }
    };
}

elements! {
    Commande,
    Entete,
    Structure,
    Finess,
    Siret,
    Emetteur,
    IdentifiantNational,
    Nom,
    Prenom,
    Email,
    ReferenceEmetteur,
    DateCreation,
    Operations,
    DemandeCarte,
    ModificationPorteur,
    FinExercice,
    DeclarationIncident,
    TypeCarte,
    Porteur,
    Activite,
    Nominative,
    AdresseCarte,
    AdressePin,
    Civilite,
    NomNaissance,
    NomUsage,
    Prenoms,
    DateNaissance,
    LieuNaissance,
    Sexe,
    Telephone,
    Matricule,
    Profession,
    Fonction,
    NumeroRpps,
    SecteurActivite,
    GenreActivite,
    ModeExercice,
    Destinataire,
    Complement,
    NumeroVoie,
    Voie,
    LieuDit,
    CodePostal,
    Commune,
    Pays,
    DateFin,
    NumeroSerieCarte,
    Nature,
    DateIncident,
    Remplacement,
}

/// An element name as little-endian words with their masks (names are at most 24 bytes).
pub(crate) struct Packed {
    words: [u64; 3],
    masks: [u64; 3],
    len: usize,
}

const fn pack(name: &str) -> Packed {
    let b = name.as_bytes();
    assert!(b.len() <= 24);
    let mut words = [0u64; 3];
    let mut masks = [0u64; 3];
    let mut i = 0;
    while i < b.len() {
        words[i / 8] |= (b[i] as u64) << (8 * (i % 8));
        masks[i / 8] |= 0xFF << (8 * (i % 8));
        i += 1;
    }
    Packed {
        words,
        masks,
        len: b.len(),
    }
}

static PACKED: [Packed; El::ALL.len()] = {
    let mut out = [const {
        Packed {
            words: [0; 3],
            masks: [0; 3],
            len: 0,
        }
    }; El::ALL.len()];
    let mut i = 0;
    while i < El::ALL.len() {
        assert!(El::ALL[i] as usize == i);
        out[i] = pack(El::ALL[i].name());
        i += 1;
    }
    out
};

/// Simple types of the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum St {
    Finess,
    Siret,
    Rpps,
    IdentifiantNational,
    ReferenceEmetteur,
    Matricule,
    NumeroSerieCarte,
    Nom,
    Libelle38,
    Libelle80,
    Email,
    Telephone,
    NumeroVoie,
    CodePostal,
    Pays,
    Date,
    DateHeure,
    Boolean,
    TypeCarte,
    Civilite,
    Sexe,
    Profession,
    Fonction,
    SecteurActivite,
    GenreActivite,
    ModeExercice,
    NatureIncident,
}

/// One position of a sequence: one of `els`, at least `min` times, once or without bound.
pub(crate) struct Slot {
    pub els: &'static [El],
    pub min: u8,
    pub unbounded: bool,
}

/// A sequence of slots; `at_least_one_from`: one of the slots from this index on must be used
/// (the schema's choice of sequences for `modificationPorteur`).
pub(crate) struct Model {
    pub slots: &'static [Slot],
    pub at_least_one_from: Option<usize>,
}

pub(crate) enum Content {
    Complex(&'static Model),
    Simple(St),
}

const fn one(els: &'static [El]) -> Slot {
    Slot {
        els,
        min: 1,
        unbounded: false,
    }
}
const fn opt(els: &'static [El]) -> Slot {
    Slot {
        els,
        min: 0,
        unbounded: false,
    }
}

use El::*;

static COMMANDE: Model = Model {
    slots: &[one(&[Entete]), one(&[Operations])],
    at_least_one_from: None,
};
static ENTETE: Model = Model {
    slots: &[
        one(&[Structure]),
        one(&[Emetteur]),
        one(&[ReferenceEmetteur]),
        one(&[DateCreation]),
    ],
    at_least_one_from: None,
};
static STRUCTURE: Model = Model {
    slots: &[one(&[Finess, Siret])],
    at_least_one_from: None,
};
static EMETTEUR: Model = Model {
    slots: &[
        opt(&[IdentifiantNational]),
        one(&[Nom]),
        one(&[Prenom]),
        one(&[Email]),
    ],
    at_least_one_from: None,
};
static OPERATIONS: Model = Model {
    slots: &[Slot {
        els: &[
            DemandeCarte,
            ModificationPorteur,
            FinExercice,
            DeclarationIncident,
        ],
        min: 1,
        unbounded: true,
    }],
    at_least_one_from: None,
};
static DEMANDE_CARTE: Model = Model {
    slots: &[
        one(&[TypeCarte]),
        one(&[Porteur]),
        one(&[Activite]),
        opt(&[Nominative]),
        one(&[AdresseCarte]),
        one(&[AdressePin]),
    ],
    at_least_one_from: None,
};
static PORTEUR: Model = Model {
    slots: &[
        one(&[Civilite]),
        one(&[NomNaissance]),
        opt(&[NomUsage]),
        one(&[Prenoms]),
        one(&[DateNaissance]),
        one(&[LieuNaissance]),
        one(&[Sexe]),
        one(&[Email]),
        one(&[Telephone]),
        one(&[Matricule]),
    ],
    at_least_one_from: None,
};
static ACTIVITE: Model = Model {
    slots: &[
        one(&[Profession, Fonction]),
        opt(&[NumeroRpps]),
        one(&[SecteurActivite]),
        opt(&[GenreActivite]),
        opt(&[ModeExercice]),
    ],
    at_least_one_from: None,
};
static ADRESSE: Model = Model {
    slots: &[
        one(&[Destinataire]),
        opt(&[Complement]),
        opt(&[NumeroVoie]),
        opt(&[Voie]),
        opt(&[LieuDit]),
        one(&[CodePostal]),
        one(&[Commune]),
        opt(&[Pays]),
    ],
    at_least_one_from: None,
};
static MODIFICATION_PORTEUR: Model = Model {
    slots: &[
        one(&[Matricule]),
        opt(&[Civilite]),
        opt(&[NomNaissance]),
        opt(&[NomUsage]),
        opt(&[Prenoms]),
        opt(&[Email]),
        opt(&[Telephone]),
        opt(&[Activite]),
        opt(&[AdresseCarte]),
        opt(&[AdressePin]),
    ],
    at_least_one_from: Some(1),
};
static FIN_EXERCICE: Model = Model {
    slots: &[one(&[Matricule]), one(&[DateFin])],
    at_least_one_from: None,
};
static DECLARATION_INCIDENT: Model = Model {
    slots: &[
        one(&[Matricule, NumeroSerieCarte]),
        one(&[Nature]),
        one(&[DateIncident]),
        one(&[Remplacement]),
    ],
    at_least_one_from: None,
};

impl El {
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Commande => "commande",
            Entete => "entete",
            Structure => "structure",
            Finess => "finess",
            Siret => "siret",
            Emetteur => "emetteur",
            IdentifiantNational => "identifiantNational",
            Nom => "nom",
            Prenom => "prenom",
            Email => "email",
            ReferenceEmetteur => "referenceEmetteur",
            DateCreation => "dateCreation",
            Operations => "operations",
            DemandeCarte => "demandeCarte",
            ModificationPorteur => "modificationPorteur",
            FinExercice => "finExercice",
            DeclarationIncident => "declarationIncident",
            TypeCarte => "typeCarte",
            Porteur => "porteur",
            Activite => "activite",
            Nominative => "nominative",
            AdresseCarte => "adresseCarte",
            AdressePin => "adressePin",
            Civilite => "civilite",
            NomNaissance => "nomNaissance",
            NomUsage => "nomUsage",
            Prenoms => "prenoms",
            DateNaissance => "dateNaissance",
            LieuNaissance => "lieuNaissance",
            Sexe => "sexe",
            Telephone => "telephone",
            Matricule => "matricule",
            Profession => "profession",
            Fonction => "fonction",
            NumeroRpps => "numeroRpps",
            SecteurActivite => "secteurActivite",
            GenreActivite => "genreActivite",
            ModeExercice => "modeExercice",
            Destinataire => "destinataire",
            Complement => "complement",
            NumeroVoie => "numeroVoie",
            Voie => "voie",
            LieuDit => "lieuDit",
            CodePostal => "codePostal",
            Commune => "commune",
            Pays => "pays",
            DateFin => "dateFin",
            NumeroSerieCarte => "numeroSerieCarte",
            Nature => "nature",
            DateIncident => "dateIncident",
            Remplacement => "remplacement",
        }
    }

    /// Whether `b` starts with this element's name followed by `>`, `/` or a space (the
    /// fast path's name test: a few word comparisons, no call).
    #[inline(always)]
    pub(crate) fn named_at(self, b: &[u8]) -> bool {
        let p = &PACKED[self as usize];
        let n = p.len;
        if let Some(head) = b.get(..24) {
            let w = |i: usize| {
                let mut x = [0u8; 8];
                x.copy_from_slice(&head[i..i + 8]);
                u64::from_le_bytes(x)
            };
            if (w(0) & p.masks[0]) != p.words[0]
                || (n > 8 && (w(8) & p.masks[1]) != p.words[1])
                || (n > 16 && (w(16) & p.masks[2]) != p.words[2])
            {
                return false;
            }
        } else if !b.starts_with(self.name().as_bytes()) {
            return false;
        }
        b.get(n)
            .is_some_and(|&c| matches!(c, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
    }

    /// The kinds of operation of the `operations` list.
    pub(crate) const OPERATIONS: [El; 4] = [
        DemandeCarte,
        ModificationPorteur,
        FinExercice,
        DeclarationIncident,
    ];

    /// For the operations whose holder may appear only once per file (the "same holder
    /// twice" rule, per kind): the kind's index; `None` for incidents and other elements.
    pub(crate) fn holder_kind(self) -> Option<usize> {
        match self {
            DemandeCarte => Some(0),
            ModificationPorteur => Some(1),
            FinExercice => Some(2),
            _ => None,
        }
    }

    pub(crate) fn from_name(s: &str) -> Option<El> {
        Some(match s {
            "commande" => Commande,
            "entete" => Entete,
            "structure" => Structure,
            "finess" => Finess,
            "siret" => Siret,
            "emetteur" => Emetteur,
            "identifiantNational" => IdentifiantNational,
            "nom" => Nom,
            "prenom" => Prenom,
            "email" => Email,
            "referenceEmetteur" => ReferenceEmetteur,
            "dateCreation" => DateCreation,
            "operations" => Operations,
            "demandeCarte" => DemandeCarte,
            "modificationPorteur" => ModificationPorteur,
            "finExercice" => FinExercice,
            "declarationIncident" => DeclarationIncident,
            "typeCarte" => TypeCarte,
            "porteur" => Porteur,
            "activite" => Activite,
            "nominative" => Nominative,
            "adresseCarte" => AdresseCarte,
            "adressePin" => AdressePin,
            "civilite" => Civilite,
            "nomNaissance" => NomNaissance,
            "nomUsage" => NomUsage,
            "prenoms" => Prenoms,
            "dateNaissance" => DateNaissance,
            "lieuNaissance" => LieuNaissance,
            "sexe" => Sexe,
            "telephone" => Telephone,
            "matricule" => Matricule,
            "profession" => Profession,
            "fonction" => Fonction,
            "numeroRpps" => NumeroRpps,
            "secteurActivite" => SecteurActivite,
            "genreActivite" => GenreActivite,
            "modeExercice" => ModeExercice,
            "destinataire" => Destinataire,
            "complement" => Complement,
            "numeroVoie" => NumeroVoie,
            "voie" => Voie,
            "lieuDit" => LieuDit,
            "codePostal" => CodePostal,
            "commune" => Commune,
            "pays" => Pays,
            "dateFin" => DateFin,
            "numeroSerieCarte" => NumeroSerieCarte,
            "nature" => Nature,
            "dateIncident" => DateIncident,
            "remplacement" => Remplacement,
            _ => return None,
        })
    }

    pub(crate) fn content(self) -> Content {
        use Content::{Complex, Simple};
        match self {
            Commande => Complex(&COMMANDE),
            Entete => Complex(&ENTETE),
            Structure => Complex(&STRUCTURE),
            Emetteur => Complex(&EMETTEUR),
            Operations => Complex(&OPERATIONS),
            DemandeCarte => Complex(&DEMANDE_CARTE),
            ModificationPorteur => Complex(&MODIFICATION_PORTEUR),
            FinExercice => Complex(&FIN_EXERCICE),
            DeclarationIncident => Complex(&DECLARATION_INCIDENT),
            Porteur => Complex(&PORTEUR),
            Activite => Complex(&ACTIVITE),
            AdresseCarte | AdressePin => Complex(&ADRESSE),
            Finess => Simple(St::Finess),
            Siret => Simple(St::Siret),
            IdentifiantNational => Simple(St::IdentifiantNational),
            Nom | Prenom | NomNaissance | NomUsage | Prenoms => Simple(St::Nom),
            Email => Simple(St::Email),
            ReferenceEmetteur => Simple(St::ReferenceEmetteur),
            DateCreation => Simple(St::DateHeure),
            TypeCarte => Simple(St::TypeCarte),
            Nominative | Remplacement => Simple(St::Boolean),
            Civilite => Simple(St::Civilite),
            DateNaissance | DateFin | DateIncident => Simple(St::Date),
            LieuNaissance => Simple(St::Libelle80),
            Sexe => Simple(St::Sexe),
            Telephone => Simple(St::Telephone),
            Matricule => Simple(St::Matricule),
            Profession => Simple(St::Profession),
            Fonction => Simple(St::Fonction),
            NumeroRpps => Simple(St::Rpps),
            SecteurActivite => Simple(St::SecteurActivite),
            GenreActivite => Simple(St::GenreActivite),
            ModeExercice => Simple(St::ModeExercice),
            Destinataire | Complement | Voie | LieuDit | Commune => Simple(St::Libelle38),
            NumeroVoie => Simple(St::NumeroVoie),
            CodePostal => Simple(St::CodePostal),
            Pays => Simple(St::Pays),
            NumeroSerieCarte => Simple(St::NumeroSerieCarte),
            Nature => Simple(St::NatureIncident),
        }
    }

    /// The schema's `default` value, used when the element is present but empty.
    pub(crate) fn default_value(self) -> Option<&'static str> {
        match self {
            Pays => Some("FR"),
            Nominative => Some("true"),
            _ => None,
        }
    }
}

/// Why a value does not fit its simple type.
pub(crate) struct Fail {
    pub code: &'static str,
    pub expected: &'static str,
}

fn fail(code: &'static str, expected: &'static str) -> Result<(), Fail> {
    Err(Fail { code, expected })
}

/// XML whitespace, as stripped by the `collapse` facet of dates and booleans.
pub(crate) fn trim_xml(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

fn all_digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

fn exact_digits(s: &str, n: usize) -> bool {
    s.len() == n && all_digits(s.as_bytes())
}

/// Characters that the schema's `Nom` pattern counts as letters: `A-Za-zÀ-ÖØ-öø-ÿŒœŸ` (the
/// letters of French civil status, Ÿ as in L'HAŸ-LES-ROSES included).
fn is_name_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{FF}' | 'Œ' | 'œ' | 'Ÿ')
}

/// `[L]+([' \-][L]+)*`
fn is_name(s: &str) -> bool {
    let mut prev_letter = false;
    for c in s.chars() {
        if is_name_letter(c) {
            prev_letter = true;
        } else if matches!(c, '\'' | ' ' | '-') && prev_letter {
            prev_letter = false;
        } else {
            return false;
        }
    }
    prev_letter
}

/// `\S+( \S+)*` where `\s` is XML whitespace.
fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || b[0] == b' ' || b[b.len() - 1] == b' ' {
        return false;
    }
    let mut prev_space = false;
    for &c in b {
        match c {
            b'\t' | b'\n' | b'\r' => return false,
            b' ' if prev_space => return false,
            b' ' => prev_space = true,
            _ => prev_space = false,
        }
    }
    true
}

/// `[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+`
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-'));
    let mut labels = 0;
    for label in domain.split('.') {
        if label.is_empty()
            || !label
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        {
            return false;
        }
        labels += 1;
    }
    local_ok && labels >= 2
}

/// `0[1-9][0-9]{8}|\+[0-9]{8,15}`
fn is_phone(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(b'0') => b.len() == 10 && matches!(b[1], b'1'..=b'9') && all_digits(&b[2..]),
        Some(b'+') => (9..=16).contains(&b.len()) && all_digits(&b[1..]),
        _ => false,
    }
}

/// `[0-9]{1,4}( ?[A-Za-z]{1,6})?`
fn is_street_number(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=4).contains(&digits) {
        return false;
    }
    let mut rest = &b[digits..];
    if rest.is_empty() {
        return true;
    }
    if rest[0] == b' ' {
        rest = &rest[1..];
    }
    (1..=6).contains(&rest.len()) && rest.iter().all(u8::is_ascii_alphabetic)
}

/// `(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97)[0-9]{7}`
fn is_finess_shape(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !all_digits(&b[2..]) {
        return false;
    }
    matches!(
        (b[0], b[1]),
        (b'0', b'1'..=b'9')
            | (b'1'..=b'8', b'0'..=b'9')
            | (b'9', b'0'..=b'5')
            | (b'2', b'A' | b'B')
            | (b'9', b'7')
    )
}

/// `[0-9]{1,15}(/[A-Za-z0-9]{1,20})?`
fn is_national_id(s: &str) -> bool {
    let (num, internal) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let num_ok = (1..=15).contains(&num.len()) && all_digits(num.as_bytes());
    num_ok
        && internal.is_none_or(|i| {
            (1..=20).contains(&i.len()) && i.bytes().all(|c| c.is_ascii_alphanumeric())
        })
}

/// `[A-Za-z0-9][A-Za-z0-9_./\-]{0,34}`
fn is_reference(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=35).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b'-'))
}

fn max_chars(s: &str, max: usize) -> bool {
    s.len() <= max || s.chars().count() <= max
}

fn pattern(ok: bool, expected: &'static str) -> Result<(), Fail> {
    if ok {
        Ok(())
    } else {
        fail(codes::FORMAT_INVALIDE, expected)
    }
}

fn enumeration(ok: bool, expected: &'static str) -> Result<(), Fail> {
    if ok {
        Ok(())
    } else {
        fail(codes::CODE_INCONNU, expected)
    }
}

fn length_then_pattern(
    s: &str,
    max: usize,
    ok: fn(&str) -> bool,
    expected: &'static str,
) -> Result<(), Fail> {
    if !max_chars(s, max) {
        return fail(codes::LONGUEUR_INVALIDE, expected);
    }
    pattern(ok(s), expected)
}

impl St {
    /// Checks a value against the type, as the XSD does (after the `default` was applied).
    pub(crate) fn check(self, v: &str) -> Result<(), Fail> {
        match self {
            St::Finess => pattern(
                is_finess_shape(v),
                "9 caractères : département (01 à 95, 2A, 2B, 97), 6 chiffres et la clé",
            ),
            St::Siret => pattern(exact_digits(v, 14), "14 chiffres"),
            St::Rpps => pattern(exact_digits(v, 11), "11 chiffres"),
            St::CodePostal => pattern(exact_digits(v, 5), "5 chiffres"),
            St::NumeroSerieCarte => pattern(exact_digits(v, 10), "10 chiffres"),
            St::IdentifiantNational => pattern(
                is_national_id(v),
                "1 à 15 chiffres, suivis éventuellement de « / » et d'un numéro interne",
            ),
            St::ReferenceEmetteur => pattern(
                is_reference(v),
                "1 à 35 lettres, chiffres ou « _ . / - », commençant par une lettre ou un chiffre",
            ),
            St::Matricule => pattern(
                (1..=20).contains(&v.len()) && v.bytes().all(|c| c.is_ascii_alphanumeric()),
                "1 à 20 lettres ou chiffres",
            ),
            St::Nom => length_then_pattern(
                v,
                80,
                is_name,
                "80 lettres au plus, mots séparés par une espace, un trait d'union ou une apostrophe",
            ),
            St::Libelle38 => length_then_pattern(
                v,
                38,
                is_label,
                "1 à 38 caractères, sans espace au début ni à la fin ni deux espaces de suite",
            ),
            St::Libelle80 => length_then_pattern(
                v,
                80,
                is_label,
                "1 à 80 caractères, sans espace au début ni à la fin ni deux espaces de suite",
            ),
            St::Email => length_then_pattern(v, 254, is_email, "une adresse électronique (nom@domaine.fr)"),
            St::Telephone => pattern(
                is_phone(v),
                "10 chiffres commençant par 0, ou « + » et 8 à 15 chiffres, sans espaces",
            ),
            St::NumeroVoie => pattern(
                is_street_number(v),
                "1 à 4 chiffres, suivis éventuellement d'un indice (bis, ter, B…)",
            ),
            St::Pays => pattern(
                v.len() == 2 && v.bytes().all(|c| c.is_ascii_uppercase()),
                "un code pays de deux lettres majuscules (FR)",
            ),
            St::Date => {
                if Date::parse_iso(trim_xml(v)).is_some() {
                    Ok(())
                } else {
                    fail(codes::DATE_INVALIDE, "une date existante AAAA-MM-JJ")
                }
            }
            St::DateHeure => {
                if DateTime::parse_iso(trim_xml(v)).is_some() {
                    Ok(())
                } else {
                    fail(
                        codes::DATE_INVALIDE,
                        "une date et heure AAAA-MM-JJThh:mm:ss, fuseau facultatif (Z ou ±hh:mm)",
                    )
                }
            }
            St::Boolean => {
                if parse_bool(v).is_some() {
                    Ok(())
                } else {
                    fail(codes::BOOLEEN_INVALIDE, "true, false, 1 ou 0")
                }
            }
            St::TypeCarte => enumeration(matches!(v, "CPE" | "CPA" | "CPS"), "CPE, CPA ou CPS"),
            St::Civilite => enumeration(CIVILITE.accepted_by_schema(v), "M ou MME"),
            St::Sexe => enumeration(matches!(v, "M" | "F"), "M ou F"),
            St::Profession => enumeration(
                PROFESSION.accepted_by_schema(v),
                "un code de profession de la table TRE_G15 (10, 21, 26, 60…)",
            ),
            St::Fonction => enumeration(
                FONCTION.accepted_by_schema(v),
                "un code de fonction de la table TRE_R21 (FON-05, FON-18…)",
            ),
            St::SecteurActivite => enumeration(
                SECTEUR_ACTIVITE.accepted_by_schema(v),
                "un code de secteur d'activité de la table TRE_R02 (SA01, SA33…)",
            ),
            St::GenreActivite => enumeration(
                GENRE_ACTIVITE.accepted_by_schema(v),
                "un code de genre d'activité de la table TRE_R22 (GENR01, GENR04…)",
            ),
            St::ModeExercice => enumeration(MODE_EXERCICE.accepted_by_schema(v), "S, L ou B"),
            St::NatureIncident => enumeration(
                matches!(v, "perte" | "vol" | "dysfonctionnement"),
                "perte, vol ou dysfonctionnement",
            ),
        }
    }
}

/// `xs:boolean` after whitespace collapse.
pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    match trim_xml(v) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(st: St, v: &str) -> bool {
        st.check(v).is_ok()
    }

    #[test]
    fn names_are_recognised_by_their_words_at_any_length() {
        let pad = " ".repeat(30);
        for &el in El::ALL {
            let name = el.name();
            assert_eq!(El::from_name(name), Some(el));
            for end in [">", "/>", " a=\"1\">", "\n>"] {
                assert!(
                    el.named_at(format!("{name}{end}").as_bytes()),
                    "{name}{end}"
                );
                assert!(el.named_at(format!("{name}{end}{pad}").as_bytes()));
            }
            // The name alone, at the end of the input: no delimiter after it.
            assert!(!el.named_at(name.as_bytes()));
            for other in [
                format!("{name}x>"),
                format!("{name}:x>"),
                format!("x{name}>"),
            ] {
                assert!(!el.named_at(other.as_bytes()), "{other}");
                assert!(!el.named_at(format!("{other}{pad}").as_bytes()), "{other}");
            }
            let mut upper = name.to_owned();
            upper.replace_range(name.len() - 1.., &name[name.len() - 1..].to_uppercase());
            assert!(!el.named_at(format!("{upper}>{pad}").as_bytes()), "{upper}");
        }
    }

    #[test]
    fn name_pattern_matches_the_xsd() {
        for v in [
            "DURAND",
            "O'NEILL",
            "LEFÈVRE-DURAND",
            "Marie Hélène",
            "Œdipe",
            "ÿ",
            "HAŸ",
        ] {
            assert!(ok(St::Nom, v), "{v}");
        }
        for v in [
            "",
            " DURAND",
            "DURAND ",
            "DU  RAND",
            "D'-A",
            "X1",
            "Jean\tPierre",
            "Ł",
            "Ž",
        ] {
            assert!(!ok(St::Nom, v), "{v}");
        }
        assert!(!ok(St::Nom, &"A".repeat(81)));
        assert!(ok(St::Nom, &"É".repeat(80)));
    }

    #[test]
    fn label_pattern_matches_the_xsd() {
        assert!(ok(St::Libelle38, "RUE DE PARIS"));
        assert!(ok(St::Libelle38, "A"));
        for v in ["", " A", "A ", "A  B", "A\tB", "A\nB"] {
            assert!(!ok(St::Libelle38, v), "{v:?}");
        }
        assert!(!ok(St::Libelle38, &"A".repeat(39)));
    }

    #[test]
    fn other_patterns_match_the_xsd() {
        assert!(ok(St::Email, "a.b-c@x-y.example.fr"));
        for v in ["a@b", "@b.fr", "a@.fr", "a@b..fr", "a b@c.fr", "a@b.fr."] {
            assert!(!ok(St::Email, v), "{v}");
        }
        assert!(ok(St::Telephone, "0474454647"));
        assert!(ok(St::Telephone, "+33474454647"));
        for v in ["0074454647", "047445464", "+3347", "04 74 45 46 47"] {
            assert!(!ok(St::Telephone, v), "{v}");
        }
        for v in ["12", "12 bis", "12B", "1234abcdef"] {
            assert!(ok(St::NumeroVoie, v), "{v}");
        }
        for v in ["", "12345", "12 ", "bis", "12  bis", "12 abcdefg"] {
            assert!(!ok(St::NumeroVoie, v), "{v}");
        }
        for v in ["620100842", "2A0000001", "970100018"] {
            assert!(ok(St::Finess, v), "{v}");
        }
        for v in [
            "960000000",
            "000000000",
            "2C0000000",
            "62010084",
            "6201008421",
        ] {
            assert!(!ok(St::Finess, v), "{v}");
        }
        assert!(ok(St::IdentifiantNational, "3620100842/01417"));
        assert!(!ok(St::IdentifiantNational, "3620100842/"));
        assert!(ok(St::ReferenceEmetteur, "CMD-2026/01.a_b"));
        assert!(!ok(St::ReferenceEmetteur, "-CMD"));
    }

    #[test]
    fn dates_and_booleans_collapse_whitespace_like_xsd() {
        assert!(ok(St::Date, " 2024-02-29\n"));
        assert!(!ok(St::Date, "2023-02-29"));
        assert!(ok(St::Boolean, " true "));
        assert!(!ok(St::Boolean, "oui"));
        assert!(ok(St::DateHeure, "2024-01-01T10:00:00+14:00"));
        assert!(!ok(St::DateHeure, "2024-01-01T24:00:00"));
    }
}
