//! Authorization as a capability: an `Access` (one structure, with the role that grants it) or an
//! `OperatorAccess` exists only once a decision was made, and every store function that reads or
//! writes a structure's data, an order line, a document or a deliverable takes one. A leaf: it
//! imports nothing of TOM above it, so no feature can forge a capability.

use std::fmt;

use serde::Deserialize;
use shared::api::Role;

/// A structure's identifiant national in TOM (TRE_G07 form, e.g. `1940000011`), parsed from the
/// path: 2 to 32 ASCII letters or digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StructureId(String);

impl StructureId {
    pub fn parse(text: &str) -> Option<Self> {
        ((2..=32).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StructureId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An order number as TOM gives them: `C` and ten characters of an alphabet without 0/O/1/I.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderId(String);

impl OrderId {
    /// The alphabet of order numbers (no 0, O, 1 or I: read aloud on the phone without doubt).
    pub const ALPHABET: &'static [u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    pub fn parse(text: &str) -> Option<Self> {
        let ok = text.len() == 11
            && text.starts_with('C')
            && text[1..].bytes().all(|b| Self::ALPHABET.contains(&b));
        ok.then(|| Self(text.to_string()))
    }

    /// A new order number from ten random bytes.
    pub fn from_random(bytes: [u8; 10]) -> Self {
        let code: String = bytes
            .iter()
            .map(|b| Self::ALPHABET[*b as usize % Self::ALPHABET.len()] as char)
            .collect();
        Self(format!("C{code}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Path segments that must be an order number; anything else is "not found" (order numbers
/// reveal nothing).
impl<'de> Deserialize<'de> for OrderId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom("numéro de commande"))
    }
}

impl<'de> Deserialize<'de> for StructureId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom("identifiant de structure"))
    }
}

/// Why someone may act on one structure's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// A current mandate, or legal representation, in the structure.
    Role(Role),
    /// An operator of the issuing service: reads every structure, acts for none.
    Operator,
}

/// Permission to read (and, with a role, act on) one structure's data.
#[derive(Debug, Clone)]
pub struct Access {
    structure: StructureId,
    grant: Grant,
}

impl Access {
    /// Only `auth` decides.
    pub(in crate::auth) fn granted(structure: StructureId, grant: Grant) -> Self {
        Self { structure, grant }
    }

    /// `tom fleet export`: whoever runs `tom` on the server with its database's address already
    /// reads every structure; the command line reads as an operator does (and acts for none).
    pub fn for_command_line(structure: StructureId) -> Self {
        Self {
            structure,
            grant: Grant::Operator,
        }
    }

    pub fn structure(&self) -> &StructureId {
        &self.structure
    }

    pub fn structure_id(&self) -> &str {
        self.structure.as_str()
    }

    pub fn grant(&self) -> Grant {
        self.grant
    }

    /// The role the holder acts in, if any (none for an operator).
    pub fn role(&self) -> Option<Role> {
        match self.grant {
            Grant::Role(role) => Some(role),
            Grant::Operator => None,
        }
    }
}

/// Permission to act as an operator of the issuing service, across structures.
#[derive(Debug, Clone)]
pub struct OperatorAccess {
    national_id: String,
}

impl OperatorAccess {
    pub(in crate::auth) fn granted(national_id: String) -> Self {
        Self { national_id }
    }

    pub fn national_id(&self) -> &str {
        &self.national_id
    }

    /// Operators read every structure's data.
    pub fn on_structure(&self, structure: StructureId) -> Access {
        Access::granted(structure, Grant::Operator)
    }
}

/// What a query on order lines may see: one structure's, or every structure's for an operator.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Structure(&'a Access),
    Operator(&'a OperatorAccess),
}

impl Scope<'_> {
    /// The structure to restrict to, or "" for every structure (SQL: `($n = '' OR … = $n)`).
    pub fn structure_filter(&self) -> &str {
        match self {
            Scope::Structure(access) => access.structure_id(),
            Scope::Operator(_) => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_are_parsed_strictly() {
        let id = OrderId::from_random([0, 1, 2, 3, 4, 5, 6, 7, 8, 31]);
        assert_eq!(id.as_str(), "CABCDEFGHJ9");
        assert_eq!(OrderId::parse("CABCDEFGHJ9"), Some(id));
        assert!(OrderId::parse("CABCDEFGHJ0").is_none());
        assert!(OrderId::parse("cABCDEFGHJ9").is_none());
        assert!(OrderId::parse("' OR 1=1 --").is_none());
    }

    #[test]
    fn structure_ids_are_letters_and_digits() {
        assert!(StructureId::parse("1940000011").is_some());
        assert!(StructureId::parse("1940000011/x").is_none());
        assert!(StructureId::parse("").is_none());
    }
}
