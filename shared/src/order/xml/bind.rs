//! The business rules bound to the order's elements, written once for both readers: which
//! element's value each rule judges, what it remembers for later rules, and the holder keys.

use std::ops::Range;

use crate::date::{Date, DateTime};
use crate::order::model::CardType;
use crate::order::rules::{self, Finding};
use crate::order::xml::schema::{trim_xml, El};

/// The domain of a card request's identity among holder keys; a matricule's domain is its
/// operation's [`El::holder_kind`] (0 to 2): matricules are compared within a kind.
pub(crate) const IDENTITY: usize = 3;
/// Number of holder key domains.
pub(crate) const DOMAINS: usize = 4;

/// A date-typed value that passed its type but that its rule could not read as a date: the
/// full reader applies no rule to it, the fast path gives way.
#[derive(Debug)]
pub(crate) struct Unreadable;

/// Which parts of the current address were given.
#[derive(Default)]
struct Address {
    recipient: bool,
    street_number: bool,
    street: bool,
    locality: bool,
    postal_code: bool,
    city: bool,
}

/// What the rules remember while a file is read: the facts of the current operation that
/// later rules and the holder keys need, and the dates as the rules read them.
#[derive(Default)]
pub(crate) struct Facts {
    /// The kind of the current operation (none between operations).
    operation: Option<El>,
    pub card_type: Option<CardType>,
    /// Birth name, first names and matricule of the current operation, as read, one after
    /// the other (ranges below), so that an operation allocates nothing.
    text: String,
    birth_name: Option<Range<usize>>,
    first_names: Option<Range<usize>>,
    matricule: Option<Range<usize>>,
    pub birth_date: Option<Date>,
    /// The date of an end of exercise or of an incident.
    pub date: Option<Date>,
    /// The header's creation date and time.
    pub created_at: Option<DateTime>,
    address: Address,
}

impl Facts {
    /// A complex element opens: an operation or an address starts afresh.
    #[inline]
    pub(crate) fn open(&mut self, el: El) {
        match el {
            El::DemandeCarte
            | El::ModificationPorteur
            | El::FinExercice
            | El::DeclarationIncident => {
                self.operation = Some(el);
                self.card_type = None;
                self.text.clear();
                self.birth_name = None;
                self.first_names = None;
                self.matricule = None;
                self.birth_date = None;
                self.date = None;
            }
            El::AdresseCarte | El::AdressePin => self.address = Address::default(),
            _ => {}
        }
    }

    /// After the operation's holder keys were taken.
    pub(crate) fn end_operation(&mut self) {
        self.operation = None;
    }

    pub(crate) fn in_card_request(&self) -> bool {
        self.operation == Some(El::DemandeCarte)
    }

    fn keep(&mut self, value: &str) -> Option<Range<usize>> {
        let from = self.text.len();
        self.text.push_str(value);
        Some(from..self.text.len())
    }

    /// The value of the simple element `el` (inside `parent`) was read; `valid`: it passed
    /// its type. Remembers what later rules need (whether valid or not) and applies the
    /// element's rule to a valid value: the rule's finding, if any.
    #[inline]
    pub(crate) fn value(
        &mut self,
        parent: Option<El>,
        el: El,
        value: &str,
        valid: bool,
        today: Date,
    ) -> Result<Option<Finding>, Unreadable> {
        /// A date-typed value as its rule reads it (nothing when it did not pass its type).
        fn date(valid: bool, value: &str) -> Result<Option<Date>, Unreadable> {
            if !valid {
                return Ok(None);
            }
            Date::parse_iso(trim_xml(value)).map(Some).ok_or(Unreadable)
        }
        let address = matches!(parent, Some(El::AdresseCarte | El::AdressePin));
        Ok(match el {
            El::Finess if parent == Some(El::Structure) => {
                valid.then(|| rules::check_finess(value)).flatten()
            }
            El::Siret if parent == Some(El::Structure) => {
                valid.then(|| rules::check_siret(value)).flatten()
            }
            El::DateCreation => {
                let read = if valid {
                    DateTime::parse_iso(trim_xml(value))
                } else {
                    None
                };
                self.created_at = read;
                match read {
                    Some(dt) => rules::check_creation_date(dt.date, today),
                    None if valid => return Err(Unreadable),
                    None => None,
                }
            }
            El::TypeCarte => {
                self.card_type = CardType::from_code(value);
                None
            }
            El::NomNaissance => {
                self.birth_name = self.keep(value);
                None
            }
            El::Prenoms => {
                self.first_names = self.keep(value);
                None
            }
            El::Matricule => {
                self.matricule = self.keep(value);
                None
            }
            El::DateNaissance => {
                let read = date(valid, value);
                self.birth_date = read.as_ref().ok().copied().flatten();
                read?.and_then(|d| rules::check_birth_date(d, today))
            }
            El::DateFin | El::DateIncident => {
                let read = date(valid, value);
                self.date = read.as_ref().ok().copied().flatten();
                read?.and_then(|d| {
                    if el == El::DateFin {
                        rules::check_end_of_exercise_date(d, today)
                    } else {
                        rules::check_incident_date(d, today)
                    }
                })
            }
            El::Profession if valid => {
                let card = if self.in_card_request() {
                    self.card_type
                } else {
                    None
                };
                rules::check_profession(value, card)
            }
            El::Fonction if valid && self.in_card_request() => {
                rules::check_function_for_card(self.card_type)
            }
            El::NumeroRpps if valid => rules::check_rpps(value),
            El::Destinataire if address => {
                self.address.recipient = true;
                None
            }
            El::NumeroVoie if address => {
                self.address.street_number = true;
                None
            }
            El::Voie if address => {
                self.address.street = true;
                None
            }
            El::LieuDit if address => {
                self.address.locality = true;
                None
            }
            El::CodePostal if address => {
                self.address.postal_code = true;
                None
            }
            El::Commune if address => {
                self.address.city = true;
                None
            }
            _ => None,
        })
    }

    /// An address closes: the rule on its street parts, judged only when its required parts
    /// are there (a missing one is the schema's error).
    pub(crate) fn close_address(&self) -> Option<Finding> {
        let a = &self.address;
        if !(a.recipient && a.postal_code && a.city) {
            return None;
        }
        rules::check_address(a.street_number, a.street, a.locality)
    }

    /// The birth name, first names and birth date of the current operation, when all given.
    pub(crate) fn identity(&self) -> Option<(&str, &str, Date)> {
        let (n, p) = (self.birth_name.clone()?, self.first_names.clone()?);
        Some((&self.text[n], &self.text[p], self.birth_date?))
    }

    /// The keys of the "same holder twice" rule for the operation that closes, in the order
    /// they are compared, each with its domain: the matricule in the domain of the kind of
    /// operation, then a card request's identity (as [`rules::identity_key`] writes it, into
    /// `buf`). None for an incident.
    pub(crate) fn holder_keys<'k>(
        &'k self,
        buf: &'k mut String,
    ) -> impl Iterator<Item = (usize, &'k str)> {
        let kind = self.operation.and_then(El::holder_kind);
        let matricule = kind.zip(self.matricule.clone());
        let mut identity = None;
        if self.in_card_request() {
            if let Some((n, p, d)) = self.identity() {
                rules::identity_key_into(buf, n, p, d);
                let key: &'k String = buf;
                identity = Some((IDENTITY, key.as_str()));
            }
        }
        matricule
            .map(|(k, r)| (k, &self.text[r]))
            .into_iter()
            .chain(identity)
    }
}
