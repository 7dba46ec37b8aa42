//! The card fleet's rules, for the server and the SPA alike: where a card stands, how names are
//! searched, what a holder record holds and how a change applies to it, which identity fields
//! come from the RPPS, and how expiries are counted per month.

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::date::{paris_offset_seconds, Date};
use crate::nomenclature::is_rpps_simplified;
use crate::order::model::{
    Activity, CardRequest, CardType, Holder, HolderChange, PostalAddress, Role,
};

/// Where a card stands. Stored as [`CardState::code`] except `Expiree`, which is derived from
/// `not_after` (an active card past its end of validity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    /// Valid and usable.
    Active,
    /// Past its end of validity (not revoked).
    Expiree,
    /// Opposed after a loss or theft (revoked, `keyCompromise`).
    Opposee,
    /// Its holder left the structure (revoked, `cessationOfOperation`).
    FinExercice,
    /// Replaced after a malfunction (revoked, `superseded`).
    Remplacee,
}

impl CardState {
    pub const ALL: [CardState; 5] = [
        CardState::Active,
        CardState::Expiree,
        CardState::Opposee,
        CardState::FinExercice,
        CardState::Remplacee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CardState::Active => "active",
            CardState::Expiree => "expiree",
            CardState::Opposee => "opposee",
            CardState::FinExercice => "fin_exercice",
            CardState::Remplacee => "remplacee",
        }
    }

    pub fn from_code(code: &str) -> Option<CardState> {
        CardState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CardState::Active => "Active",
            CardState::Expiree => "Expirée",
            CardState::Opposee => "Opposée (perte ou vol)",
            CardState::FinExercice => "Fin d'exercice",
            CardState::Remplacee => "Remplacée",
        }
    }

    /// The state a card is in at `now` (Unix seconds), from its stored state and end of validity.
    pub fn at(stored: &str, not_after: Option<i64>, now: i64) -> CardState {
        match CardState::from_code(stored) {
            Some(CardState::Active) | None if not_after.is_some_and(|n| n < now) => {
                CardState::Expiree
            }
            Some(state) => state,
            None => CardState::Active,
        }
    }

    /// Whether the card can still be used (and so opposed, ended or renewed).
    pub fn is_live(self) -> bool {
        self == CardState::Active
    }
}

/// CRL reason codes TOM gives (RFC 5280 §5.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RevocationReason {
    /// Loss or theft: the key may be in someone else's hands.
    KeyCompromise,
    /// A malfunctioning card replaced by a new one.
    Superseded,
    /// End of exercise in the structure.
    CessationOfOperation,
}

impl RevocationReason {
    /// The `CRLReason` code (RFC 5280 §5.3.1).
    pub fn crl_code(self) -> u8 {
        match self {
            RevocationReason::KeyCompromise => 1,
            RevocationReason::Superseded => 4,
            RevocationReason::CessationOfOperation => 5,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            RevocationReason::KeyCompromise => "keyCompromise",
            RevocationReason::Superseded => "superseded",
            RevocationReason::CessationOfOperation => "cessationOfOperation",
        }
    }
    /// The state the card is left in.
    pub fn state(self) -> CardState {
        match self {
            RevocationReason::KeyCompromise => CardState::Opposee,
            RevocationReason::Superseded => CardState::Remplacee,
            RevocationReason::CessationOfOperation => CardState::FinExercice,
        }
    }
}

/// A name folded for search and sorting: upper case, accents and ligatures taken off, every run of
/// other characters one space (« Lefèvre-Œhmichen » → `LEFEVRE OEHMICHEN`). The same fold is
/// applied to what the user types, so « lefevre » finds « LEFÈVRE ».
pub fn name_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let upper: &str = match c {
            'œ' | 'Œ' => "OE",
            'æ' | 'Æ' => "AE",
            'ß' => "SS",
            _ => "",
        };
        if !upper.is_empty() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push_str(upper);
        } else if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_uppercase());
        } else {
            space = true;
        }
    }
    out
}

/// The key a card is listed under: family name then given name.
/// `long` begins with the words of `short` (« ANNE LAURE MARIE » with « ANNE LAURE »).
fn begins_with_words(long: &str, short: &str) -> bool {
    !short.is_empty() && (long == short || long.starts_with(&format!("{short} ")))
}

/// Whether a holder bears these names: the family name is their birth or usual name, and the
/// given names begin one another, compared as searched (accents, case and punctuation aside).
pub fn bears_names(h: &crate::order::model::Holder, family_name: &str, given_name: &str) -> bool {
    let family = name_key(family_name);
    let (given, theirs) = (name_key(given_name), name_key(&h.first_names));
    let families = std::iter::once(h.birth_name.as_str()).chain(h.usual_name.as_deref());
    families.map(name_key).any(|f| f == family)
        && (begins_with_words(&theirs, &given) || begins_with_words(&given, &theirs))
}

/// Whether two holder records are the same person (seed rule « a person who already has a card
/// gets no new one »): the same birth date, and the names of one borne by the other (birth or
/// usual name on either side, so a married name does not hide a card; « Anne Laure » and
/// « Anne-Laure Marie » alike).
pub fn same_person(a: &crate::order::model::Holder, b: &crate::order::model::Holder) -> bool {
    let families = std::iter::once(b.birth_name.as_str()).chain(b.usual_name.as_deref());
    a.birth_date == b.birth_date
        && families
            .into_iter()
            .any(|f| bears_names(a, f, &b.first_names))
}

pub fn holder_key(family_name: &str, given_name: &str) -> String {
    name_key(&format!("{family_name} {given_name}"))
}

/// What TOM keeps of a card's holder: the order's holder, activity and addresses, kept up to date
/// by holder changes. Serialized as JSON in the `cards.holder` column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderRecord {
    pub holder: Holder,
    pub activity: Activity,
    pub nominative: bool,
    pub card_address: PostalAddress,
    pub pin_address: PostalAddress,
}

impl HolderRecord {
    pub fn from_request(request: &CardRequest) -> HolderRecord {
        HolderRecord {
            holder: request.holder.clone(),
            activity: request.activity.clone(),
            nominative: request.nominative,
            card_address: request.card_address.clone(),
            pin_address: request.pin_address.clone(),
        }
    }

    /// The card request a replacement or renewal of this holder's card is made of.
    pub fn to_request(&self, card_type: CardType) -> CardRequest {
        CardRequest {
            card_type,
            holder: self.holder.clone(),
            activity: self.activity.clone(),
            nominative: self.nominative,
            card_address: self.card_address.clone(),
            pin_address: self.pin_address.clone(),
        }
    }

    /// The family name shown in the fleet: the usual name when there is one.
    pub fn family_name(&self) -> &str {
        self.holder
            .usual_name
            .as_deref()
            .unwrap_or(&self.holder.birth_name)
    }

    /// The first of the given names.
    pub fn given_name(&self) -> &str {
        self.holder
            .first_names
            .split([' ', ','])
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }

    /// The profession code (TRE_G15), when the holder has a profession rather than a function.
    pub fn profession(&self) -> Option<&str> {
        match &self.activity.role {
            Role::Profession(code) => Some(code),
            _ => None,
        }
    }

    /// Whether the identity comes from the RPPS and cannot be changed in TOM: doctors,
    /// pharmacists, dental surgeons and midwives (professions 10, 21, 40, 50; domain.md §2).
    pub fn identity_locked(&self) -> bool {
        self.profession().is_some_and(is_rpps_simplified)
    }

    /// Applies a change: the fields it sets replace the record's. Returns the fields changed, by
    /// their order-file names (`nomNaissance`, `adresseCarte`…), or the identity fields refused
    /// because the RPPS owns them.
    pub fn apply(&mut self, change: &HolderChange) -> Result<Vec<&'static str>, Vec<&'static str>> {
        // The profession too: changing it would lift the lock.
        let identity: [(&'static str, bool); 5] = [
            ("civilite", change.civility.is_some()),
            ("nomNaissance", change.birth_name.is_some()),
            ("nomUsage", change.usual_name.is_some()),
            ("prenoms", change.first_names.is_some()),
            ("activite", change.activity.is_some()),
        ];
        if self.identity_locked() {
            let refused: Vec<&'static str> = identity
                .iter()
                .filter(|(_, set)| *set)
                .map(|(name, _)| *name)
                .collect();
            if !refused.is_empty() {
                return Err(refused);
            }
        }
        let mut changed = Vec::new();
        macro_rules! set {
            ($field:expr, $target:expr, $name:literal) => {
                if let Some(v) = &$field {
                    if $target != *v {
                        $target = v.clone();
                        changed.push($name);
                    }
                }
            };
        }
        set!(change.civility, self.holder.civility, "civilite");
        set!(change.birth_name, self.holder.birth_name, "nomNaissance");
        if let Some(v) = &change.usual_name {
            let v = (!v.is_empty()).then(|| v.clone());
            if self.holder.usual_name != v {
                self.holder.usual_name = v;
                changed.push("nomUsage");
            }
        }
        set!(change.first_names, self.holder.first_names, "prenoms");
        set!(change.email, self.holder.email, "email");
        set!(change.phone, self.holder.phone, "telephone");
        set!(change.activity, self.activity, "activite");
        set!(change.card_address, self.card_address, "adresseCarte");
        set!(change.pin_address, self.pin_address, "adressePin");
        Ok(changed)
    }
}

/// The French label of a holder field named as in order files (`nomNaissance` → « nom de
/// naissance »), for messages.
pub fn field_label(name: &str) -> &'static str {
    match name {
        "civilite" => "civilité",
        "nomNaissance" => "nom de naissance",
        "nomUsage" => "nom d'usage",
        "prenoms" => "prénoms",
        "email" => "courriel",
        "telephone" => "téléphone",
        "activite" => "activité (profession ou fonction)",
        "adresseCarte" => "adresse d'envoi de la carte",
        "adressePin" => "adresse d'envoi des codes",
        _ => "donnée",
    }
}

/// The calendar day in Paris at a Unix time.
pub fn paris_date(unix: i64) -> Date {
    Date::from_days((unix + paris_offset_seconds(unix)).div_euclid(86_400))
        .unwrap_or_else(|| Date::new(1970, 1, 1).expect("date"))
}

/// The calendar month (in Paris) of a Unix time, as `AAAA-MM`.
pub fn month_of(unix: i64) -> String {
    let date = paris_date(unix);
    format!("{:04}-{:02}", date.year(), date.month())
}

/// The `n` months from the month of `now` on, as `AAAA-MM`.
pub fn months_from(now: i64, n: usize) -> Vec<String> {
    let first = month_of(now);
    let (mut year, mut month): (u32, u32) = (
        first[..4].parse().unwrap_or(1970),
        first[5..].parse().unwrap_or(1),
    );
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(format!("{year:04}-{month:02}"));
        month += 1;
        if month == 13 {
            month = 1;
            year += 1;
        }
    }
    out
}

/// The first Unix second (in Paris) of a month `AAAA-MM`, and of the month after it; `None` for
/// anything else.
pub fn month_bounds(month: &str) -> Option<(i64, i64)> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (u16, u8) = (y.parse().ok()?, m.parse().ok()?);
    let start = Date::new(y, m, 1)?;
    let next = if m == 12 {
        Date::new(y + 1, 1, 1)?
    } else {
        Date::new(y, m + 1, 1)?
    };
    Some((
        crate::date::paris_day_start(start),
        crate::date::paris_day_start(next),
    ))
}

/// How many months the expiry chart shows.
pub const CHART_MONTHS: usize = 36;

/// The window renewals look into by default, in days.
pub const RENEWAL_DAYS: u32 = 90;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_under_a_birth_or_a_married_name() {
        let holder = |birth: &str, usual: Option<&str>, first: &str, born: &str| {
            crate::order::model::Holder {
                civility: crate::order::model::Civility::Mme,
                birth_name: birth.into(),
                usual_name: usual.map(Into::into),
                first_names: first.into(),
                birth_date: born.parse().unwrap(),
                birth_place: "Créteil".into(),
                sex: crate::order::model::Sex::F,
                email: "a@example.fr".into(),
                phone: "0102030405".into(),
                matricule: "M1".into(),
            }
        };
        let carded = holder("THOMAS", Some("ANDRÉ"), "Anne-Laure Marie", "1973-01-28");
        assert!(same_person(
            &carded,
            &holder("Thomas", None, "anne-laure", "1973-01-28")
        ));
        assert!(same_person(
            &carded,
            &holder("Andre", None, "Anne-Laure", "1973-01-28")
        ));
        assert!(!same_person(
            &carded,
            &holder("THOMAS", None, "Anne-Laure", "1973-01-29")
        ));
        assert!(!same_person(
            &carded,
            &holder("THOMAS", None, "Marie", "1973-01-28")
        ));
        assert!(same_person(
            &carded,
            &holder("THOMAS", None, "Anne Laure", "1973-01-28")
        ));
        assert!(!same_person(
            &carded,
            &holder("THOMAS", None, "Annette", "1973-01-28")
        ));
        assert!(!same_person(
            &carded,
            &holder("DUPONT", None, "Anne-Laure", "1973-01-28")
        ));
    }

    #[test]
    fn names_fold_case_accents_ligatures_and_punctuation() {
        assert_eq!(name_key("Lefèvre-Œhmichen"), "LEFEVRE OEHMICHEN");
        assert_eq!(name_key("  d'Aubigné  Marie-Ève "), "D AUBIGNE MARIE EVE");
        assert_eq!(name_key("L'HAŸ"), "L HAY");
        assert_eq!(holder_key("Dupont", "Zoé"), "DUPONT ZOE");
        assert_eq!(name_key(""), "");
    }

    #[test]
    fn an_active_card_past_its_end_is_expired_a_revoked_one_stays_what_it_is() {
        assert_eq!(CardState::at("active", Some(10), 11), CardState::Expiree);
        assert_eq!(CardState::at("active", Some(10), 10), CardState::Active);
        assert_eq!(CardState::at("opposee", Some(10), 11), CardState::Opposee);
        for s in CardState::ALL {
            assert_eq!(CardState::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn months_run_from_this_month_in_paris() {
        // 2026-12-31 23:30 UTC is already January in Paris.
        let t = Date::new(2026, 12, 31).unwrap().to_days() * 86_400 + 23 * 3600 + 1800;
        assert_eq!(month_of(t), "2027-01");
        let months = months_from(t, 14);
        assert_eq!(months[0], "2027-01");
        assert_eq!(months[11], "2027-12");
        assert_eq!(months[12], "2028-01");
        let (a, b) = month_bounds("2027-03").unwrap();
        assert_eq!(month_of(a), "2027-03");
        assert_eq!(month_of(b - 1), "2027-03");
        assert_eq!(month_of(b), "2027-04");
        assert_eq!(month_bounds("2027-13"), None);
        assert_eq!(month_bounds("27-03"), None);
    }
}
