#!/usr/bin/env bash
# Benchmarks the order-file validator (`tom order validate`) against xmllint with the published
# XSD, in tree mode and in streaming mode, on generated orders of 10 000, 100 000 and 1 000 000
# operations, and on one of 100 000 operations with 50 errors (the file a user is fixing,
# against xmllint --stream): median time (hyperfine) and peak memory (/usr/bin/time). Writes the table to
# target/bench/order.md. Optional last step: the same check in Chromium (the SPA's Web Worker),
# when e2e/node_modules and a SPA with its validation worker are there.
#
#   bash scripts/bench-order.sh            # CARGO_TARGET_DIR is respected
#   BENCH_SIZES="10000 100000" bash scripts/bench-order.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/lib.sh

apt_need libxml2-utils xmllint
apt_need hyperfine
apt_need time /usr/bin/time
apt_need util-linux taskset

SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
SCHEMA=$ROOT/schemas/tom-commande-v1.xsd
# Tree-mode xmllint on the largest file is skipped above this estimated peak memory (KiB).
TREE_LIMIT_KB=$((12 * 1024 * 1024))
BROWSER_PORT=18555

say "compilation de tom (release)"
cargo build --release --quiet -p server
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
TOM=$TARGET_DIR/release/tom
[ -x "$TOM" ] || { echo "binaire introuvable : $TOM" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tom-bench.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
OUT=$ROOT/target/bench
mkdir -p "$OUT"

# Peak resident memory of one run, in KiB.
peak_kb() {
  # The exit status was checked by hyperfine (or is tom's refusal, reported in the notes).
  /usr/bin/time -f %M -o "$WORK/time.out" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$WORK/time.out"
}
# Median seconds of a named command in a hyperfine CSV export (command,mean,stddev,median,…).
median_of() {
  awk -F, -v name="$2" 'NR > 1 { gsub(/"/, "", $1); if ($1 == name) print $4 }' "$1"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "—"; else printf "%.1f×", a / b }'; }
secs() { awk -v s="$1" 'BEGIN { if (s == "") print "—"; else printf "%.3f", s }'; }

say "génération des commandes de test"
declare -A FILE BYTES
prev=0
for n in $SIZES; do
  f=$WORK/commande-$n.xml
  "$TOM" order generate --lines "$n" --seed 42 -o "$f"
  b=$(stat -c %s "$f")
  FILE[$n]=$f
  BYTES[$n]=$b
  # Sanity: non-empty, growing with the number of operations, valid for us and for xmllint.
  if [ "$b" -le "$prev" ] || [ "$b" -lt $((n * 200)) ]; then
    echo "taille inattendue pour $n opérations : $b octets" >&2
    exit 1
  fi
  prev=$b
  printf '  %8d opérations : %s Mo\n' "$n" "$(mb "$b")"
done
first=${SIZES%% *}
"$TOM" order validate "${FILE[$first]}" >/dev/null || { echo "tom juge invalide le fichier généré ${FILE[$first]}" >&2; exit 1; }
if ! xmllint --stream --noout --schema "$SCHEMA" "${FILE[$first]}" 2>"$WORK/xmllint.err"; then
  head -n 20 "$WORK/xmllint.err" >&2
  echo "xmllint juge invalide le fichier généré" >&2
  exit 1
fi

table=$WORK/table.md
{
  echo "| opérations | taille (Mo) | tom (s) | tom 1 cœur (s) | xmllint --stream (s) | xmllint arbre (s) | stream / tom | stream / tom 1 cœur | arbre / tom | tom Mo/s | RSS tom (Mo) | RSS stream (Mo) | RSS arbre (Mo) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$table"
notes=()
declare -A MED_TOM MED_TOM1
prev_tree_kb=
prev_bytes=
for n in $SIZES; do
  f=${FILE[$n]}
  b=${BYTES[$n]}
  runs=5
  [ "$n" -ge 1000000 ] && runs=3
  ours="'$TOM' order validate '$f'"
  # The same on one core: the command line reads large files in parallel parts.
  ours1="taskset -c 0 '$TOM' order validate '$f'"
  # tom refuses files beyond its safety bounds (e.g. more than 8 million elements): the run then
  # measures the time until the refusal, and the row says so.
  refused=
  rc=0
  "$TOM" order validate "$f" >"$WORK/tom-$n.out" 2>&1 || rc=$?
  if [ $rc -eq 1 ]; then
    refused=$(head -n 1 "$WORK/tom-$n.out" | sed "s|^$f:||")
    ours="'$TOM' order validate '$f' >/dev/null; [ \$? -eq 1 ]"
    ours1="taskset -c 0 $ours"
    notes+=("tom refuse le fichier de $n opérations ($refused) : sa durée et sa mémoire sont celles du refus, pas d'une vérification complète ; pas de rapport calculé.")
    say "tom refuse le fichier de $n opérations : $refused"
  elif [ $rc -ne 0 ]; then
    cat "$WORK/tom-$n.out" >&2
    exit 1
  fi
  stream="xmllint --stream --noout --schema '$SCHEMA' '$f'"
  tree="xmllint --noout --schema '$SCHEMA' '$f'"
  do_tree=1
  if [ -n "$prev_tree_kb" ]; then
    estimate=$((prev_tree_kb * b / prev_bytes))
    if [ "$estimate" -gt "$TREE_LIMIT_KB" ]; then
      do_tree=0
      notes+=("xmllint en mode arbre sauté pour $n opérations : environ $((estimate / 1024 / 1024)) Gio estimés d'après la taille précédente (limite 12 Gio).")
      say "xmllint en mode arbre sauté pour $n opérations (≈ $((estimate / 1024 / 1024)) Gio estimés)"
    fi
  fi
  say "$n opérations ($(mb "$b") Mo) : hyperfine, $runs mesures"
  cmds=(-n tom "$ours" -n tom-1 "$ours1" -n xmllint-stream "$stream")
  [ $do_tree -eq 1 ] && cmds+=(-n xmllint-tree "$tree")
  hyperfine --style basic --warmup 1 --runs "$runs" \
    --export-json "$OUT/order-$n.json" --export-csv "$WORK/order-$n.csv" "${cmds[@]}"
  m_tom=$(median_of "$WORK/order-$n.csv" tom)
  m_tom1=$(median_of "$WORK/order-$n.csv" tom-1)
  MED_TOM1[$n]=$m_tom1
  m_stream=$(median_of "$WORK/order-$n.csv" xmllint-stream)
  m_tree=$(median_of "$WORK/order-$n.csv" xmllint-tree)
  MED_TOM[$n]=$m_tom

  say "$n opérations : mémoire de pointe"
  k_tom=$(peak_kb "$TOM" order validate "$f")
  k_stream=$(peak_kb xmllint --stream --noout --schema "$SCHEMA" "$f")
  k_tree=
  if [ $do_tree -eq 1 ]; then
    k_tree=$(peak_kb xmllint --noout --schema "$SCHEMA" "$f")
    prev_tree_kb=$k_tree
    prev_bytes=$b
  fi
  rss_tree=—
  [ -n "$k_tree" ] && rss_tree=$(kb_to_mb "$k_tree")
  speed=$(awk -v b="$b" -v s="$m_tom" 'BEGIN { printf "%.0f", b / 1e6 / s }')
  t_tom=$(secs "$m_tom") t_tom1=$(secs "$m_tom1") r_stream=$(ratio "$m_stream" "$m_tom")
  r_stream1=$(ratio "$m_stream" "$m_tom1") r_tree=$(ratio "$m_tree" "$m_tom")
  if [ -n "$refused" ]; then
    t_tom="$t_tom (refus)" t_tom1="$t_tom1 (refus)" r_stream=— r_stream1=— r_tree=— speed=—
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$n" "$(mb "$b")" "$t_tom" "$t_tom1" "$(secs "$m_stream")" "$(secs "$m_tree")" \
    "$r_stream" "$r_stream1" "$r_tree" "$speed" \
    "$(kb_to_mb "$k_tom")" "$(kb_to_mb "$k_stream")" "$rss_tree" >> "$table"
done

# The file a user is fixing: 100 000 operations with 50 errors of varied kinds (schema and
# business rules, holders given twice), fully reported by tom, against xmllint --stream.
ERR_N=100000
ERR_K=50
errors_table=$WORK/errors.md
errors_step() {
  if [ -z "${FILE[$ERR_N]:-}" ]; then
    notes+=("Fichier avec erreurs : pas de fichier de $ERR_N opérations dans BENCH_SIZES, ligne sautée.")
    return 0
  fi
  local f=$WORK/commande-$ERR_N-erreurs.xml
  "$TOM" order generate --lines "$ERR_N" --seed 42 --errors "$ERR_K" -o "$f"
  local rc=0 found
  "$TOM" order validate "$f" >"$WORK/tom-errors.out" 2>&1 || rc=$?
  if [ $rc -ne 1 ]; then
    cat "$WORK/tom-errors.out" >&2
    echo "tom ne juge pas invalide le fichier à $ERR_K erreurs" >&2
    exit 1
  fi
  found=$(grep -c ": " "$WORK/tom-errors.out" || true)
  say "$ERR_N opérations, $ERR_K erreurs ($(mb "$(stat -c %s "$f")") Mo) : hyperfine, 5 mesures"
  # Both exit with a failure on an invalid file: hyperfine is told to ignore it.
  hyperfine --style basic --warmup 1 --runs 5 --ignore-failure \
    --export-json "$OUT/order-$ERR_N-errors.json" --export-csv "$WORK/order-errors.csv" \
    -n tom "'$TOM' order validate '$f'" \
    -n tom-1 "taskset -c 0 '$TOM' order validate '$f'" \
    -n xmllint-stream "xmllint --stream --noout --schema '$SCHEMA' '$f'"
  local m_tom m_tom1 m_stream k_tom k_stream
  m_tom=$(median_of "$WORK/order-errors.csv" tom)
  m_tom1=$(median_of "$WORK/order-errors.csv" tom-1)
  m_stream=$(median_of "$WORK/order-errors.csv" xmllint-stream)
  say "$ERR_N opérations, $ERR_K erreurs : mémoire de pointe"
  k_tom=$(peak_kb "$TOM" order validate "$f")
  k_stream=$(peak_kb xmllint --stream --noout --schema "$SCHEMA" "$f")
  {
    echo "| fichier | constats de tom | tom (s) | tom 1 cœur (s) | xmllint --stream (s) | stream / tom | stream / tom 1 cœur | RSS tom (Mo) | RSS stream (Mo) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
      "$(echo "$ERR_N" | sed ':a;s/\B[0-9]\{3\}\>/ &/;ta') opérations, $ERR_K erreurs" "$found" \
      "$(secs "$m_tom")" "$(secs "$m_tom1")" "$(secs "$m_stream")" \
      "$(ratio "$m_stream" "$m_tom")" "$(ratio "$m_stream" "$m_tom1")" \
      "$(kb_to_mb "$k_tom")" "$(kb_to_mb "$k_stream")"
  } > "$errors_table"
}
errors_step

# Optional: the same validator in Chromium, through the SPA's Web Worker (100 000 operations).
browser_step() {
  local n=100000 dist=${TOM_SPA_DIST:-$ROOT/app/dist}
  if [ -z "${FILE[$n]:-}" ]; then
    notes+=("Navigateur : pas de fichier de $n opérations dans BENCH_SIZES, étape sautée.")
    return 0
  fi
  if [ ! -d e2e/node_modules/@playwright/test ] || ! command -v node >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ]; then
    notes+=("Navigateur : e2e/node_modules (Playwright), node ou /usr/bin/chromium absent, étape sautée.")
    return 0
  fi
  if ! compgen -G "$dist/worker-*.js" >/dev/null; then
    notes+=("Navigateur : $dist n'a pas de worker-*.js (SPA sans vérificateur embarqué ; lancer scripts/build-spa.sh puis recompiler tom), étape sautée.")
    return 0
  fi
  say "navigateur : tom serve --demo sur 127.0.0.1:$BROWSER_PORT"
  mkdir -p "$WORK/data"
  TOM_DATA_DIR=$WORK/data TOM_LISTEN=127.0.0.1:$BROWSER_PORT TOM_LOG=warn \
    "$TOM" serve --demo >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  local base=https://127.0.0.1:$BROWSER_PORT up=0
  for _ in $(seq 1 120); do
    if curl -ksf -o /dev/null "$base/verifier-un-fichier"; then up=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  if [ $up -ne 1 ]; then
    tail -n 20 "$WORK/server.log" >&2
    notes+=("Navigateur : le serveur n'a pas démarré, étape sautée.")
    return 0
  fi
  say "navigateur : $n opérations, 5 mesures dans Chromium"
  local out=$WORK/browser.out
  if ! node e2e/bench/validate-in-browser.js "$base" "${FILE[$n]}" | tee /dev/stderr >"$out"; then
    : >"$out"
  fi
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  local total busy work
  total=$(sed -n 's/^median_s=//p' "$out")
  busy=$(sed -n 's/^median_busy_s=//p' "$out")
  work=$(sed -n 's/^median_work_s=//p' "$out")
  if [ -z "$total" ] || [ -z "$busy" ] || [ -z "$work" ]; then
    notes+=("Navigateur : la mesure a échoué (voir ci-dessus), étape sans résultat.")
    return 0
  fi
  local t1=${MED_TOM1[$n]} t=${MED_TOM[$n]}
  notes+=("Navigateur (Chromium, Web Workers wasm), $n opérations ($(mb "${BYTES[$n]}") Mo), médianes de 5 : \
validation $(secs "$busy") s dans le worker le plus chargé, soit $(ratio "$busy" "$t") le temps de tom \
($(secs "$t") s, fichier lu compris) et $(ratio "$busy" "$t1") celui de tom sur 1 cœur ($(secs "$t1") s) ; \
travail des deux workers additionné $(secs "$work") s, soit $(ratio "$work" "$t1") tom sur 1 cœur ; \
du choix du fichier au verdict, lecture du fichier par Chromium comprise, $(secs "$total") s \
($(ratio "$total" "$t") le temps de tom, $(awk -v b="${BYTES[$n]}" -v s="$total" 'BEGIN { printf "%.0f", b / 1e6 / s }') Mo/s).")
}
browser_step

{
  echo "# Vérification des fichiers de commande : tom contre xmllint"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cœurs, $(uname -m) ; $(xmllint --version 2>&1 | head -n 1) ; hyperfine : médiane de 5 mesures (3 pour 1 000 000 opérations) après 1 d'échauffement ; RSS : /usr/bin/time -f %M."
  echo "tom = \`tom order validate FICHIER\` (schéma et règles métier, sans construire le modèle ; un gros fichier est lu en parties, une par cœur) ; tom 1 cœur = la même commande sous \`taskset -c 0\` ; xmllint = \`xmllint [--stream] --noout --schema schemas/tom-commande-v1.xsd FICHIER\` (schéma seul)."
  echo
  cat "$table"
  if [ -s "$errors_table" ]; then
    echo
    echo "Fichier avec erreurs (le rapport complet : tom lit vite les opérations sans erreur et relit en entier celles qui en ont ; xmllint --stream s'arrête au schéma) :"
    echo
    cat "$errors_table"
  fi
  if [ ${#notes[@]} -gt 0 ]; then
    echo
    for note in "${notes[@]}"; do echo "- $note"; done
  fi
} > "$OUT/order.md"

echo
cat "$OUT/order.md"
say "tableau écrit dans target/bench/order.md (exports hyperfine : target/bench/order-*.json)"
