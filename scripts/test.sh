#!/usr/bin/env bash
# TOM's whole test suite, on a fresh Debian machine too: installs what is missing, then
# formatting, lints (host and wasm), unit and integration tests, and the Playwright tests,
# on SQLite and then on a throwaway PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

say "outils"
apt_need chromium /usr/bin/chromium
apt_need libxml2-utils xmllint
# The reverse proxy of the proxy-mode tests (server/tests/api/proxy.rs).
nginx_need
node_need
if ! cargo fmt --version >/dev/null 2>&1; then rustup component add rustfmt; fi
if ! cargo clippy --version >/dev/null 2>&1; then rustup component add clippy; fi
if [ ! -d e2e/node_modules/@playwright/test ]; then
  say "installation de Playwright (sans navigateur : celui de Debian sert)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi

say "format"
cargo fmt --all -- --check

say "application (wasm)"
bash scripts/build-spa.sh
wasm_toolchain

say "clippy (serveur et domaine)"
cargo clippy --quiet --all-targets -- -D warnings
say "clippy (application wasm)"
"${WASM_CARGO[@]}" clippy --quiet -p app --target wasm32-unknown-unknown --target-dir target/wasm \
  "${WASM_EXTRA[@]}" -- -D warnings

# The same package selection (the default members) in every cargo call below, so that features
# unify the same way and nothing is compiled twice.
say "tests unitaires et d'intégration (SQLite)"
cargo test

say "tests de bout en bout (Chromium, SQLite)"
(cd e2e && env -u DATABASE_URL npx playwright test)

trap pg_stop EXIT
if pg_start; then
  say "tests d'intégration (PostgreSQL)"
  TOM_TEST_DATABASE_URL="$PG_URL" cargo test
  say "tests de bout en bout (Chromium, PostgreSQL)"
  (cd e2e && DATABASE_URL="$PG_URL" npx playwright test)
else
  say "PostgreSQL indisponible sur cette machine : la suite PostgreSQL a été IGNORÉE"
fi
say "toutes les vérifications sont passées"
