#!/usr/bin/env bash
# Builds and runs TOM on the embedded default: SQLite in ./data, a generated test PKI and demo
# data on first start. Extra arguments go to `tom serve` (e.g. --config tom.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

bash scripts/build-spa.sh
say "compilation du serveur"
cargo build --quiet --release -p server
say "démarrage (Ctrl-C pour arrêter)"
exec target/release/tom serve --demo "$@"
