//! Fills a SQLite database with a valid audit chain of N entries (bulk inserts, the real hash),
//! for `scripts/bench-audit.sh`, which then times `tom audit verify` on it.
//!
//!   cargo bench -p server --bench audit_fill -- --entries 1000000 --db target/bench/audit.db

use server::audit::chain::{self, Content, GENESIS};
use server::db::Db;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if std::env::args().any(|a| a == "--bench") && arg("--entries").is_none() {
        // `cargo bench` without arguments: nothing to fill.
        return Ok(());
    }
    let entries: i64 = arg("--entries")
        .unwrap_or_else(|| "1000000".into())
        .parse()?;
    let path = arg("--db").unwrap_or_else(|| "target/bench/audit.db".into());
    let _ = std::fs::remove_file(&path);
    let db = Db::connect(&format!("sqlite://{path}")).await?;
    let Db::Sqlite(pool) = &db else {
        unreachable!()
    };
    let mut prev = GENESIS.to_string();
    let mut seq = 0i64;
    const INSERT: &str = "INSERT INTO audit_log (seq, at, actor_fingerprint, actor_national_id, \
        actor_role, structure_id, action, object, before_value, after_value, prev_hash, hash) ";
    while seq < entries {
        let mut tx = pool.begin().await?;
        let mut rows = Vec::new();
        for _ in 0..1000.min(entries - seq) {
            seq += 1;
            let object = format!("ligne C{:010}/1", seq);
            let after = format!("{{\"statut\":\"acceptee\",\"n\":{seq}}}");
            let content = Content {
                at: 1_780_000_000 + seq,
                actor_fingerprint:
                    "4f1c0a9e2b7d8c6f5a4e3d2c1b0a99887766554433221100ffeeddccbbaa9988",
                actor_national_id: "3940000011/OP001",
                actor_role: "operateur",
                structure_id: Some("1940000011"),
                action: "ligne_acceptee",
                object: &object,
                before: Some("{\"statut\":\"soumise\"}"),
                after: Some(&after),
            };
            let hash = chain::hash(&prev, &content);
            rows.push((seq, object, after, prev.clone(), hash.clone()));
            prev = hash;
        }
        let mut q = sqlx::QueryBuilder::new(INSERT);
        q.push_values(&rows, |mut b, (seq, object, after, prev_hash, hash)| {
            b.push_bind(*seq)
                .push_bind(1_780_000_000 + *seq)
                .push_bind("4f1c0a9e2b7d8c6f5a4e3d2c1b0a99887766554433221100ffeeddccbbaa9988")
                .push_bind("3940000011/OP001")
                .push_bind("operateur")
                .push_bind("1940000011")
                .push_bind("ligne_acceptee")
                .push_bind(object.as_str())
                .push_bind("{\"statut\":\"soumise\"}")
                .push_bind(after.as_str())
                .push_bind(prev_hash.as_str())
                .push_bind(hash.as_str());
        });
        q.build().execute(&mut *tx).await?;
        tx.commit().await?;
    }
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&prev)
        .execute(pool)
        .await?;
    println!("{seq} entrées écrites dans {path}");
    Ok(())
}
