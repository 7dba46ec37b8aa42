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

say "compilation de l'application (wasm)"
"${WASM_CARGO[@]}" build --quiet -p app --target wasm32-unknown-unknown --profile wasm-release \
  --target-dir target/wasm "${WASM_EXTRA[@]}"

out=target/wasm/bindgen
rm -rf "$out" app/dist.new
mkdir -p "$out" app/dist.new
wasm-bindgen --target web --no-typescript --out-dir "$out" target/wasm/wasm32-unknown-unknown/wasm-release/app.wasm
if [ -d "$out/snippets" ]; then
  echo "wasm-bindgen a produit des snippets JS : build-spa.sh doit apprendre à les servir" >&2
  exit 1
fi
"$WASM_OPT" -Oz --enable-bulk-memory --enable-reference-types --enable-multivalue \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$out/app_bg.wasm" -o "$out/app_bg.wasm"

hash() { sha256sum "$1" | cut -c1-16; }
wasm="app_bg-$(hash "$out/app_bg.wasm").wasm"
js="app-$(hash "$out/app.js").js"
cp "$out/app_bg.wasm" "app/dist.new/$wasm"
cp "$out/app.js" "app/dist.new/$js"
css="style-$(hash style/tom.css).css"
cp style/tom.css "app/dist.new/$css"
icon="favicon-$(hash style/favicon.svg).svg"
cp style/favicon.svg "app/dist.new/$icon"
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
<script type="module" src="/$loader"></script>
</head>
<body>
<noscript>TOM a besoin de JavaScript et de WebAssembly : activez-les ou utilisez un navigateur récent.</noscript>
</body>
</html>
HTML
rm -rf app/dist
mv app/dist.new app/dist
raw=$(cat app/dist/*.wasm app/dist/app-*.js | wc -c)
gz=$( (gzip -9c app/dist/*.wasm; gzip -9c app/dist/app-*.js) | wc -c)
say "SPA prête dans app/dist : wasm + JS $((raw / 1024)) Kio, $((gz / 1024)) Kio gzip"
