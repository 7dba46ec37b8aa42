//! Persisting a large order through the server's code path (`orders::lines::lines_of` then
//! `orders::store::insert_order`: one transaction, multi-row INSERTs), against the database's own
//! bulk loader on the same rows: `sqlite3 .import` for SQLite, `COPY` (psql's `\copy`) for
//! PostgreSQL. Medians of several runs, each into a fresh database; prints a Markdown table.
//!
//!   cargo bench -p server --bench persist -- [--lines N] [--runs R] [--pg URL] [--out FILE]
//!
//! Run by scripts/bench-persist.sh, which installs sqlite3 and starts a throwaway PostgreSQL.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use server::db::Db;
use server::orders::lines::lines_of;
use server::orders::store::{insert_order, NewLine, NewOrder};
use server::structures::store as structures;
use shared::api::OrderSource;
use shared::order::generate::generate_order;
use shared::order::model::{Order, StructureId, StructureKind};

const STRUCTURE: &str = "1940000011";
const ORDER_ID: &str = "CBENCH0001";

struct Args {
    lines: usize,
    runs: usize,
    pg: Option<String>,
    out: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        lines: 100_000,
        runs: 5,
        pg: None,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--lines" => a.lines = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.lines),
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.runs),
            "--pg" => a.pg = it.next().filter(|v| !v.is_empty()),
            "--out" => a.out = it.next(),
            _ => {} // cargo bench passes --bench
        }
    }
    a
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn csv_field(out: &mut String, value: Option<&str>) {
    if let Some(v) = value {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    }
}

/// The rows as CSV. `all_columns`: every column of `order_lines` (sqlite3 .import fills the
/// table's columns in order), the unset ones empty; otherwise the nine the server writes.
fn write_csv(path: &Path, lines: &[NewLine], all_columns: bool) {
    let mut out = String::with_capacity(lines.len() * 1200);
    for l in lines {
        let line_no = l.line_no.to_string();
        let fields = [
            Some(ORDER_ID),
            Some(line_no.as_str()),
            Some(l.kind.code()),
            l.card_type,
            Some(l.holder.as_str()),
            Some(l.matricule.as_str()),
            Some(l.payload.as_str()),
            Some(l.status.code()),
            Some(if l.needs_document { "1" } else { "0" }),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, *f);
        }
        if all_columns {
            // reason, document_at … delivered_at, card_serial, card_national_id
            out.push_str(",,,,,,,,,,");
        }
        out.push('\n');
    }
    std::fs::write(path, out).expect("écriture du CSV");
}

/// A fresh database with the schema, structure A and the order row the lines belong to.
async fn prepare(url: &str) -> Db {
    let db = Db::connect(url).await.expect("base de banc d'essai");
    let mut tx = db.begin().await.unwrap();
    structures::insert_structure(&mut tx, STRUCTURE, Some("940000011"), None, "CH A")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db
}

fn new_order(idempotency_key: &str) -> NewOrder<'_> {
    NewOrder {
        id: ORDER_ID,
        structure_id: STRUCTURE,
        source: OrderSource::Fichier,
        issuer_reference: "BANC-ESSAI",
        submitted_by: "3940000011/000101",
        submitted_at: 1_790_000_000,
        idempotency_key,
        content_sha256: idempotency_key,
    }
}

async fn order_row_only(db: &Db) {
    let mut tx = db.begin().await.unwrap();
    insert_order(&mut tx, &new_order("ligne-de-commande-seule"), &[])
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn time_command(cmd: &mut Command) -> f64 {
    let started = Instant::now();
    let status = cmd.status().expect("lancement de la commande");
    assert!(status.success(), "échec de {cmd:?}");
    started.elapsed().as_secs_f64()
}

/// Seconds for TOM's code path: the order's lines, then one transaction storing them.
async fn time_ours(db: &Db, order: &Order, run: usize) -> f64 {
    let started = Instant::now();
    let lines = lines_of(order).unwrap();
    let mut tx = db.begin().await.unwrap();
    insert_order(&mut tx, &new_order(&format!("cle-{run}")), &lines)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    started.elapsed().as_secs_f64()
}

async fn fresh_pg(admin: &str, name: &str) -> String {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .expect("PostgreSQL");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let (prefix, _) = admin.rsplit_once('/').expect("URL avec une base");
    format!("{prefix}/{name}")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().unwrap();
    let mut order = generate_order(a.lines, 42);
    order.header.structure = StructureId {
        kind: StructureKind::Finess,
        value: "940000011".into(),
    };
    let rows = lines_of(&order).unwrap();
    let all_csv = dir.path().join("lignes-completes.csv");
    let some_csv = dir.path().join("lignes.csv");
    write_csv(&all_csv, &rows, true);
    write_csv(&some_csv, &rows, false);
    let mb = std::fs::metadata(&some_csv).unwrap().len() as f64 / 1e6;
    let mut report = format!(
        "Persistance d'une commande de {} lignes ({mb:.1} Mo de CSV), médianes de {} exécutions, base neuve à chaque fois.\n\n\
         | base | TOM (lines_of + insert_order) | outil natif | médiane natif | rapport TOM / natif |\n|---|---:|---|---:|---:|\n",
        a.lines, a.runs
    );

    // SQLite.
    let (mut ours, mut native) = (Vec::new(), Vec::new());
    for run in 0..a.runs {
        let file = dir.path().join(format!("tom-{run}.db"));
        let db = prepare(&format!("sqlite://{}", file.display())).await;
        ours.push(time_ours(&db, &order, run).await);
        drop(db);

        let file = dir.path().join(format!("natif-{run}.db"));
        let db = prepare(&format!("sqlite://{}", file.display())).await;
        order_row_only(&db).await;
        if let Db::Sqlite(pool) = db {
            pool.close().await;
        }
        native.push(time_command(
            Command::new("sqlite3")
                // The pool's connections close in the background: wait for their locks.
                .args(["-cmd", ".timeout 10000"])
                .arg(&file)
                .arg(format!(".import --csv {} order_lines", all_csv.display())),
        ));
    }
    let (o, n) = (median(ours), median(native));
    report.push_str(&format!(
        "| SQLite | {o:.3} s | `sqlite3 .import --csv` | {n:.3} s | {:.2}× |\n",
        o / n
    ));

    // PostgreSQL.
    if let Some(admin) = &a.pg {
        let (mut ours, mut native) = (Vec::new(), Vec::new());
        for run in 0..a.runs {
            let url = fresh_pg(admin, &format!("tom_banc_{run}")).await;
            let db = prepare(&url).await;
            ours.push(time_ours(&db, &order, run).await);
            drop(db);

            let url = fresh_pg(admin, &format!("tom_natif_{run}")).await;
            let db = prepare(&url).await;
            order_row_only(&db).await;
            if let Db::Postgres(pool) = db {
                pool.close().await;
            }
            native.push(time_command(Command::new("psql").arg(&url).arg("-qc").arg(format!(
                "\\copy order_lines (order_id, line_no, kind, card_type, holder, matricule, payload, status, needs_document) FROM '{}' WITH (FORMAT csv)",
                some_csv.display()
            ))));
        }
        let (o, n) = (median(ours), median(native));
        report.push_str(&format!(
            "| PostgreSQL | {o:.3} s | `COPY … FROM … (FORMAT csv)` (psql `\\copy`) | {n:.3} s | {:.2}× |\n",
            o / n
        ));
    } else {
        report
            .push_str("| PostgreSQL | — | `COPY` | — | non mesuré (pas de serveur : --pg URL) |\n");
    }
    print!("{report}");
    if let Some(out) = a.out {
        std::fs::write(out, &report).unwrap();
    }
}
