# Shared helpers of TOM's scripts: install what a fresh Debian machine lacks, skip what is there.
# Tools that cannot live in the clone are cached under ~/.cache/tom (npm tools) and ~/.cargo.

TOM_CACHE="${TOM_CACHE:-$HOME/.cache/tom}"
BINARYEN_VERSION=132.0.0

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

apt_updated=0
# apt_need PACKAGE [COMMAND-OR-PATH]: installs a Debian package when its command/path is missing.
apt_need() {
  local pkg=$1 probe=${2:-$1}
  if [ -e "$probe" ] || command -v "$probe" >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  if [ $apt_updated -eq 0 ]; then
    say "apt-get update"
    $SUDO apt-get update -qq || return 1
    apt_updated=1
  fi
  say "installation de $pkg"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$pkg" >/dev/null
}

# nginx for the proxy-mode tests, which run it as their own child process: when installed here,
# the system service Debian starts and enables is stopped and disabled again.
nginx_need() {
  if [ -x /usr/sbin/nginx ]; then return 0; fi
  apt_need nginx /usr/sbin/nginx || return 1
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  if command -v systemctl >/dev/null 2>&1; then
    $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
}

# The wasm32 standard library: rustup first; Debian's rustc with -Zbuild-std otherwise
# (toolchain.md §1). Sets WASM_CARGO (the cargo command line prefix) and WASM_EXTRA (flags).
wasm_toolchain() {
  WASM_EXTRA=()
  if rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    WASM_CARGO=(cargo)
    return 0
  fi
  say "ajout de la cible wasm32 (rustup)"
  if timeout 180 rustup target add wasm32-unknown-unknown; then
    WASM_CARGO=(cargo)
    return 0
  fi
  say "rustup n'a pas pu fournir la cible : bibliothèque standard construite depuis les sources de Debian"
  apt_need rustc-web /usr/lib/rustlib/src/rust
  apt_need cargo-web /usr/bin/cargo
  apt_need rust-web-src /usr/lib/rustlib/src/rust/library
  apt_need lld-22 /usr/bin/rust-lld
  WASM_CARGO=(env PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo)
  WASM_EXTRA=(-Zbuild-std=std,panic_abort)
}

# wasm-bindgen CLI at exactly the version Cargo.lock locks (toolchain.md §2).
wasm_bindgen_cli() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
  if command -v wasm-bindgen >/dev/null 2>&1 && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ]; then
    return 0
  fi
  say "installation de wasm-bindgen-cli $want (une seule fois)"
  cargo install --quiet wasm-bindgen-cli --version "$want"
}

# wasm-opt from npm's binaryen (Debian's is too old for Chromium, toolchain.md §3).
wasm_opt() {
  WASM_OPT="$TOM_CACHE/binaryen/node_modules/.bin/wasm-opt"
  if [ -x "$WASM_OPT" ]; then return 0; fi
  say "installation de wasm-opt (binaryen $BINARYEN_VERSION, npm)"
  mkdir -p "$TOM_CACHE/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$TOM_CACHE/binaryen" "binaryen@$BINARYEN_VERSION" >/dev/null
}

node_need() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return 0; fi
  apt_need nodejs node
  apt_need npm npm
}

# A throwaway PostgreSQL cluster (toolchain.md §6). Sets PG_URL; pg_stop removes it.
PG_DIR=
pg_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    apt_need postgresql /usr/lib/postgresql || return 1
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$bin" ] || return 1
  local port=${TOM_PG_PORT:-55432}
  PG_DIR=$(mktemp -d /tmp/tom-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || return 1
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres >/dev/null || return 1
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off" start >/dev/null || return 1
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  local bin run=()
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
