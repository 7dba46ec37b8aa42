//! `tom order validate`, `generate` and `convert`: the order file checker for IT teams, with the
//! very validator the browser and the upload run.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use shared::order::errors::Severity;
use shared::order::generate::generate;
use shared::order::{Date, Report, ValidationError, Validator};

#[derive(Serialize)]
struct FileReport<'a> {
    file: String,
    valid: bool,
    operations: usize,
    errors: &'a [ValidationError],
}

/// Validates each file; prints errors like a compiler (`file:line:col: code: message`) or as
/// JSON. Returns the exit code: 0 all valid, 1 some file invalid, 2 a file could not be read.
pub fn validate(files: &[PathBuf], json: bool, today: Date) -> i32 {
    // The element bound protects the browser and the server from oversized uploads; on the
    // command line the IT team's own files may be far larger (a million operations is ~14 M
    // elements).
    let validator = Validator::new(today)
        .build_model(false)
        .max_elements(usize::MAX);
    let mut exit = 0;
    let mut reports = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in files {
        let report = match validate_file(&validator, file) {
            Ok(report) => report,
            Err(e) => {
                eprintln!("{}: impossible de lire le fichier : {e}", file.display());
                exit = 2;
                continue;
            }
        };
        if !report.is_valid() && exit == 0 {
            exit = 1;
        }
        if json {
            reports.push((file.display().to_string(), report));
        } else {
            for e in &report.errors {
                let level = if e.severity == Severity::Warning {
                    " (avertissement)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "{}:{}:{}: {}: {}{level}",
                    file.display(),
                    e.line,
                    e.column,
                    e.code,
                    e.message
                );
            }
            if report.is_valid() {
                let _ = writeln!(
                    out,
                    "{}: valide ({} opération(s))",
                    file.display(),
                    report.operations
                );
            }
        }
    }
    if json {
        let list: Vec<FileReport<'_>> = reports
            .iter()
            .map(|(file, r)| FileReport {
                file: file.clone(),
                valid: r.is_valid(),
                operations: r.operations,
                errors: &r.errors,
            })
            .collect();
        let _ = serde_json::to_writer_pretty(&mut out, &list);
        let _ = writeln!(out);
    }
    exit
}

/// Validates one file. A regular file is memory-mapped and its pages are dropped behind the
/// reader, so memory stays flat however large the file, in another encoding than UTF-8 too
/// (transcoded while streaming into a temporary file); anything else (a pipe) is read whole.
fn validate_file(validator: &Validator, path: &Path) -> std::io::Result<Report> {
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.len() == 0 {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        return Ok(validator.validate(&bytes));
    }
    // SAFETY: a read-only map. Should another program truncate the file while it is checked,
    // reading the missing pages ends the process (SIGBUS), as for any mapped-file reader.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    let _ = map.advise(memmap2::Advice::Sequential);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if shared::order::needs_transcoding(&map) {
        // ISO-8859-1 or -15, windows-1252, UTF-16: transcoded to UTF-8 while streaming into an
        // unnamed temporary file, which is then read as any UTF-8 file: flat memory.
        let mut text = std::io::BufWriter::new(tempfile::tempfile()?);
        if let Some(from) =
            shared::order::transcode(&map, &mut text, &|from, to| release(&map, from, to))?
        {
            let text = text.into_inner().map_err(|e| e.into_error())?;
            // SAFETY: a read-only map of our own unnamed file, which no other program can reach.
            let utf8 = unsafe { memmap2::Mmap::map(&text)? };
            let _ = utf8.advise(memmap2::Advice::Sequential);
            return Ok(validator
                .validate_releasing_transcoded(&utf8, from, threads, |a, b| release(&utf8, a, b)));
        }
    }
    Ok(validator.validate_releasing(&map, threads, |from, to| release(&map, from, to)))
}

/// Drops the pages of `map` in `from..to` from memory (whole pages only: the first and last
/// may hold bytes still to be read).
fn release(map: &memmap2::Mmap, from: usize, to: usize) {
    const PAGE: usize = 4096;
    let (from, to) = (from.div_ceil(PAGE) * PAGE, to / PAGE * PAGE);
    if to > from {
        // SAFETY: on a read-only file mapping, DontNeed only drops pages from memory; if they
        // are read again the kernel reloads them from the file.
        let _ = unsafe {
            map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from)
        };
    }
}

/// Writes a synthetic order of `lines` operations (with `errors` injected errors) to `output`
/// or stdout; `expected` prints the injected errors to stderr, one per line.
pub fn generate_file(
    lines: usize,
    seed: u64,
    errors: usize,
    output: Option<&PathBuf>,
    expected: bool,
) -> anyhow::Result<()> {
    if errors > lines {
        anyhow::bail!("--errors ({errors}) ne peut pas dépasser --lines ({lines})");
    }
    let (xml, injected) = generate(lines, seed, errors);
    match output {
        Some(path) => std::fs::write(path, xml.as_bytes())?,
        None => std::io::stdout().lock().write_all(xml.as_bytes())?,
    }
    if expected {
        for e in injected {
            eprintln!(
                "opération {} : {} : {}{}",
                e.operation,
                e.path,
                e.code,
                if e.schema_level { " (schéma)" } else { "" }
            );
        }
    }
    Ok(())
}

/// Writes a filled spreadsheet template of `lines` rows, each a different valid holder (the same
/// for the same seed), as XLSX (`xlsx`) or CSV, to `output` or stdout.
pub fn generate_sheet(
    lines: usize,
    seed: u64,
    xlsx: bool,
    output: Option<&PathBuf>,
) -> anyhow::Result<()> {
    use super::sheet_gen;
    use anyhow::Context;

    let rows = sheet_gen::sheet_rows(lines, seed);
    let bytes = if xlsx {
        sheet_gen::xlsx(&rows).context("écriture du classeur XLSX")?
    } else {
        sheet_gen::csv(&rows).into_bytes()
    };
    match output {
        Some(path) => std::fs::write(path, bytes)
            .with_context(|| format!("impossible d'écrire {}", path.display()))?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}

/// The order header `tom order convert` writes: the structure and the issuer, given on the
/// command line (the browser page takes them from the logged-in card).
pub struct ConvertHeader {
    pub finess: Option<String>,
    pub siret: Option<String>,
    pub national_id: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    pub reference: Option<String>,
}

/// Converts a filled template (XLSX or CSV) to the XML order with the browser page's own
/// conversion, checks the XML with the validator and reports each finding at the sheet's line
/// and column title (`FICHIER:LIGNE: « Colonne » : code : message`, on stderr). The XML goes to
/// `output` (stdout otherwise), even with errors, as the page offers it. Returns the exit code:
/// 0 valid, 1 errors, 2 unreadable file or sheet.
pub fn convert(
    file: &Path,
    output: Option<&PathBuf>,
    header: ConvertHeader,
    now: i64,
    today: Date,
) -> i32 {
    use shared::order::model::StructureKind;
    use shared::order::sheet::{convert_file, SheetHeader, XmlFinding};

    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: impossible de lire le fichier : {e}", file.display());
            return 2;
        }
    };
    let (kind, value) = match (header.finess, header.siret) {
        (Some(f), _) => (StructureKind::Finess, f),
        (None, Some(s)) => (StructureKind::Siret, s),
        (None, None) => unreachable!("clap requires --finess or --siret"),
    };
    // The same file makes the same order: dated by its last saving (no later than now), its
    // reference a fingerprint of its bytes (`sheet_reference`) unless one is given.
    let saved = std::fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(now, |d| (d.as_secs() as i64).min(now));
    let day = crate::http::params::date_of(saved);
    let seconds = saved.rem_euclid(86_400);
    let (h, m, sec) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let sheet_header = SheetHeader {
        structure_kind: Some(kind),
        structure_value: value,
        issuer_national_id: header.national_id,
        issuer_last_name: header.last_name,
        issuer_first_name: header.first_name,
        issuer_email: header.email,
        reference: header.reference.unwrap_or_default(),
        created_at: format!("{day}T{h:02}:{m:02}:{sec:02}Z"),
    };
    let converted = match convert_file(&bytes, &sheet_header) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}:{}: {}", file.display(), e.line, e.message);
            return 2;
        }
    };
    let report = Validator::new(today)
        .build_model(false)
        .validate(converted.xml.as_bytes());
    let findings = converted.report(report.errors.iter().map(XmlFinding::from));
    let written = match output {
        Some(path) => std::fs::write(path, &converted.xml),
        None => std::io::stdout().lock().write_all(converted.xml.as_bytes()),
    };
    if let Err(e) = written {
        eprintln!("impossible d'écrire la commande XML : {e}");
        return 2;
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for f in &findings {
        let level = if f.error { "" } else { " (avertissement)" };
        let column = if f.column.is_empty() {
            String::new()
        } else {
            format!(" « {} » :", f.column)
        };
        let _ = writeln!(
            err,
            "{}:{}:{column} {}: {}{level}",
            file.display(),
            f.line,
            f.code,
            f.message
        );
    }
    let errors = findings.iter().filter(|f| f.error).count();
    let lines = converted.lines.len();
    if errors == 0 {
        let _ = writeln!(
            err,
            "{}: converti, {lines} ligne(s), valide",
            file.display()
        );
        0
    } else {
        let _ = writeln!(
            err,
            "{}: converti, {lines} ligne(s), {errors} erreur(s) à corriger dans le tableur",
            file.display()
        );
        1
    }
}
