//! Deterministic synthetic order files for tests and benchmarks: valid holders with valid data,
//! and on request K injected errors of varied kinds with the list of what the reader must find.

use std::collections::HashSet;

use crate::date::{Date, DateTime};
use crate::ids::with_luhn_key;
use crate::order::errors::codes;
use crate::order::model::{
    Activity, CardRef, CardRequest, CardType, Civility, EndOfExercise, Header, Holder,
    HolderChange, IncidentDeclaration, IncidentNature, Issuer, Operation, Order, PostalAddress,
    PracticeMode, Role, Sex, StructureId, StructureKind,
};
use crate::order::xml::write::{write_epilogue, write_operation, write_prologue};

/// SplitMix64: tiny, fast, good enough for test data.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-enough integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// An error the generator injected, and where the reader must report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedError {
    /// 1-based position of the operation in the file.
    pub operation: usize,
    /// Path of the operation, e.g. `/commande/operations/demandeCarte[3]`; the error's path is
    /// this path or below it.
    pub path: String,
    pub code: &'static str,
    /// Whether `xmllint --schema` also refuses it.
    pub schema_level: bool,
}

const BIRTH_NAMES: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFÈVRE",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "GIRARD",
    "ANDRÉ",
    "MERCIER",
    "DUPONT-MOREL",
    "LE GOFF",
    "N'DIAYE",
    "MÜLLER",
    "GARÇON",
    "O'NEILL",
    "BOYER",
    "CHEVALIER",
    "FRANÇOIS",
    "LEGRAND",
];
const FIRST_NAMES_F: &[&str] = &[
    "Marie",
    "Julie",
    "Camille",
    "Léa",
    "Chloé",
    "Inès",
    "Sophie",
    "Hélène",
    "Anne-Laure",
    "Maëlle",
    "Zoé",
    "Claire Marie",
];
const FIRST_NAMES_M: &[&str] = &[
    "Jean",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Raphaël",
    "Noé",
    "Jean-Pierre",
    "François",
    "Théo",
    "Éric",
    "Paul André",
];
const CITIES: &[(&str, &str)] = &[
    ("01000", "BOURG-EN-BRESSE"),
    ("01440", "VIRIAT"),
    ("62000", "ARRAS"),
    ("76000", "ROUEN"),
    ("75012", "PARIS"),
    ("69003", "LYON"),
    ("13005", "MARSEILLE"),
    ("20000", "AJACCIO"),
    ("97100", "BASSE-TERRE"),
];
const STREETS: &[&str] = &[
    "RUE DE PARIS",
    "AVENUE JEAN JAURES",
    "PLACE BERNARD",
    "ROUTE DE LYON",
    "RUE JEANNE D'ARC",
    "BOULEVARD VICTOR HUGO",
    "ALLEE DES TILLEULS",
];
const PROFESSIONS: &[&str] = &[
    "26", "28", "31", "32", "60", "69", "70", "80", "86", "91", "92", "94", "95", "96", "98",
];
const FONCTIONS: &[&str] = &[
    "FON-05", "FON-09", "FON-17", "FON-18", "FON-22", "FON-23", "FON-33", "FON-36", "FON-43",
    "FON-45",
];
const SECTORS: &[&str] = &[
    "SA01", "SA03", "SA04", "SA05", "SA16", "SA17", "SA25", "SA33", "SA52",
];
const KINDS: &[&str] = &["GENR01", "GENR04", "GENR06", "GENR13", "GENR99"];

fn date(rng: &mut SplitMix64, from_year: u16, years: usize) -> Date {
    let y = from_year + rng.below(years) as u16;
    let m = 1 + rng.below(12) as u8;
    let d = 1 + rng.below(28) as u8;
    Date::new(y, m, d).unwrap_or(Date::new(2000, 1, 1).expect("valid date"))
}

fn address(rng: &mut SplitMix64, recipient: &str) -> PostalAddress {
    let (cp, city) = *rng.pick(CITIES);
    let with_street = rng.chance(85);
    PostalAddress {
        recipient: recipient
            .chars()
            .take(38)
            .collect::<String>()
            .trim_end()
            .to_owned(),
        // Some complements carry characters the writer must escape.
        complement: rng.chance(20).then(|| {
            rng.pick(&[
                "BATIMENT B",
                "ESCALIER \"C\" & ASCENSEUR",
                "A L'ACCUEIL <RDC>",
            ])
            .to_string()
        }),
        street_number: (with_street && rng.chance(80)).then(|| {
            let n = 1 + rng.below(300);
            if rng.chance(10) {
                format!("{n} bis")
            } else {
                n.to_string()
            }
        }),
        street: with_street.then(|| rng.pick(STREETS).to_string()),
        locality: (!with_street).then(|| "LIEU-DIT LES CHAMPS".to_owned()),
        postal_code: cp.to_owned(),
        city: city.to_owned(),
        country: "FR".to_owned(),
    }
}

fn finess(rng: &mut SplitMix64) -> String {
    let dept = 1 + rng.below(95);
    with_luhn_key(&format!("{dept:02}{}", rng.digits(6)))
}

fn siret(rng: &mut SplitMix64) -> String {
    let first = 1 + rng.below(8);
    let siren = with_luhn_key(&format!("{first}{}", rng.digits(7)));
    let body = format!("{siren}{}", rng.digits(4));
    with_luhn_key(&body)
}

fn card_request(
    rng: &mut SplitMix64,
    i: usize,
    identities: &mut HashSet<(String, String, Date)>,
) -> CardRequest {
    let female = rng.chance(50);
    let birth_name = rng.pick(BIRTH_NAMES).to_string();
    let first_names = if female {
        rng.pick(FIRST_NAMES_F)
    } else {
        rng.pick(FIRST_NAMES_M)
    }
    .to_string();
    let mut birth_date = date(rng, 1950, 50);
    while !identities.insert((birth_name.clone(), first_names.clone(), birth_date)) {
        birth_date = date(rng, 1950, 50);
    }
    let card_type = match rng.below(10) {
        0..=5 => CardType::Cpe,
        6 | 7 => CardType::Cpa,
        _ => CardType::Cps,
    };
    let role = if card_type == CardType::Cps || rng.chance(15) {
        Role::Profession(rng.pick(PROFESSIONS).to_string())
    } else {
        Role::Function(rng.pick(FONCTIONS).to_string())
    };
    let rpps = (card_type == CardType::Cps && rng.chance(60))
        .then(|| with_luhn_key(&format!("10{}", rng.digits(8))));
    let holder_label = format!("{} {}", first_names, birth_name).to_uppercase();
    CardRequest {
        card_type,
        holder: Holder {
            civility: if female { Civility::Mme } else { Civility::M },
            birth_name,
            usual_name: (female && rng.chance(30)).then(|| rng.pick(BIRTH_NAMES).to_string()),
            first_names,
            birth_date,
            birth_place: rng.pick(CITIES).1.to_owned(),
            sex: if female { Sex::F } else { Sex::M },
            email: format!("porteur{i}@structure-{}.example.fr", rng.below(50)),
            phone: if rng.chance(80) {
                format!("0{}{}", 1 + rng.below(9), rng.digits(8))
            } else {
                format!("+33{}", rng.digits(9))
            },
            matricule: format!("M{i:07}"),
        },
        activity: Activity {
            role,
            rpps,
            sector: rng.pick(SECTORS).to_string(),
            activity_kind: rng.chance(70).then(|| rng.pick(KINDS).to_string()),
            practice_mode: rng
                .chance(60)
                .then(|| *rng.pick(&[PracticeMode::S, PracticeMode::L, PracticeMode::B])),
        },
        nominative: card_type != CardType::Cpe || rng.chance(90),
        card_address: address(rng, "SERVICE DU PERSONNEL"),
        pin_address: address(rng, &holder_label),
    }
}

fn operation(
    rng: &mut SplitMix64,
    i: usize,
    identities: &mut HashSet<(String, String, Date)>,
) -> Operation {
    match rng.below(10) {
        0..=6 => Operation::CardRequest(card_request(rng, i, identities)),
        7 => {
            let mut c = HolderChange {
                matricule: format!("C{i:07}"),
                ..HolderChange::default()
            };
            while !c.changes_something() {
                if rng.chance(30) {
                    c.usual_name = Some(rng.pick(BIRTH_NAMES).to_string());
                }
                if rng.chance(30) {
                    c.email = Some(format!("nouveau{i}@example.fr"));
                }
                if rng.chance(20) {
                    c.phone = Some(format!("06{}", rng.digits(8)));
                }
                if rng.chance(15) {
                    c.civility = Some(Civility::Mme);
                }
                if rng.chance(15) {
                    c.activity = Some(Activity {
                        role: Role::Function(rng.pick(FONCTIONS).to_string()),
                        rpps: None,
                        sector: rng.pick(SECTORS).to_string(),
                        activity_kind: None,
                        practice_mode: None,
                    });
                }
                if rng.chance(20) {
                    c.card_address = Some(address(rng, "ACCUEIL"));
                }
                if rng.chance(20) {
                    c.pin_address = Some(address(rng, "SECRETARIAT"));
                }
            }
            Operation::HolderChange(c)
        }
        8 => Operation::EndOfExercise(EndOfExercise {
            matricule: format!("F{i:07}"),
            date: date(rng, 2020, 5),
        }),
        _ => Operation::IncidentDeclaration(IncidentDeclaration {
            card: if rng.chance(80) {
                CardRef::Matricule(format!("I{i:07}"))
            } else {
                CardRef::SerialNumber(rng.digits(10))
            },
            nature: *rng.pick(&[
                IncidentNature::Loss,
                IncidentNature::Theft,
                IncidentNature::Malfunction,
            ]),
            date: date(rng, 2020, 5),
            replacement: rng.chance(70),
        }),
    }
}

/// A valid order of `n_ops` operations (at least one), the same for the same seed.
pub fn generate_order(n_ops: usize, seed: u64) -> Order {
    let mut rng = SplitMix64::new(seed);
    let structure = if rng.chance(80) {
        StructureId {
            kind: StructureKind::Finess,
            value: finess(&mut rng),
        }
    } else {
        StructureId {
            kind: StructureKind::Siret,
            value: siret(&mut rng),
        }
    };
    let header = Header {
        structure,
        issuer: Issuer {
            national_id: rng.chance(50).then(|| "3620100842/01417".to_owned()),
            last_name: "MANDATAIRE".to_owned(),
            first_name: "Alix".to_owned(),
            email: "mandataire@structure.example.fr".to_owned(),
        },
        issuer_reference: format!("GEN-{seed}"),
        created_at: DateTime {
            date: date(&mut rng, 2024, 2),
            hour: rng.below(24) as u8,
            minute: rng.below(60) as u8,
            second: rng.below(60) as u8,
            offset_minutes: *rng.pick(&[None, Some(0), Some(60), Some(120)]),
        },
    };
    let mut identities = HashSet::new();
    let operations = (1..=n_ops.max(1))
        .map(|i| operation(&mut rng, i, &mut identities))
        .collect();
    Order { header, operations }
}

/// The kinds of injected errors, cycled through in order of the random draw.
#[derive(Clone, Copy, Debug)]
enum Injection {
    MissingBirthName,
    BadSector,
    BadPostalCode,
    WrongOrder,
    DateThatDoesNotExist,
    TooLongRecipient,
    UnknownElement,
    BadBoolean,
    BadRppsKey,
    ImplausibleBirthDate,
    CpsForRppsProfession,
    DeprecatedProfession,
    DuplicateHolder,
    IncompleteAddress,
}

const INJECTIONS: &[Injection] = &[
    Injection::MissingBirthName,
    Injection::BadSector,
    Injection::BadPostalCode,
    Injection::WrongOrder,
    Injection::DateThatDoesNotExist,
    Injection::TooLongRecipient,
    Injection::UnknownElement,
    Injection::BadBoolean,
    Injection::BadRppsKey,
    Injection::ImplausibleBirthDate,
    Injection::CpsForRppsProfession,
    Injection::DeprecatedProfession,
    Injection::DuplicateHolder,
    Injection::IncompleteAddress,
];

/// Generates an order file of `n_ops` operations with `n_errors` injected errors (at most one
/// per card request; fewer if there are not enough card requests) and the list of expected
/// errors, sorted by operation. Same output for the same arguments.
pub fn generate(n_ops: usize, seed: u64, n_errors: usize) -> (String, Vec<ExpectedError>) {
    let mut order = generate_order(n_ops, seed);
    let mut rng = SplitMix64::new(seed ^ 0xD1B5_4A32_D192_ED03);

    // Choose distinct card requests to break (partial Fisher-Yates).
    let mut targets: Vec<usize> = order
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| matches!(op, Operation::CardRequest(_)))
        .map(|(i, _)| i)
        .collect();
    let k = n_errors.min(targets.len());
    for i in 0..k {
        let j = i + rng.below(targets.len() - i);
        targets.swap(i, j);
    }
    let mut chosen: Vec<(usize, Injection)> = targets[..k]
        .iter()
        .map(|&t| (t, *rng.pick(INJECTIONS)))
        .collect();
    chosen.sort_by_key(|(t, _)| *t);

    // Business-level injections change the model; schema-level ones the written text.
    let mut text_edits: Vec<Option<Injection>> = vec![None; order.operations.len()];
    let mut expected = Vec::with_capacity(k);
    let first_card = targets_first_card(&order);
    for &(t, mut inj) in &chosen {
        if matches!(inj, Injection::DuplicateHolder) && first_card.is_none_or(|f| f >= t) {
            inj = Injection::IncompleteAddress;
        }
        let earlier_matricule = first_card.and_then(|f| match &order.operations[f] {
            Operation::CardRequest(r) => Some(r.holder.matricule.clone()),
            _ => None,
        });
        let Operation::CardRequest(r) = &mut order.operations[t] else {
            continue;
        };
        let (code, schema_level) = match inj {
            Injection::MissingBirthName => (codes::ELEMENT_MANQUANT, true),
            Injection::BadSector => (codes::CODE_INCONNU, true),
            Injection::BadPostalCode => (codes::FORMAT_INVALIDE, true),
            Injection::WrongOrder => (codes::ELEMENT_MAL_PLACE, true),
            Injection::DateThatDoesNotExist => (codes::DATE_INVALIDE, true),
            Injection::TooLongRecipient => (codes::LONGUEUR_INVALIDE, true),
            Injection::UnknownElement => (codes::ELEMENT_INCONNU, true),
            Injection::BadBoolean => (codes::BOOLEEN_INVALIDE, true),
            Injection::BadRppsKey => {
                let good = with_luhn_key(&format!("10{}", rng.digits(8)));
                let last = good.as_bytes()[10] - b'0';
                let bad = format!("{}{}", &good[..10], (last + 1) % 10);
                r.activity.rpps = Some(bad);
                (codes::RPPS_CLE_INVALIDE, false)
            }
            Injection::ImplausibleBirthDate => {
                // A different day per operation, so two such holders never share an identity.
                r.holder.birth_date = Date::new(1800, 1, 1)
                    .expect("valid date")
                    .add_days((t % 36_000) as i64);
                (codes::DATE_NAISSANCE_INVRAISEMBLABLE, false)
            }
            Injection::CpsForRppsProfession => {
                r.card_type = CardType::Cps;
                r.activity.role = Role::Profession(rng.pick(&["10", "21", "40", "50"]).to_string());
                (codes::CPS_PROFESSION_RPPS, false)
            }
            Injection::DeprecatedProfession => {
                r.card_type = CardType::Cpe;
                r.activity.role =
                    Role::Profession(rng.pick(&["35", "36", "37", "38", "39", "93"]).to_string());
                (codes::PROFESSION_OBSOLETE, false)
            }
            Injection::DuplicateHolder => {
                r.holder.matricule = earlier_matricule.unwrap_or_default();
                (codes::PORTEUR_EN_DOUBLE, false)
            }
            Injection::IncompleteAddress => {
                r.card_address.street = None;
                r.card_address.street_number = None;
                r.card_address.locality = None;
                (codes::ADRESSE_INCOMPLETE, false)
            }
        };
        if schema_level {
            text_edits[t] = Some(inj);
        }
        expected.push(ExpectedError {
            operation: t + 1,
            path: String::new(),
            code,
            schema_level,
        });
    }

    // Write, applying the text edits, and compute each operation's path.
    let mut out = String::with_capacity(1024 + order.operations.len() * 1600);
    write_prologue(&mut out, &order);
    let mut counts = [0usize; 4];
    let mut paths = Vec::with_capacity(order.operations.len());
    let mut chunk = String::with_capacity(2048);
    for (i, op) in order.operations.iter().enumerate() {
        let (k, name) = match op {
            Operation::CardRequest(_) => (0, "demandeCarte"),
            Operation::HolderChange(_) => (1, "modificationPorteur"),
            Operation::EndOfExercise(_) => (2, "finExercice"),
            Operation::IncidentDeclaration(_) => (3, "declarationIncident"),
        };
        counts[k] += 1;
        paths.push(format!("/commande/operations/{name}[{}]", counts[k]));
        chunk.clear();
        write_operation(&mut chunk, op);
        if let Some(inj) = text_edits[i] {
            chunk = apply_text_edit(&chunk, inj);
        }
        out.push_str(&chunk);
    }
    write_epilogue(&mut out);
    for e in &mut expected {
        e.path = paths[e.operation - 1].clone();
    }
    (out, expected)
}

fn targets_first_card(order: &Order) -> Option<usize> {
    order
        .operations
        .iter()
        .position(|op| matches!(op, Operation::CardRequest(_)))
}

/// Replaces the text of the first `<tag>…</tag>` in `s`.
fn replace_value(s: &str, tag: &str, value: &str) -> String {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    match (s.find(&open), s.find(&close)) {
        (Some(a), Some(b)) if a < b => format!("{}{open}{value}{}", &s[..a], &s[b..]),
        _ => s.to_owned(),
    }
}

/// The whole line holding the first `<tag>`.
fn line_of(s: &str, tag: &str) -> Option<(usize, usize)> {
    let at = s.find(&format!("<{tag}>"))?;
    let start = s[..at].rfind('\n').map_or(0, |p| p + 1);
    let end = s[at..].find('\n').map_or(s.len(), |p| at + p + 1);
    Some((start, end))
}

fn apply_text_edit(s: &str, inj: Injection) -> String {
    match inj {
        Injection::MissingBirthName => match line_of(s, "nomNaissance") {
            Some((a, b)) => format!("{}{}", &s[..a], &s[b..]),
            None => s.to_owned(),
        },
        Injection::BadSector => replace_value(s, "secteurActivite", "SA99"),
        Injection::BadPostalCode => replace_value(s, "codePostal", "7500"),
        Injection::WrongOrder => match (line_of(s, "civilite"), line_of(s, "nomNaissance")) {
            // civilite then nomNaissance, adjacent: swap them.
            (Some((a, b)), Some((c, d))) if b == c => {
                format!("{}{}{}{}", &s[..a], &s[c..d], &s[a..b], &s[d..])
            }
            _ => s.to_owned(),
        },
        Injection::DateThatDoesNotExist => replace_value(s, "dateNaissance", "1983-02-30"),
        Injection::TooLongRecipient => replace_value(
            s,
            "destinataire",
            "SERVICE DES RESSOURCES HUMAINES ET DE LA PAIE",
        ),
        Injection::UnknownElement => match line_of(s, "matricule") {
            Some((_, b)) => format!("{}        <service>ACCUEIL</service>\n{}", &s[..b], &s[b..]),
            None => s.to_owned(),
        },
        Injection::BadBoolean => replace_value(s, "nominative", "oui"),
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(generate(50, 7, 5), generate(50, 7, 5));
        assert_ne!(generate(50, 7, 5).0, generate(50, 8, 5).0);
    }

    #[test]
    fn asks_for_no_more_errors_than_card_requests() {
        let (_, expected) = generate(3, 1, 100);
        assert!(expected.len() <= 3);
    }
}
