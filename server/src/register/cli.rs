//! `tom register import FILE` (the operator's import from a shell) and `tom register generate`
//! (a synthetic extract for the benchmark and tests).

use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use shared::api::RegisterImportReport;

use super::extract::{ExtractError, FinessExtract};
use super::import;
use crate::audit::Actor;
use crate::db::Db;

/// Who imports from the command line, for the audit trail: whoever runs `tom` on the server.
fn command_line_actor() -> Actor {
    Actor {
        fingerprint: "ligne-de-commande".into(),
        national_id: "tom register import".into(),
        role: "operateur",
    }
}

/// Imports an extract and prints its report: 0 when every line was taken, 1 when some were
/// refused, 2 when the file or the database cannot be read.
pub async fn import_file(database_url: &str, file: &Path, now: i64) -> i32 {
    let opened = std::fs::File::open(file)
        .map_err(|e| format!("{} : lecture impossible ({e})", file.display()))
        .and_then(|f| {
            FinessExtract::open(BufReader::with_capacity(256 * 1024, f)).map_err(|e| match e {
                ExtractError::NotAnExtract => format!("{} : {e}", file.display()),
                ExtractError::Unreadable(e) => {
                    format!("{} : lecture impossible ({e})", file.display())
                }
            })
        });
    let extract = match opened {
        Ok(extract) => extract,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    let db = match Db::connect(database_url).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("{e:#}");
            return 2;
        }
    };
    match import::import(&db, &command_line_actor(), now, Box::new(extract)).await {
        Ok(report) => {
            print_report(file, &report);
            i32::from(report.refused > 0)
        }
        Err(e) => {
            eprintln!(
                "{} : import interrompu ({e:#}) ; relancez-le : ce qui est déjà importé restera inchangé",
                file.display()
            );
            2
        }
    }
}

fn print_report(file: &Path, report: &RegisterImportReport) {
    for refusal in &report.refusals {
        eprintln!("{}:{}: {}", file.display(), refusal.line, refusal.reason);
    }
    if report.refused as usize > report.refusals.len() {
        eprintln!(
            "… et {} autres lignes refusées",
            report.refused as usize - report.refusals.len()
        );
    }
    println!(
        "registre FINESS du {} : {} créés, {} mis à jour, {} inchangés, {} refusés ; {} entités juridiques créées",
        report.extract_date,
        report.created,
        report.updated,
        report.unchanged,
        report.refused,
        report.legal_entities_created
    );
}

/// Writes a synthetic extract of `lines` lines after the first: establishments (one legal entity
/// for ten of them) and every tenth line a geolocation of the establishment before it.
pub fn generate(lines: usize, seed: u64, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = BufWriter::new(out);
    writeln!(out, "finess;etalab;{lines};2024-06-30")?;
    let finess = |n: u64| {
        // Département 01–95 and six digits, then the Luhn key.
        let body = format!("{:02}{:06}", 1 + (n / 1_000_000) % 95, n % 1_000_000);
        shared::ids::with_luhn_key(&body)
    };
    let mut last = String::new();
    for i in 0..lines as u64 {
        let n = seed.wrapping_mul(7_919).wrapping_add(i) % 90_000_000;
        if i % 10 == 9 && !last.is_empty() {
            writeln!(out, "geolocalisation;{last};{}.5;{}.1;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2024-06-30", 800_000 + i, 6_500_000 + i)?;
            continue;
        }
        let et = finess(n * 2);
        let ej = finess(n / 20 * 2 + 1);
        writeln!(
            out,
            "structureet;{et};{ej};CH N{i};CENTRE HOSPITALIER NUMÉRO {i};;;{};RTE;DE PARIS;;;451;01;AIN;01440 VIRIAT;04744{:05};;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;;8610Z;03;ARS;1;Etablissement public de santé;1979-02-13;1979-02-13;2020-02-04;",
            1 + i % 900,
            i % 100_000
        )?;
        last = et;
    }
    out.flush()
}
