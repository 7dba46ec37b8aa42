//! The OpenAPI document stays complete: every route the code declares is in it, and no API
//! route is registered outside the documented way.

use crate::helpers::spawn_app;

/// Every `.rs` file under `server/src`, feature folders included.
fn source_files() -> Vec<std::path::PathBuf> {
    crate::helpers::rust_files(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    )))
}

fn declared_routes() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for file in source_files() {
        let text = std::fs::read_to_string(file).unwrap();
        for chunk in text.split("#[utoipa::path(").skip(1) {
            let method = chunk.split(',').next().unwrap().trim().to_string();
            let path = chunk
                .split("path = \"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            routes.push((method, path));
        }
    }
    routes
}

#[tokio::test]
async fn every_declared_route_is_in_the_openapi_document() {
    let app = spawn_app().await;
    let doc = app
        .request(None, "GET", "/api/openapi.json", &[])
        .await
        .json();
    let declared = declared_routes();
    assert!(declared.len() >= 5, "{declared:?}");
    for (method, path) in &declared {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} absent de /api/openapi.json"
        );
    }
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| p.as_object().unwrap().len())
        .sum();
    assert_eq!(documented, declared.len());
}

#[test]
fn no_api_route_is_registered_outside_the_documented_router() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/http/mod.rs")).unwrap();
    let allowed = ["\"/api/openapi.json\"", "\"/api/{*rest}\""];
    for line in text.lines().filter(|l| l.contains(".route(\"/api")) {
        assert!(
            allowed.iter().any(|a| line.contains(a)),
            "route non documentée : {line}"
        );
    }
    for path in source_files() {
        if !path.ends_with("http/mod.rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains(".route(\"/api"),
                "route API hors de http/mod.rs : {}",
                path.display()
            );
        }
    }
}

#[tokio::test]
async fn an_unknown_api_route_is_a_json_404() {
    let app = spawn_app().await;
    let r = app.request(None, "GET", "/api/inexistant", &[]).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "unknown_route");
}

#[tokio::test]
async fn every_error_code_is_documented_with_its_status() {
    let app = spawn_app().await;
    let doc = app
        .request(None, "GET", "/api/openapi.json", &[])
        .await
        .json();
    let description = doc["info"]["description"].as_str().unwrap();
    for code in shared::errors::ErrorCode::ALL {
        assert!(
            description.contains(&format!("| `{}` | {} |", code.code(), code.status())),
            "{} absent de la description",
            code.code()
        );
    }
}
