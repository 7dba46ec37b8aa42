//! Downloading a structure's fleet with the list's filters, in the list's order: CSV for French
//! Excel, XLSX, or XML (`schemas/tom-parc-v1.xsd`). Streamed from the database: memory stays
//! flat whatever the fleet's size.
//!
//! The pipeline: a blocking thread writes the file into chunks of [`CHUNK`] bytes sent on a
//! bounded channel, which the route turns into the response body and `tom fleet export` into a
//! file. On SQLite that thread also reads the rows, straight from a pool connection (one query,
//! `store::export_each_sqlite`); on PostgreSQL a task streams them through sqlx (batches of
//! [`BATCH`]) into a second bounded channel. A client that goes away closes the channels, which
//! stops the thread and the query. An
//! XLSX is a zip that cannot be written front to back: its sheet is written in rust_xlsxwriter's
//! constant-memory mode (rows go to a temporary file as they come), the workbook saved to an
//! anonymous temporary file, then streamed.
//!
//! What Excel does to cells, and what TOM does about it:
//! - **Formulas.** A cell of user text (names, matricule) that begins with `=`, `+`, `-`, `@`,
//!   a tab or a carriage return would be read by Excel as a formula (CSV injection). In the CSV
//!   it is written with a leading apostrophe (`'=…`); in the XLSX it is a text cell (never a
//!   formula) with Excel's own "quote prefix" style, so that editing the cell keeps it text.
//! - **Identifiers as text.** French Excel opening a `;` CSV turns `0123` into the number 123,
//!   `899700075122` into `8,997E+11`, `1e5` into 100000 and `01/02` into a date. The identifier
//!   columns (identifiant national, matricule, serial number) are therefore written as the
//!   formula `="0123"`, which Excel shows as the text `0123`, but **only when the value is made
//!   of ASCII letters, digits and `/`**: such a formula is a string literal and nothing else,
//!   whoever typed the value. Any other value (a matricule with a space or a dash, say) is
//!   written as user text, neutralised as above. In the XLSX, identifiers are text cells with
//!   the text format `@`. The XML has no such problem: values are escaped, dates are ISO.

use std::io::{Read, Seek, Write};

use axum::body::Bytes;
use serde_json::json;
use shared::api::{AuditAction, FleetFilter};
use shared::date::Date;
use shared::fleet::{paris_date, CardState};
use shared::nomenclature::PROFESSION;
use tokio::sync::mpsc;

use super::store::{self, Clause, ExportCard, ExportRow, Selection};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::db::Db;

/// Rows read from the database per batch.
pub const BATCH: usize = 512;
/// Bytes per chunk of the response body.
pub const CHUNK: usize = 64 * 1024;

/// The file formats of a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Xml,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "xml" => Some(Format::Xml),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xml => "xml",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Xml => "application/xml; charset=utf-8",
        }
    }
}

/// The columns of the CSV and XLSX files.
pub const HEADERS: [&str; 12] = [
    "Nom",
    "Prénom",
    "Identifiant national",
    "Matricule",
    "Type de carte",
    "Profession",
    "Statut",
    "Numéro de série",
    "Date d'émission",
    "Fin de validité",
    "Fin d'exercice prévue",
    "Date de révocation",
];

/// The namespace of `schemas/tom-parc-v1.xsd`.
pub const XML_NAMESPACE: &str = "urn:tom:parc:v1";

/// `parc-<structure>-<AAAA-MM-JJ>.<format>`, the day in Paris.
pub fn file_name(structure_id: &str, format: Format, now: i64) -> String {
    format!("parc-{structure_id}-{}.{}", paris_date(now), format.code())
}

/// The chunks of a download, in order; an `Err` ends it (the file is incomplete).
pub type Chunks = mpsc::Receiver<std::io::Result<Bytes>>;

/// A download on its way.
pub struct Download {
    pub file_name: String,
    pub format: Format,
    pub chunks: Chunks,
}

/// Records the download in the audit trail (format and filters; the search text is personal
/// data and is not kept), then starts writing the file of the structure's cards that `filter`
/// selects.
pub async fn start(
    db: &Db,
    access: &Access,
    actor: &Actor,
    filter: &FleetFilter,
    selection: Selection,
    format: Format,
    now: i64,
) -> anyhow::Result<Download> {
    let mut tx = db.begin().await?;
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(access.structure_id()),
            action: AuditAction::ParcTelecharge,
            object: format!("parc {}", access.structure_id()),
            before: None,
            after: Some(json!({
                "format": format.code(),
                "filtres": {
                    "recherche": !filter.recherche.trim().is_empty(),
                    "type": filter.card_type.trim(),
                    "statut": filter.statut.trim(),
                    "profession": filter.profession.trim(),
                    "mois": filter.mois.trim(),
                    "expire_sous_jours": filter.expire_sous_jours,
                },
            })),
        },
    )
    .await?;
    tx.commit().await?;

    let clause = selection.clause(access.structure_id(), now);
    let rows = match db {
        Db::Sqlite(pool) => Rows::Sqlite {
            runtime: tokio::runtime::Handle::current(),
            pool: pool.clone(),
            clause,
        },
        Db::Postgres(_) => Rows::Batches(read_in_batches(db, clause)),
    };

    let (out_tx, out_rx) = mpsc::channel(4);
    let header = Header {
        structure_id: access.structure_id().to_string(),
        filter: filter.clone(),
        now,
    };
    tokio::task::spawn_blocking(move || {
        let mut out = ChunkWriter::new(out_tx);
        let written = match format {
            Format::Csv => write_csv(rows, now, &mut out),
            Format::Xlsx => write_xlsx(rows, now, &mut out),
            Format::Xml => write_xml(&header, rows, &mut out),
        }
        .and_then(|()| out.finish());
        if let Err(e) = written {
            if !out.closed {
                tracing::warn!(error = %format!("{e:#}"), "téléchargement du parc interrompu");
                out.fail(&e);
            }
        }
    });
    Ok(Download {
        file_name: file_name(access.structure_id(), format, now),
        format,
        chunks: out_rx,
    })
}

/// What the XML file says about itself.
struct Header {
    structure_id: String,
    filter: FleetFilter,
    now: i64,
}

/// An `io::Write` that sends what it is given in chunks of [`CHUNK`] bytes, waiting while the
/// channel is full (the reader's pace).
struct ChunkWriter {
    buf: Vec<u8>,
    out: mpsc::Sender<std::io::Result<Bytes>>,
    /// The receiver went away (client gone).
    closed: bool,
}

impl ChunkWriter {
    fn new(out: mpsc::Sender<std::io::Result<Bytes>>) -> Self {
        ChunkWriter {
            buf: Vec::with_capacity(CHUNK + 4096),
            out,
            closed: false,
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK + 4096),
        ));
        if self.out.blocking_send(Ok(chunk)).is_err() {
            self.closed = true;
            return Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "téléchargement abandonné",
            ));
        }
        Ok(())
    }

    fn finish(&mut self) -> anyhow::Result<()> {
        if !self.buf.is_empty() {
            self.send()?;
        }
        Ok(())
    }

    fn fail(&mut self, error: &anyhow::Error) {
        let _ = self
            .out
            .blocking_send(Err(std::io::Error::other(format!("{error:#}"))));
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Batches of rows read by a task, or the reader's error.
type Batches = mpsc::Receiver<Result<Vec<ExportRow>, String>>;

/// Starts the task that streams the selected rows through sqlx, [`BATCH`] at a time.
fn read_in_batches(db: &Db, clause: Clause) -> Batches {
    let (rows_tx, rows_rx) = mpsc::channel(2);
    let reader_db = db.clone();
    tokio::spawn(async move {
        let read = store::export_batches(&reader_db, &clause, BATCH, |batch| {
            let rows_tx = rows_tx.clone();
            async move {
                rows_tx
                    .send(Ok(batch))
                    .await
                    .map_err(|_| anyhow::anyhow!("téléchargement abandonné"))
            }
        })
        .await;
        if let Err(e) = read {
            // Nobody left to tell when the writer is gone; otherwise the file ends in error.
            let _ = rows_tx.send(Err(format!("{e:#}"))).await;
        }
    });
    rows_rx
}

/// Where the writing thread's rows come from.
enum Rows {
    /// Read on the writing thread itself (see the module's header).
    Sqlite {
        runtime: tokio::runtime::Handle,
        pool: sqlx::SqlitePool,
        clause: Clause,
    },
    /// Received from [`read_in_batches`].
    Batches(Batches),
}

impl Rows {
    /// Calls `each` on every row, in order; the reader's error or `each`'s stops it.
    fn each(
        self,
        mut each: impl FnMut(&ExportCard<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        match self {
            Rows::Sqlite {
                runtime,
                pool,
                clause,
            } => store::export_each_sqlite(&runtime, &pool, &clause, each),
            Rows::Batches(mut batches) => loop {
                match batches.blocking_recv() {
                    None => return Ok(()),
                    Some(Ok(batch)) => {
                        for row in &batch {
                            each(&row.borrowed())?;
                        }
                    }
                    Some(Err(e)) => return Err(anyhow::anyhow!(e)),
                }
            },
        }
    }
}

/// A row's cells, as the three formats share them.
struct Card<'a> {
    family_name: &'a str,
    given_name: &'a str,
    national_id: &'a str,
    matricule: &'a str,
    card_type: &'a str,
    profession: Option<(&'a str, Option<&'static str>)>,
    state: CardState,
    serial: &'a str,
    dates: [Option<Date>; 4],
}

impl<'a> Card<'a> {
    fn of(row: &ExportCard<'a>, now: i64) -> Card<'a> {
        let day = |t: Option<i64>| t.map(paris_date);
        Card {
            family_name: row.family_name.unwrap_or(""),
            given_name: row.given_name.unwrap_or(""),
            national_id: row.national_id,
            matricule: row.matricule.unwrap_or(""),
            card_type: row.card_type,
            profession: row
                .profession
                .filter(|p| !p.is_empty())
                .map(|p| (p, PROFESSION.label(p))),
            state: CardState::at(row.state, row.not_after, now),
            serial: row.serial,
            dates: [
                day(row.issued_at),
                day(row.not_after),
                day(row.end_at),
                day(row.revoked_at),
            ],
        }
    }

    /// `60 - Infirmier`, as the order template's lists write it.
    fn profession_text(&self) -> String {
        let mut text = String::new();
        self.push_profession(&mut text);
        text
    }

    /// [`Card::profession_text`] at the end of `out`.
    fn push_profession(&self, out: &mut String) {
        match self.profession {
            Some((code, Some(label))) => {
                out.push_str(code);
                out.push_str(" - ");
                out.push_str(label);
            }
            Some((code, None)) => out.push_str(code),
            None => {}
        }
    }
}

/// Whether Excel could take this text for a formula.
pub fn is_formula_like(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A user-text cell of the CSV: a leading apostrophe when Excel would read a formula.
pub fn neutralise(value: &str) -> String {
    crate::audit::export::neutralise(value)
}

/// [`neutralise`] at the end of `out`.
fn push_neutralised(out: &mut String, value: &str) {
    if is_formula_like(value) {
        out.push('\'');
    }
    out.push_str(value);
}

/// An identifier cell of the CSV: `="…"` (text for Excel, leading zeros kept) when the value is
/// made of ASCII letters, digits and `/` only — a string literal and nothing else —, user text
/// otherwise.
pub fn identifier_cell(value: &str) -> String {
    let mut cell = String::new();
    push_identifier(&mut cell, value);
    cell
}

/// [`identifier_cell`] at the end of `out`.
fn push_identifier(out: &mut String, value: &str) {
    if !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/')
    {
        out.push_str("=\"");
        out.push_str(value);
        out.push('"');
    } else {
        push_neutralised(out, value);
    }
}

/// `JJ/MM/AAAA`.
#[cfg(test)]
fn french_date(date: Option<Date>) -> String {
    let mut text = String::new();
    push_french_date(&mut text, date);
    text
}

/// `JJ/MM/AAAA` at the end of `out`, nothing for no date.
fn push_french_date(out: &mut String, date: Option<Date>) {
    use std::fmt::Write as _;
    if let Some(d) = date {
        let _ = write!(out, "{:02}/{:02}/{:04}", d.day(), d.month(), d.year());
    }
}

fn write_csv(rows: Rows, now: i64, out: &mut ChunkWriter) -> anyhow::Result<()> {
    out.write_all("\u{FEFF}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(CHUNK)
        .from_writer(out);
    w.write_record(HEADERS)?;
    // The cells of a row, rewritten in place for each row: no allocation per row.
    let mut cells: [String; HEADERS.len()] = Default::default();
    rows.each(|row| {
        let card = Card::of(row, now);
        cells.iter_mut().for_each(String::clear);
        push_neutralised(&mut cells[0], card.family_name);
        push_neutralised(&mut cells[1], card.given_name);
        push_identifier(&mut cells[2], card.national_id);
        push_identifier(&mut cells[3], card.matricule);
        push_neutralised(&mut cells[4], card.card_type);
        card.push_profession(&mut cells[5]);
        cells[6].push_str(card.state.label());
        push_identifier(&mut cells[7], card.serial);
        for (cell, date) in cells[8..].iter_mut().zip(card.dates) {
            push_french_date(cell, date);
        }
        w.write_record(&cells)?;
        Ok(())
    })?;
    w.flush()?;
    Ok(())
}

/// Excel's serial number of a day (1900 date system: day 25569 is 1970-01-01).
fn excel_day(date: Date) -> f64 {
    (date.to_days() + 25_569) as f64
}

fn write_xlsx(rows: Rows, now: i64, out: &mut ChunkWriter) -> anyhow::Result<()> {
    use rust_xlsxwriter::{Format as Style, Workbook};
    let header = Style::new().set_bold();
    let text = Style::new().set_num_format("@");
    let quoted = Style::new().set_num_format("@").set_quote_prefix();
    let day = Style::new().set_num_format("dd/mm/yyyy");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory();
    sheet.set_name("Parc")?;
    for (col, width) in [24, 18, 24, 12, 13, 28, 22, 36, 15, 15, 20, 18]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (col, title) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &header)?;
    }
    let mut r: u32 = 0;
    rows.each(|row| {
        r += 1;
        let card = Card::of(row, now);
        let profession = card.profession_text();
        let cells: [(&str, bool); 8] = [
            (card.family_name, true),
            (card.given_name, true),
            (card.national_id, false),
            (card.matricule, true),
            (card.card_type, false),
            (&profession, false),
            (card.state.label(), false),
            (card.serial, false),
        ];
        for (col, (value, user_text)) in cells.into_iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            let style = if user_text && is_formula_like(value) {
                &quoted
            } else {
                &text
            };
            sheet.write_string_with_format(r, col as u16, value, style)?;
        }
        for (i, date) in card.dates.iter().enumerate() {
            if let Some(date) = date {
                sheet.write_number_with_format(r, 8 + i as u16, excel_day(*date), &day)?;
            }
        }
        Ok(())
    })?;
    sheet.autofilter(0, 0, r, (HEADERS.len() - 1) as u16)?;
    let mut file = tempfile::tempfile()?;
    workbook.save_to_writer(&mut file)?;
    drop(workbook);
    file.rewind()?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n])?;
    }
    Ok(())
}

/// Text for XML: escaped, and without the characters XML 1.0 forbids.
fn xml_text(out: &mut impl Write, value: &str) -> std::io::Result<()> {
    let mut start = 0;
    for (i, c) in value.char_indices() {
        let escaped = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\t' | '\n' | '\r' => continue,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => "",
            _ => continue,
        };
        out.write_all(&value.as_bytes()[start..i])?;
        out.write_all(escaped.as_bytes())?;
        start = i + c.len_utf8();
    }
    out.write_all(&value.as_bytes()[start..])
}

/// `<name>value</name>` when there is a value.
fn xml_element(out: &mut impl Write, name: &str, value: &str) -> std::io::Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    write!(out, "<{name}>")?;
    xml_text(out, value)?;
    write!(out, "</{name}>")
}

fn write_xml(header: &Header, rows: Rows, out: &mut ChunkWriter) -> anyhow::Result<()> {
    let now = header.now;
    let extracted = time::OffsetDateTime::from_unix_timestamp(now)?
        .format(&time::format_description::well_known::Rfc3339)?;
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<parc xmlns=\"{XML_NAMESPACE}\" version=\"1\">\n  <entete>"
    )?;
    xml_element(out, "structure", &header.structure_id)?;
    xml_element(out, "dateExtraction", &extracted)?;
    let f = &header.filter;
    let days = f
        .expire_sous_jours
        .map(|d| d.to_string())
        .unwrap_or_default();
    let filters = [
        ("recherche", f.recherche.trim()),
        ("typeCarte", f.card_type.trim()),
        ("statut", f.statut.trim()),
        ("profession", f.profession.trim()),
        ("mois", f.mois.trim()),
        ("expireSousJours", days.as_str()),
    ];
    if filters.iter().any(|(_, v)| !v.is_empty()) {
        write!(out, "<filtres>")?;
        for (name, value) in filters {
            xml_element(out, name, value)?;
        }
        write!(out, "</filtres>")?;
    }
    write!(out, "</entete>\n  <cartes>\n")?;
    rows.each(|row| {
        let c = Card::of(row, now);
        write!(out, "    <carte>")?;
        xml_element(out, "nom", c.family_name)?;
        xml_element(out, "prenom", c.given_name)?;
        xml_element(out, "identifiantNational", c.national_id)?;
        xml_element(out, "matricule", c.matricule)?;
        xml_element(out, "typeCarte", c.card_type)?;
        if let Some((code, label)) = c.profession {
            write!(out, "<profession code=\"")?;
            xml_text(out, code)?;
            write!(out, "\">")?;
            xml_text(out, label.unwrap_or(""))?;
            write!(out, "</profession>")?;
        }
        write!(out, "<statut code=\"{}\">", c.state.code())?;
        xml_text(out, c.state.label())?;
        write!(out, "</statut>")?;
        xml_element(out, "numeroSerie", c.serial)?;
        for (name, date) in [
            "dateEmission",
            "finValidite",
            "finExercicePrevue",
            "dateRevocation",
        ]
        .into_iter()
        .zip(c.dates)
        {
            if let Some(date) = date {
                write!(out, "<{name}>{date}</{name}>")?;
            }
        }
        writeln!(out, "</carte>")?;
        Ok(())
    })?;
    write!(out, "  </cartes>\n</parc>\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_text_for_excel_only_when_they_are_plain() {
        assert_eq!(identifier_cell("0123"), "=\"0123\"");
        assert_eq!(
            identifier_cell("3940000011/M000001"),
            "=\"3940000011/M000001\""
        );
        assert_eq!(identifier_cell("1e5"), "=\"1e5\"");
        // Anything else is user text: never inside a formula, neutralised if need be.
        assert_eq!(identifier_cell("A 12"), "A 12");
        assert_eq!(identifier_cell("-12"), "'-12");
        assert_eq!(identifier_cell("=\"x\")&A1"), "'=\"x\")&A1");
        assert_eq!(identifier_cell(""), "");
        assert_eq!(neutralise("@SOMME(1)"), "'@SOMME(1)");
        assert_eq!(neutralise("+33"), "'+33");
        assert_eq!(neutralise("DURAND"), "DURAND");
    }

    #[test]
    fn xml_text_is_escaped_and_legal() {
        let mut out = Vec::new();
        xml_text(&mut out, "a<b>&\"c\u{1}d\te").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a&lt;b&gt;&amp;&quot;cd\te"
        );
    }

    #[test]
    fn dates_are_french_and_excel_days_count_from_1900() {
        let d = Date::new(2026, 12, 1).unwrap();
        assert_eq!(french_date(Some(d)), "01/12/2026");
        assert_eq!(excel_day(Date::new(1970, 1, 1).unwrap()), 25_569.0);
        assert_eq!(
            file_name("1940000011", Format::Csv, 1_796_083_200),
            "parc-1940000011-2026-12-01.csv"
        );
    }
}
