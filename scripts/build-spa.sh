#!/usr/bin/env bash
# Builds the SPA into app/dist: release wasm, wasm-bindgen glue, wasm-opt, hashed file names.
# The server embeds app/dist when it is compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

node_need
wasm_toolchain
wasm_bindgen_cli
wasm_opt

say "compilation de l'application et du vérificateur (wasm)"
"${WASM_CARGO[@]}" build --quiet -p app -p validator --target wasm32-unknown-unknown --profile wasm-release \
  --target-dir target/wasm "${WASM_EXTRA[@]}"

out=target/wasm/bindgen
rm -rf "$out" app/dist.new
mkdir -p "$out" app/dist.new
wasm-bindgen --target web --no-typescript --out-dir "$out" target/wasm/wasm32-unknown-unknown/wasm-release/app.wasm
wasm-bindgen --target web --no-typescript --out-dir "$out" target/wasm/wasm32-unknown-unknown/wasm-release/validator.wasm
if [ -d "$out/snippets" ]; then
  echo "wasm-bindgen a produit des snippets JS : build-spa.sh doit apprendre à les servir" >&2
  exit 1
fi
opt() {
  "$WASM_OPT" "$1" --enable-bulk-memory --enable-reference-types --enable-multivalue \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals "$2" -o "$2"
}
opt -Oz "$out/app_bg.wasm"
# The validator is tuned for speed: it reads files of tens of megabytes.
opt -O3 "$out/validator_bg.wasm"

hash() { sha256sum "$1" | cut -c1-16; }
wasm="app_bg-$(hash "$out/app_bg.wasm").wasm"
js="app-$(hash "$out/app.js").js"
cp "$out/app_bg.wasm" "app/dist.new/$wasm"
cp "$out/app.js" "app/dist.new/$js"
css="style-$(hash style/tom.css).css"
cp style/tom.css "app/dist.new/$css"
icon="favicon-$(hash style/favicon.svg).svg"
cp style/favicon.svg "app/dist.new/$icon"
vwasm="validator_bg-$(hash "$out/validator_bg.wasm").wasm"
vjs="validator-$(hash "$out/validator.js").js"
cp "$out/validator_bg.wasm" "app/dist.new/$vwasm"
cp "$out/validator.js" "app/dist.new/$vjs"
sed -e "s|__VALIDATOR_JS__|$vjs|" -e "s|__VALIDATOR_WASM__|$vwasm|" app/worker.js > "$out/worker.js"
worker="worker-$(hash "$out/worker.js").js"
cp "$out/worker.js" "app/dist.new/$worker"
printf "import init from '/%s';\ninit({ module_or_path: '/%s' });\n" "$js" "$wasm" > "$out/loader.js"
loader="loader-$(hash "$out/loader.js").js"
cp "$out/loader.js" "app/dist.new/$loader"
cat > app/dist.new/index.html <<HTML
<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TOM — Gestion des cartes CPx</title>
<link rel="icon" href="/$icon" type="image/svg+xml">
<link rel="stylesheet" href="/$css">
<link rel="modulepreload" href="/$js">
<link rel="preload" href="/$wasm" as="fetch" type="application/wasm" crossorigin>
<meta name="tom-worker" content="/$worker">
<script type="module" src="/$loader"></script>
</head>
<body>
<noscript>TOM a besoin de JavaScript et de WebAssembly : activez-les ou utilisez un navigateur récent.</noscript>
</body>
</html>
HTML
rm -rf app/dist
mv app/dist.new app/dist
size() { local raw gz; raw=$(cat "$@" | wc -c); gz=$(cat "$@" | gzip -9 | wc -c); echo "$((raw / 1024)) Kio, $((gz / 1024)) Kio gzip"; }
say "SPA prête dans app/dist : application (wasm + JS) $(size app/dist/app_bg-*.wasm app/dist/app-*.js) ; vérificateur chargé à la demande $(size app/dist/validator*)"
