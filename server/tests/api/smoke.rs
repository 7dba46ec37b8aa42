//! The real `tom` binary: command line, configuration, demo start.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::helpers::{client_config, send};

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
    let (r, _) = send(
        ([127, 0, 0, 1], port).into(),
        config,
        "GET",
        "/api/diagnostic",
        &[],
        vec![],
    )
    .await;
    assert_eq!(r.json()["verdict"], "ok");
}
