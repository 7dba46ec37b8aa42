#!/usr/bin/env bash
# Times `tom audit verify` on chains of 100 000 and 1 000 000 entries (SQLite), with its peak
# memory: the verifier reads the chain by batches, so memory must not grow with the chain.
# Writes target/bench/audit.md.
#
#   bash scripts/bench-audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

command -v hyperfine >/dev/null || apt_need hyperfine hyperfine
mkdir -p target/bench
say "compilation optimisée de tom et du remplisseur"
cargo build --quiet --release -p server --bin tom
out=target/bench/audit.md
printf "| entrées | médiane de tom audit verify | pic de mémoire |\n|---:|---:|---:|\n" > "$out"
for n in 100000 1000000; do
  db="$PWD/target/bench/audit-$n.db"
  cargo bench --quiet -p server --bench audit_fill -- --entries "$n" --db "$db"
  export DATABASE_URL="sqlite://$db" TOM_AUDIT_ANCHOR="$PWD/target/bench/pas-d-ancre.json"
  hyperfine --warmup 1 --runs "${BENCH_RUNS:-3}" --export-json target/bench/audit-$n.json \
    "target/release/tom audit verify" >/dev/null
  median=$(python3 -c "import json;print('%.3f s' % json.load(open('target/bench/audit-$n.json'))['results'][0]['median'])")
  rss=$( { /usr/bin/time -f %M target/release/tom audit verify >/dev/null; } 2>&1 | tail -n 1)
  printf "| %s | %s | %s Mo |\n" "$n" "$median" "$((rss / 1024))" >> "$out"
done
cat "$out"
