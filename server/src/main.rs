//! The `tom` command: a shim over `server::cli`.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    server::cli::run().await
}
