#!/usr/bin/env bash
# Benchmarks `tom register import` of a generated FINESS extract (10 000 then 100 000 lines, or
# BENCH_SIZES) into a fresh SQLite database, against `sqlite3 .import` of the same rows into
# plain tables: wall time and peak memory (maximum RSS) of each. Goal: at most 3 times sqlite3's
# time, and a peak memory that does not grow with the file. Writes target/bench/register.md.
#
#   bash scripts/bench-register.sh
#   BENCH_SIZES="10000 100000 300000" bash scripts/bench-register.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

apt_need sqlite3
apt_need time
target="${CARGO_TARGET_DIR:-target}"
say "compilation optimisée de tom"
cargo build --quiet --release -p server --bin tom
tom="$target/release/tom"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=target/bench/register.md
mkdir -p target/bench

# Wall seconds and peak RSS (Kio) of a command, from GNU time.
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || {
    local rc=$?
    # tom register import exits 1 when lines are refused: not a failure of the run.
    [ "$rc" = 1 ] || { cat "$work/stderr" >&2; return "$rc"; }
  }
  cat "$work/time"
}

{
  echo "# Import du registre FINESS — $(date -u +%Y-%m-%d) ($(nproc) cœurs)"
  echo
  echo "| lignes | tom register import (s) | mémoire max tom (Mio) | sqlite3 .import (s) | mémoire max sqlite3 (Mio) | rapport des temps |"
  echo "|---:|---:|---:|---:|---:|---:|"
} > "$out"

for n in ${BENCH_SIZES:-10000 100000}; do
  extract="$work/extrait-$n.csv"
  "$tom" register generate --lines "$n" -o "$extract"
  rm -f "$work/tom.db"*
  # Migrations first, outside the measure.
  DATABASE_URL="sqlite://$work/tom.db" "$tom" register import <(head -n 1 "$extract") > /dev/null
  read -r tom_s tom_kb < <(DATABASE_URL="sqlite://$work/tom.db" TOM_DATA_DIR="$work" measure "$tom" register import "$extract")
  # The same rows for sqlite3: establishments and geolocations in their own tables.
  grep '^structureet;' "$extract" | cut -d';' -f2- > "$work/et.csv"
  grep '^geolocalisation;' "$extract" | cut -d';' -f2- > "$work/geo.csv"
  cols=$(seq -s, -f 'c%g TEXT' 1 32 | sed 's/,$//')
  rm -f "$work/plain.db"
  sqlite3 "$work/plain.db" "CREATE TABLE et ($cols); CREATE TABLE geo (c1, c2, c3, c4, c5);"
  cat > "$work/import.sql" <<SQL
.mode csv
.separator ;
.import $work/et.csv et
.import $work/geo.csv geo
SQL
  read -r sq_s sq_kb < <(measure sqlite3 "$work/plain.db" ".read $work/import.sql")
  ratio=$(awk -v a="$tom_s" -v b="$sq_s" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "—" }')
  say "$n lignes : tom ${tom_s} s (${tom_kb} Kio), sqlite3 ${sq_s} s (${sq_kb} Kio), rapport ${ratio}"
  echo "| $n | $tom_s | $((tom_kb / 1024)) | $sq_s | $((sq_kb / 1024)) | $ratio |" >> "$out"
done
{
  echo
  echo "tom : extrait lu par lots de 250 enregistrements, validés toutes les 10 000 lignes (40 lots par transaction), base SQLite neuve (WAL)."
  echo "sqlite3 : les mêmes lignes, sans contrôle ni index, dans deux tables sans clé."
} >> "$out"
cat "$out"
