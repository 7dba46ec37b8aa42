//! What a register import reads, whatever carries it: records of establishments and their
//! geolocation, each with its line, or a refused line. The CSV extract (`extract.rs`) is one
//! source; the daily JSON feed the register is moving to will be another.

/// A register, read one record at a time so that an import runs in constant memory.
pub trait RegisterSource: Send {
    /// The register's date (`YYYY-MM-DD`), shown in the history of what it overrides.
    fn extract_date(&self) -> &str;

    /// The next record, or a line refused with its reason; `Ok(None)` at the end. `Err` only when
    /// the source itself cannot be read any more (the import then stops and writes nothing).
    fn next_record(&mut self) -> anyhow::Result<Option<Result<Located, Refusal>>>;
}

/// A record and the line it starts on (1 for the first line of a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub line: u64,
    pub record: RegisterRecord,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterRecord {
    Establishment(Establishment),
    /// The coordinates of an establishment, `x;y;source`.
    Geolocation {
        finess: String,
        geolocation: String,
    },
}

/// An establishment (FINESS géographique) as the register describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Establishment {
    pub finess: String,
    /// Its legal entity (FINESS juridique).
    pub legal_entity_finess: Option<String>,
    pub name: String,
    pub address_line: String,
    pub address_complement: String,
    pub postal_line: String,
    pub phone: String,
    pub siret: Option<String>,
    pub category: String,
    /// The register's last change of this record (`datemaj`).
    pub updated_on: String,
}

/// A line the import skips, with its number and the reason in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: u64,
    pub reason: String,
}
