#!/usr/bin/env bash
# Issue 12 part 11(b), national scale on PostgreSQL: the fleet list (first, middle and last page,
# with and without a search) and one structure's filtered download (CSV, type CPE), timed by the
# route's own code (`tom fleet page`, `tom fleet export`, no HTTP) on 50 000 cards over 500
# structures, then on 5 000 000 cards over 50 000 structures (100 cards per structure both
# times, made by `tom fleet generate`, the structure timed in the middle of the data). Goal:
# p99 at 5 M within 1.5× of p99 at 50 k. Prints EXPLAIN (ANALYZE, BUFFERS) of the page and count
# queries at 5 M. Writes target/bench/fleet-national.md; the throwaway cluster is removed at the
# end (≈ 6 GB while it runs).
#
#   bash scripts/bench-fleet-national.sh
#   BENCH_STAGES="50000:500 2000000:20000" BENCH_RUNS=100 bash scripts/bench-fleet-national.sh
#   TOM_BIN=/path/to/tom …   (a tom already built: no build)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

mkdir -p target/bench
if [ -z "${TOM_BIN:-}" ]; then
  say "compilation optimisée de tom"
  cargo build --quiet --release -p server --bin tom
fi
tom="${TOM_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/tom}"
bench="$PWD/target/bench"
out="$bench/fleet-national.md"
runs=${BENCH_RUNS:-200}
warmup=10
limit=${BENCH_PAGE:-20}

export TOM_PG_PORT=${TOM_PG_PORT:-55488}
pg_start
trap pg_stop EXIT
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql
sql() { "$psql_bin" -h 127.0.0.1 -p "$TOM_PG_PORT" -U postgres -d "$1" -v ON_ERROR_STOP=1 -qAt -c "$2"; }

# p50 and p99 (nearest rank) of the durations in a file, one per line, after the warm-up ones.
stats() { python3 - "$1" "$warmup" <<'PY'
import math, sys
d = sorted(float(x) for x in open(sys.argv[1]).read().split()[int(sys.argv[2]):])
q = lambda p: d[max(0, math.ceil(p * len(d)) - 1)]
print(f"{q(0.50):.3f} {q(0.99):.3f} {len(d)}")
PY
}

declare -A p50 p99
cases=()
stages=${BENCH_STAGES:-50000:500 5000000:50000}
for stage in $stages; do
  n=${stage%%:*}; k=${stage##*:}
  dbname="fleet_$n"
  sql postgres "CREATE DATABASE $dbname"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$TOM_PG_PORT/$dbname"
  say "$n cartes sur $k structures : génération"
  started=$(date +%s)
  "$tom" fleet generate --cards "$n" --structures "$k"
  sql "$dbname" "VACUUM ANALYZE"
  gen_s=$(( $(date +%s) - started ))
  size=$(sql "$dbname" "SELECT pg_size_pretty(pg_database_size('$dbname'))")
  structure=$(sql "$dbname" "SELECT id FROM structures ORDER BY id OFFSET $((k / 2)) LIMIT 1")
  # The search: the commonest first letter of the structure's names (a word prefix, as typed).
  term=$(sql "$dbname" "SELECT left(name_key, 1) FROM cards WHERE structure_id = '$structure' GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1")
  echo "$n cartes : $size, générées en $gen_s s ; structure $structure, recherche « $term »" | tee "$bench/fleet-national-$n.txt"
  say "$n cartes : mesures ($runs appels par cas)"
  for search in "" "$term"; do
    for position in premiere milieu derniere; do
      label="page $position${search:+, avec recherche}"
      f="$bench/fleet-national-$n-$position${search:+-search}.txt"
      "$tom" fleet page --structure "$structure" --limite "$limit" --page "$position" \
        ${search:+--recherche "$search"} --repeat $((runs + warmup)) > "$f" 2>> "$bench/fleet-national-$n.txt"
      read -r a b _ <<< "$(stats "$f")"
      p50["$label/$n"]=$a; p99["$label/$n"]=$b
      [ "$n" = "${stages%%:*}" ] && cases+=("$label")
      echo "  $label : p50 $a ms, p99 $b ms"
    done
  done
  label="téléchargement CSV, type CPE"
  f="$bench/fleet-national-$n-export.txt"
  "$tom" fleet export --structure "$structure" --format csv --type CPE --repeat $((runs + warmup)) \
    -o "$bench/fleet-national-$n.csv" 2> "$f"
  read -r a b _ <<< "$(stats "$f")"
  p50["$label/$n"]=$a; p99["$label/$n"]=$b
  [ "$n" = "${stages%%:*}" ] && cases+=("$label")
  echo "  $label : p50 $a ms, p99 $b ms ($(($(wc -l < "$bench/fleet-national-$n.csv") / (runs + warmup) - 1)) cartes par téléchargement)"
  last_n=$n; last_db=$dbname; last_structure=$structure; last_term=$term
  if [ "$stage" != "${stages##* }" ]; then sql postgres "DROP DATABASE $dbname"; fi
done

say "plans à $last_n cartes"
plans="$bench/fleet-national-plans.txt"
: > "$plans"
for search in "" "$last_term"; do
  for position in premiere derniere; do
    echo "### page $position${search:+, recherche « $search »}" >> "$plans"
    "$tom" fleet page --structure "$last_structure" --limite "$limit" --page "$position" \
      ${search:+--recherche "$search"} --explain 2>> "$plans" >/dev/null
    echo >> "$plans"
  done
done
sql "$last_db" "EXPLAIN (ANALYZE, BUFFERS) SELECT family_name, given_name, national_id, matricule, card_type, profession, state, serial, issued_at, not_after, end_at, revoked_at FROM cards WHERE structure_id = '$last_structure' AND card_type = 'CPE' ORDER BY name_key, serial" \
  | sed '1i ### téléchargement (requête de store::export_sql, type CPE)' >> "$plans"

first=${stages%%:*}; first=${first%%:*}
{
  echo "# Parc à l'échelle nationale (PostgreSQL) — $(date -u +%Y-%m-%d)"
  echo
  cat "$bench"/fleet-national-*[0-9].txt | grep -v '^page '
  echo
  echo "Pages de $limit cartes ; $runs appels par cas après $warmup d'échauffement ; durées en ms, code de la route sans HTTP."
  echo
  echo "| cas | p50 à $first | p99 à $first | p50 à $last_n | p99 à $last_n | rapport des p99 |"
  echo "|---|---:|---:|---:|---:|---:|"
  for c in "${cases[@]}"; do
    printf "| %s | %s | %s | %s | %s | %.2f |\n" "$c" "${p50[$c/$first]}" "${p99[$c/$first]}" \
      "${p50[$c/$last_n]}" "${p99[$c/$last_n]}" "$(python3 -c "print(${p99[$c/$last_n]}/${p99[$c/$first]})")"
  done
  echo
  echo '## Plans à '"$last_n"' cartes'
  echo
  echo '```'
  cat "$plans"
  echo '```'
} > "$out"
cat "$out"
