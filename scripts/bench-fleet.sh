#!/usr/bin/env bash
# Times the download of a whole fleet as CSV (`tom fleet export`, the route's own code without
# TLS) against `sqlite3 -csv` running the same query (store::export_sql) on fleets of 100 000
# and 1 000 000 cards of one structure (SQLite), with TOM's peak memory (/usr/bin/time):
# goals, ratio ≤ 1.5 and peak < 64 MB, flat from 100 000 to 1 000 000 cards.
# Writes target/bench/fleet.md; the generated databases stay in target/bench (re-used).
#
#   bash scripts/bench-fleet.sh
#   BENCH_SIZES="10000 100000" BENCH_RUNS=3 bash scripts/bench-fleet.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

apt_need sqlite3
command -v hyperfine >/dev/null || apt_need hyperfine hyperfine
[ -x /usr/bin/time ] || apt_need time /usr/bin/time
mkdir -p target/bench
say "compilation optimisée de tom"
cargo build --quiet --release -p server --bin tom
tom="${CARGO_TARGET_DIR:-$PWD/target}/release/tom"
bench="$PWD/target/bench"
out="$bench/fleet.md"
median() { python3 -c "import json,sys;r=json.load(open(sys.argv[1]))['results'];print(next(x['median'] for x in r if x['command']==sys.argv[2]))" "$@"; }
printf "| cartes | tom fleet export (CSV) | sqlite3 -csv, même requête | rapport | pic de mémoire de tom | pic de sqlite3 | taille du CSV |\n|---:|---:|---:|---:|---:|---:|---:|\n" > "$out"
for n in ${BENCH_SIZES:-100000 1000000}; do
  db="$bench/fleet-$n.db"
  if [ ! -s "$db" ] || [ "$(sqlite3 "$db" 'SELECT COUNT(*) FROM cards')" != "$n" ]; then
    say "génération de $n cartes"
    rm -f "$db" "$db-wal" "$db-shm"
    DATABASE_URL="sqlite://$db" "$tom" fleet generate --cards "$n" --structures 1
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;" >/dev/null
  fi
  structure=$(sqlite3 "$db" "SELECT id FROM structures WHERE id LIKE '195%' LIMIT 1")
  # The query of store::export_sql, filters empty: the structure's cards in the list's order.
  query="SELECT family_name, given_name, national_id, matricule, card_type, profession, state, serial, issued_at, not_after, end_at, revoked_at FROM cards WHERE structure_id = '$structure' ORDER BY name_key, serial"
  export DATABASE_URL="sqlite://$db"
  say "$n cartes : mesures"
  hyperfine --warmup 1 --runs "${BENCH_RUNS:-5}" --export-json "$bench/fleet-$n.json" \
    -n tom "$tom fleet export --structure $structure --format csv -o $bench/fleet-$n.csv" \
    -n sqlite3 "sqlite3 -csv $db \"$query\" > $bench/fleet-$n-sqlite3.csv" >/dev/null
  t=$(median "$bench/fleet-$n.json" tom)
  s=$(median "$bench/fleet-$n.json" sqlite3)
  rss=$( { /usr/bin/time -f %M "$tom" fleet export --structure "$structure" --format csv -o /dev/null >/dev/null; } 2>&1 | tail -n 1)
  srss=$( { /usr/bin/time -f %M sqlite3 -csv "$db" "$query" >/dev/null; } 2>&1 | tail -n 1)
  lines=$(($(wc -l < "$bench/fleet-$n.csv") - 1))
  [ "$lines" = "$n" ] || { echo "le CSV a $lines lignes de cartes, $n attendues" >&2; exit 1; }
  size=$(du -m "$bench/fleet-$n.csv" | cut -f1)
  printf "| %s | %.3f s | %.3f s | %.2f | %s Mo | %s Mo | %s Mo |\n" "$n" "$t" "$s" \
    "$(python3 -c "print($t/$s)")" "$((rss / 1024))" "$((srss / 1024))" "$size" >> "$out"
done
cat "$out"
