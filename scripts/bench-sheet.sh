#!/usr/bin/env bash
# Benchmarks the conversion of a filled spreadsheet template (XLSX, 10 000 lines by default) to
# the XML order: on the command line (`tom order convert`: calamine, conversion and check of the
# XML; median time with hyperfine, peak memory with /usr/bin/time) and in Chromium (the SPA's
# validation Web Worker, as the page « Déposer une commande » drives it: the conversion, then the
# conversion and the check of the XML it produced; goal: under 1 s). Writes the table to
# target/bench/sheet.md. The browser step needs e2e/node_modules (Playwright), /usr/bin/chromium
# and a SPA with its validation worker (scripts/build-spa.sh, then tom compiled again).
#
#   bash scripts/bench-sheet.sh            # CARGO_TARGET_DIR is respected
#   BENCH_LINES=50000 bash scripts/bench-sheet.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/lib.sh

apt_need hyperfine
apt_need time /usr/bin/time

LINES=${BENCH_LINES:-10000}
BROWSER_PORT=18556
GOAL_S=1
# The order's header, as the page takes it from the logged-in card (the browser script has the same).
HEADER_ARGS=(--finess 940000011 --nom MARTIN --prenom Sophie --email s@example.fr)

say "compilation de tom (release)"
cargo build --release --quiet -p server
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
TOM=$TARGET_DIR/release/tom
[ -x "$TOM" ] || { echo "binaire introuvable : $TOM" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tom-bench-sheet.XXXXXX)
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
  /usr/bin/time -f %M -o "$WORK/time.out" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$WORK/time.out"
}
# Median seconds of a named command in a hyperfine CSV export (command,mean,stddev,median,…).
median_of() {
  awk -F, -v name="$2" 'NR > 1 { gsub(/"/, "", $1); if ($1 == name) print $4 }' "$1"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
secs() { awk -v s="$1" 'BEGIN { if (s == "") print "—"; else printf "%.3f", s }'; }
spaced() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/ &/;ta'; }

say "génération d'un tableur rempli de $LINES lignes"
SHEET=$WORK/commande-$LINES.xlsx
"$TOM" order generate --format xlsx --lines "$LINES" --seed 42 -o "$SHEET"
SHEET_BYTES=$(stat -c %s "$SHEET")
# Sanity: it converts to a valid order of as many operations.
if ! "$TOM" order convert "$SHEET" "${HEADER_ARGS[@]}" -o "$WORK/commande.xml" 2>"$WORK/convert.err"; then
  head -n 20 "$WORK/convert.err" >&2
  echo "le tableur généré ne se convertit pas en une commande valide" >&2
  exit 1
fi
"$TOM" order validate "$WORK/commande.xml" >"$WORK/validate.out" ||
  { cat "$WORK/validate.out" >&2; exit 1; }
grep -q "valide ($LINES opérations)" "$WORK/validate.out" ||
  { cat "$WORK/validate.out" >&2; echo "nombre d'opérations inattendu" >&2; exit 1; }
XML_BYTES=$(stat -c %s "$WORK/commande.xml")
printf '  tableur %s Mo, commande XML %s Mo\n' "$(mb "$SHEET_BYTES")" "$(mb "$XML_BYTES")"

say "ligne de commande : hyperfine, 10 mesures"
hyperfine --style basic --warmup 1 --runs 10 \
  --export-json "$OUT/sheet-$LINES.json" --export-csv "$WORK/sheet.csv" \
  -n convert "'$TOM' order convert '$SHEET' ${HEADER_ARGS[*]} -o '$WORK/out.xml'"
M_CLI=$(median_of "$WORK/sheet.csv" convert)
say "ligne de commande : mémoire de pointe"
K_CLI=$(peak_kb "$TOM" order convert "$SHEET" "${HEADER_ARGS[@]}" -o "$WORK/out.xml")

notes=()
M_CONVERT=
M_TOTAL=
browser_step() {
  local dist=${TOM_SPA_DIST:-$ROOT/app/dist}
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
  say "navigateur : $LINES lignes, 5 mesures dans Chromium"
  local out=$WORK/browser.out
  if ! node e2e/bench/convert-in-browser.js "$base" "$SHEET" | tee /dev/stderr >"$out"; then
    : >"$out"
  fi
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  M_CONVERT=$(sed -n 's/^median_convert_s=//p' "$out")
  M_TOTAL=$(sed -n 's/^median_total_s=//p' "$out")
  if [ -z "$M_CONVERT" ] || [ -z "$M_TOTAL" ]; then
    notes+=("Navigateur : la mesure a échoué (voir ci-dessus), étape sans résultat.")
    return 0
  fi
  notes+=("Navigateur : la vérification seule du XML produit, comptée par le worker (lecture du Blob comprise), prend $(secs "$(sed -n 's/^median_check_s=//p' "$out")") s en médiane ; le reste de l'écart entre les deux lignes est le passage du XML à la page (JSON) et son retour au worker.")
}
browser_step

# Whether a browser median is under the goal.
goal() { awk -v t="$1" -v g="$GOAL_S" 'BEGIN { if (t == "") print "—"; else if (t < g) print "atteint"; else print "manqué" }'; }
{
  echo "# Conversion d'un tableur rempli en commande XML"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cœurs, $(uname -m) ; tableur XLSX de $(spaced "$LINES") lignes ($(mb "$SHEET_BYTES") Mo ; commande XML produite : $(mb "$XML_BYTES") Mo), \`tom order generate --format xlsx --lines $LINES --seed 42\`."
  echo "Ligne de commande : \`tom order convert FICHIER.xlsx --finess … -o commande.xml\` (lecture par calamine, conversion, vérification du XML), hyperfine : médiane de 10 mesures après 1 d'échauffement ; RSS : /usr/bin/time -f %M."
  echo "Navigateur : Chromium, Web Worker de vérification (wasm), médiane de 5 mesures, chacune sur une page et un worker neufs : conversion = du message au worker à sa réponse « table » ; conversion et vérification = jusqu'au verdict sur le XML produit, renvoyé au worker comme un fichier (la page fait de même)."
  echo
  echo "| où | mesure | médiane (s) | RSS de pointe (Mo) | objectif navigateur < $GOAL_S s |"
  echo "|---|---|---:|---:|---|"
  echo "| ligne de commande | conversion et vérification | $(secs "$M_CLI") | $(kb_to_mb "$K_CLI") | — |"
  echo "| navigateur | conversion | $(secs "$M_CONVERT") | — | $(goal "$M_CONVERT") |"
  echo "| navigateur | conversion et vérification | $(secs "$M_TOTAL") | — | $(goal "$M_TOTAL") |"
  if [ ${#notes[@]} -gt 0 ]; then
    echo
    for note in "${notes[@]}"; do echo "- $note"; done
  fi
} > "$OUT/sheet.md"

echo
cat "$OUT/sheet.md"
say "tableau écrit dans target/bench/sheet.md (export hyperfine : target/bench/sheet-$LINES.json)"
