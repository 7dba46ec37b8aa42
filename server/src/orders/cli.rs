//! `tom order validate` and `tom order generate`: the order file checker for IT teams, with the
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
                    "{}: valide ({} opérations)",
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
/// reader, so memory stays flat however large the file; anything else (a pipe) is read whole.
fn validate_file(validator: &Validator, path: &Path) -> std::io::Result<Report> {
    const PAGE: usize = 4096;
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
    Ok(validator.validate_releasing(&map, threads, |from, to| {
        // Whole pages only: the first and last may hold bytes still to be read.
        let (from, to) = (from.div_ceil(PAGE) * PAGE, to / PAGE * PAGE);
        if to > from {
            // SAFETY: on a read-only file mapping, DontNeed only drops pages from memory; if
            // they are read again the kernel reloads them from the file.
            let _ = unsafe {
                map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from)
            };
        }
    }))
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
