//! Embeds the built SPA (app/dist, or $TOM_SPA_DIST) in the binary, each file with its gzip form,
//! so that one file deploys. Without a built SPA the server still runs and says how to build it.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

fn mime(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "xsd" | "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn main() {
    println!("cargo:rerun-if-env-changed=TOM_SPA_DIST");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let dist = std::env::var("TOM_SPA_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| manifest.join("../app/dist"));
    println!("cargo:rerun-if-changed={}", dist.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut code = String::from("pub static ASSETS: &[Asset] = &[\n");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dist) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read(path).unwrap();
        let gz_path = out.join(format!("{name}.gz"));
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw).unwrap();
        std::fs::write(&gz_path, enc.finish().unwrap()).unwrap();
        // Names the SPA build hashed (name-<16 hex>.ext) never change content: cache forever.
        let immutable = hashed(&name);
        writeln!(
            code,
            "    Asset {{ path: \"/{name}\", mime: \"{}\", immutable: {immutable}, raw: include_bytes!({:?}), gzip: include_bytes!({:?}) }},",
            mime(&name),
            path.canonicalize().unwrap(),
            gz_path
        )
        .unwrap();
    }
    code.push_str("];\n");
    std::fs::write(out.join("assets.rs"), code).unwrap();
}

fn hashed(name: &str) -> bool {
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}
