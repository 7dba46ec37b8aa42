//! The real `tom` binary: command line, configuration, demo start.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::helpers::{client_config, diagnostic_over};

const TOM: &str = env!("CARGO_BIN_EXE_tom");

/// Kills the server when the test ends, whatever happens.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn help_documents_every_setting() {
    let out = Command::new(TOM)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for key in [
        "TOM_LISTEN",
        "TOM_DATA_DIR",
        "DATABASE_URL",
        "TOM_TLS_CERT",
        "TOM_TRUST_ANCHORS",
        "TOM_CRLS",
        "--demo",
    ] {
        assert!(text.contains(key), "{key} absent de tom serve --help");
    }
    let out = Command::new(TOM).arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("serve"));
}

#[test]
fn a_bad_setting_stops_start_up_and_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(TOM)
        .args(["serve"])
        .env("TOM_DATA_DIR", dir.path())
        .env("TOM_LISTEN", "nulle-part")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TOM_LISTEN"));
    let out = Command::new(TOM)
        .args(["serve"])
        .env("TOM_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("TOM_TLS_CERT"),
        "sans PKI, le certificat manque"
    );
}

/// (PostgreSQL's refusal, which never shows the URL and its password, takes sqlx's 30-second
/// connection timeout to come: not run here.)
#[test]
fn a_database_that_does_not_open_is_named_by_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(TOM)
        .args([
            "fleet",
            "export",
            "--structure",
            "1940000011",
            "--format",
            "csv",
        ])
        .env("TOM_DATA_DIR", dir.path())
        .env("DATABASE_URL", "sqlite:///dossier-qui-n-existe-pas/tom.db")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("database_url (DATABASE_URL)") && stderr.contains("n'existe pas"),
        "{stderr}"
    );
}

#[tokio::test]
async fn serve_demo_on_an_empty_directory_generates_the_pki_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(TOM)
        .args(["serve", "--demo"])
        .env("TOM_DATA_DIR", dir.path())
        .env("TOM_LISTEN", "127.0.0.1:0")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("TOM est prêt : ") {
                let _ = tx.send(url.to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("tom serve --demo a démarré");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let layout = server::pki::PkiLayout::new(dir.path().join("pki"));
    for name in [
        "representant-legal-a",
        "mandataire-a",
        "mandataire-b",
        "operateur",
        "carte-expiree",
        "carte-revoquee",
        "carte-ac-inconnue",
        "carte-non-cpx",
        "carte-extension-critique",
    ] {
        for ext in ["p12", "pem", "key"] {
            assert!(
                layout.cards_dir().join(format!("{name}.{ext}")).exists(),
                "{name}.{ext}"
            );
        }
    }
    let readme = std::fs::read_to_string(layout.cards_dir().join("README.txt")).unwrap();
    let manifest = layout.read_manifest().unwrap();
    assert!(readme.contains(&manifest.passphrase));
    let p12 = std::fs::read(layout.cards_dir().join("mandataire-a.p12")).unwrap();
    let store = p12_keystore::KeyStore::from_pkcs12(&p12, &manifest.passphrase)
        .expect("PKCS#12 lisible avec le mot de passe");
    assert!(store.private_key_chain().is_some());
    let config = client_config(
        &layout,
        Some(crate::helpers::Card::MandataireA),
        rustls::DEFAULT_VERSIONS,
    );
    let (d, _) = diagnostic_over(([127, 0, 0, 1], port).into(), config).await;
    assert_eq!(d["verdict"], "ok");
}

fn examples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/examples")
}

#[test]
fn order_validate_prints_errors_like_a_compiler_and_exits_1() {
    let bad = examples().join("invalide-cle-finess.xml");
    let out = Command::new(TOM)
        .args(["order", "validate"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next().unwrap();
    let prefix = format!("{}:", bad.display());
    assert!(line.starts_with(&prefix), "{line}");
    let rest: Vec<&str> = line[prefix.len()..].splitn(4, ':').collect();
    assert!(
        rest[0].parse::<u32>().unwrap() > 0 && rest[1].parse::<u32>().unwrap() > 0,
        "{line}"
    );
    assert_eq!(rest[2].trim(), "finess_cle_invalide");
}

#[test]
fn order_validate_accepts_the_valid_examples_and_speaks_json() {
    let good = examples().join("commande-complete.xml");
    let model = examples().join("modele-commande-cpe.xml");
    let out = Command::new(TOM)
        .args(["order", "validate"])
        .arg(&good)
        .arg(&model)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let bad = examples().join("invalide-motif-code-postal.xml");
    let out = Command::new(TOM)
        .args(["order", "validate", "--format", "json"])
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["valid"], true);
    assert_eq!(json[1]["valid"], false);
    assert!(json[1]["errors"][0]["line"].as_u64().unwrap() > 0);
}

#[test]
fn order_validate_reads_an_iso_8859_1_file_and_names_an_unread_encoding() {
    let cases = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/cases/files");
    let latin1 = cases.join("01-iso-8859-1.xml");
    for file in [latin1.clone(), cases.join("01b-iso-8859-1-ascii.xml")] {
        let out = Command::new(TOM)
            .args(["order", "validate"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let shift_jis = dir.path().join("sjis.xml");
    let bytes = std::fs::read(&latin1).unwrap();
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    std::fs::write(&shift_jis, text.replace("ISO-8859-1", "Shift_JIS")).unwrap();
    let out = Command::new(TOM)
        .args(["order", "validate", "--format", "json"])
        .arg(&shift_jis)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["errors"][0]["code"], "encodage_non_supporte");
}

/// `tom order convert` on each case file of `shared/cases/files/`: the README's result.
#[test]
fn order_convert_gives_each_case_files_result() {
    let cases = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/cases/files");
    let dir = tempfile::tempdir().unwrap();
    for (file, expected) in [
        ("12-cp1252.csv", "<lieuNaissance>Šibenik</lieuNaissance>"),
        (
            "11-date1904.xlsx",
            "<dateNaissance>1988-04-09</dateNaissance>",
        ),
    ] {
        let xml = dir.path().join(format!("{file}.xml"));
        let out = Command::new(TOM)
            .args([
                "order",
                "convert",
                "--finess",
                "940000011",
                "--nom",
                "MARTIN",
            ])
            .args([
                "--prenom",
                "Sophie",
                "--email",
                "sophie.martin@example.fr",
                "-o",
            ])
            .arg(&xml)
            .arg(cases.join(file))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{file}: {stderr}");
        assert!(stderr.contains("valide"), "{stderr}");
        let xml = std::fs::read_to_string(&xml).unwrap();
        assert!(xml.contains(expected), "{file}: {xml}");
        assert!(
            !xml.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
            "{file}: {xml}"
        );
    }
}

/// Errors of a converted sheet are given at the sheet's line and column title, with what Excel
/// probably did; the XML still comes out; exit 1.
#[test]
fn order_convert_reports_errors_at_the_sheets_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("commande.csv");
    let columns = shared::order::sheet::columns();
    let titles: Vec<String> = columns
        .iter()
        .map(shared::order::sheet::template_header)
        .collect();
    let mut row = shared::order::sheet::example_row();
    let phone = columns.iter().position(|c| c.key == "telephone").unwrap();
    row[phone] = "235000000".into();
    std::fs::write(
        &csv,
        format!("{}\r\n\r\n{}\r\n", titles.join(";"), row.join(";")),
    )
    .unwrap();
    let out = Command::new(TOM)
        .args([
            "order",
            "convert",
            "--siret",
            "12345678900017",
            "--nom",
            "MARTIN",
        ])
        .args(["--prenom", "Sophie", "--email", "sophie.martin@example.fr"])
        .arg(&csv)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(":3: « Téléphone » : tableur_zero_de_tete:"),
        "{stderr}"
    );
    assert!(stderr.contains("format Texte"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("<siret>"));
    // No structure given: clap says which option is missing.
    let out = Command::new(TOM)
        .args([
            "order", "convert", "--nom", "M", "--prenom", "S", "--email", "s@e.fr",
        ])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--finess"));
}

/// A generated order written in ISO-8859-1 and in UTF-16 (transcoded while streaming into a
/// temporary file) gets the report of its UTF-8 original: same verdict, same lines and columns.
#[test]
fn order_validate_gives_an_encoded_file_the_report_of_its_utf8_original() {
    let dir = tempfile::tempdir().unwrap();
    let (xml, _) = shared::order::generate::generate(3000, 5, 4);
    let xml = xml.replacen("<nomNaissance>", "<nomNaissance>LEFÈVRE-", 3);
    let declared =
        |label: &str| xml.replacen("encoding=\"UTF-8\"", &format!("encoding=\"{label}\""), 1);
    let files = [
        ("utf8.xml", xml.clone().into_bytes()),
        (
            "latin1.xml",
            declared("ISO-8859-1")
                .chars()
                .map(|c| c as u8)
                .collect::<Vec<u8>>(),
        ),
        (
            "utf16.xml",
            [0xFF, 0xFE]
                .into_iter()
                .chain(declared("UTF-16").encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
        ),
    ];
    let mut reports = Vec::new();
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = Command::new(TOM)
            .args(["order", "validate", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let places: Vec<(u64, u64, String)> = json[0]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["line"].as_u64().unwrap(),
                    e["column"].as_u64().unwrap(),
                    e["code"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert!(!places.is_empty(), "{name}");
        reports.push(places);
    }
    assert_eq!(reports[1], reports[0], "ISO-8859-1");
    assert_eq!(reports[2], reports[0], "UTF-16");
}

#[test]
fn order_validate_exits_2_on_a_missing_file_or_no_file() {
    let out = Command::new(TOM)
        .args(["order", "validate", "/nexiste/pas.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(TOM)
        .args(["order", "validate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn order_generate_writes_valid_files_or_the_errors_it_announces() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.xml");
    let out = Command::new(TOM)
        .args(["order", "generate", "--lines", "50", "--seed", "7", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = Command::new(TOM)
        .args(["order", "validate"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = Command::new(TOM)
        .args([
            "order",
            "generate",
            "--lines",
            "50",
            "--seed",
            "7",
            "--errors",
            "3",
            "--expected",
            "-o",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let announced = String::from_utf8_lossy(&out.stderr).lines().count();
    assert_eq!(announced, 3);
    let out = Command::new(TOM)
        .args(["order", "validate"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn register_import_reports_each_refused_line_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let extract = dir.path().join("extrait.csv");
    let generated = Command::new(TOM)
        .args(["register", "generate", "--lines", "50", "-o"])
        .arg(&extract)
        .status()
        .unwrap();
    assert!(generated.success());
    let mut text = std::fs::read_to_string(&extract).unwrap();
    text.push_str("structureet;123;incomplet\n");
    std::fs::write(&extract, text).unwrap();
    let run = || {
        Command::new(TOM)
            .args(["register", "import"])
            .arg(&extract)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/tom.db", dir.path().display()),
            )
            .env("TOM_DATA_DIR", dir.path())
            .output()
            .unwrap()
    };
    let first = run();
    assert_eq!(first.status.code(), Some(1), "a line was refused");
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stderr.contains("extrait.csv:52: enregistrement structureet incomplet"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("45 créés, 5 mis à jour, 0 inchangés, 1 refusés"),
        "{stdout}"
    );
    let second = String::from_utf8_lossy(&run().stdout).to_string();
    assert!(
        second.contains("0 créés, 0 mis à jour, 50 inchangés, 1 refusés"),
        "{second}"
    );
    let not_an_extract = Command::new(TOM)
        .args(["register", "import", "Cargo.toml"])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/tom.db", dir.path().display()),
        )
        .output()
        .unwrap();
    assert_eq!(not_an_extract.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_an_extract.stderr)
        .contains("n'est pas un extrait du registre FINESS"));
}
