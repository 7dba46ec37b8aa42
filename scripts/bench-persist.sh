#!/usr/bin/env bash
# Benchmarks persisting a 100 000-line order through the server's code path against the
# databases' own bulk loaders on the same rows: `sqlite3 .import` (SQLite) and `COPY`
# (PostgreSQL, in a throwaway cluster). Medians of 5 runs; writes target/bench/persist.md.
#
#   bash scripts/bench-persist.sh
#   BENCH_LINES=10000 BENCH_RUNS=3 bash scripts/bench-persist.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

apt_need sqlite3
mkdir -p target/bench
trap pg_stop EXIT
PG_ARGS=()
if pg_start; then
  PATH="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1):$PATH"
  PG_ARGS=(--pg "$PG_URL")
else
  say "PostgreSQL indisponible : seule la mesure SQLite est faite"
fi
say "banc d'essai de persistance (compilation optimisée, puis mesures)"
cargo bench --quiet -p server --bench persist -- \
  --lines "${BENCH_LINES:-100000}" --runs "${BENCH_RUNS:-5}" "${PG_ARGS[@]}" --out "$PWD/target/bench/persist.md"
