//! The shape the code keeps (STYLE.md): features take time and randomness from the state, the
//! capability module is a leaf, handlers leave SQL to their feature's store, and no page of the
//! SPA imports another page.

use std::path::{Path, PathBuf};

use crate::helpers::rust_files;

fn src(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const FEATURES: [&str; 7] = [
    "session",
    "structures",
    "orders",
    "fleet",
    "backoffice",
    "issuing",
    "audit",
];

#[test]
fn features_take_time_and_randomness_from_the_state() {
    for feature in FEATURES {
        for file in rust_files(&src(&format!("src/{feature}"))) {
            let text = std::fs::read_to_string(&file).unwrap();
            for forbidden in [
                "now_utc(",
                "SystemTime::now",
                "thread_rng",
                "rand::random",
                "OsRng",
            ] {
                assert!(
                    !text.contains(forbidden),
                    "{} utilise {forbidden} : l'heure et le hasard viennent de l'état",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn the_capabilities_import_nothing_of_tom_above_them() {
    let text = std::fs::read_to_string(src("src/auth/access.rs")).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap();
    for line in code.lines().filter(|l| l.trim_start().starts_with("use ")) {
        assert!(
            !line.contains("crate::") && !line.contains("super::"),
            "auth/access.rs importe {line}"
        );
    }
}

#[test]
fn handlers_leave_sql_to_their_store() {
    for feature in FEATURES {
        for file in rust_files(&src(&format!("src/{feature}"))) {
            if file.ends_with("routes.rs") {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(
                    !text.contains("sqlx::") && !text.contains("on_pool!"),
                    "{} contient du SQL",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn no_page_imports_another_page() {
    let pages = src("../app/src/pages");
    for file in rust_files(&pages) {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines().filter(|l| l.trim_start().starts_with("use ")) {
            assert!(
                !line.contains("pages::") && !line.contains("super::super::"),
                "{} importe une autre page : {line}",
                file.display()
            );
        }
    }
}

#[test]
fn store_functions_that_write_take_the_use_cases_transaction() {
    let mut stores: Vec<PathBuf> = rust_files(&src("src"))
        .into_iter()
        .filter(|f| f.ends_with("store.rs"))
        .collect();
    stores.sort();
    assert!(stores.len() >= 7, "{stores:?}");
    for file in stores {
        let text = std::fs::read_to_string(&file).unwrap();
        for function in text.split("pub async fn ").skip(1) {
            let name = function.split('(').next().unwrap();
            let signature = function.split(") ->").next().unwrap();
            let body = function.split("\n}\n").next().unwrap();
            let writes = ["INSERT INTO", "UPDATE ", "DELETE FROM"]
                .iter()
                .any(|w| body.contains(w));
            if writes {
                assert!(
                    signature.contains("&mut Tx") && !signature.contains("&Db"),
                    "{}: {name} écrit sans la transaction du cas d'usage",
                    file.display()
                );
            }
        }
    }
}
