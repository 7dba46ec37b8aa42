#!/usr/bin/env bash
# Benchmarks TOM's TLS front against nginx (Debian's, `ssl_verify_client on`) with the same
# certificates, in one run, the client presenting the mandataire-a test card:
#   1. full mTLS handshakes per second, without resumption: BENCH_HS_CLIENTS parallel
#      `openssl s_time -new` (each: new connection, full handshake presenting the card, one
#      `GET /api/contact` in HTTP/1.0, close), for BENCH_HS_SECONDS, summed;
#   2. latency of an authenticated `GET /api/me` over BENCH_CONNECTIONS (256) keep-alive
#      connections (server/benches/tls_load.rs, rustls client): saturated (each connection sends
#      its next request as soon as it has the answer) and paced (BENCH_RATE requests per second
#      in all, latency counted from each request's scheduled time); p50 and p99.
# TOM: release `tom serve` on a test PKI (`tom pki init`) with the demo data, SQLite in a temp
# dir; `GET /api/me` is the real thing (card verdict of the handshake, session looked up and
# touched in the database, holder and structures read). nginx: the same server certificate and
# key, the cards' CAs as ssl_client_certificate (no CRL: nginx would need one for the root CA
# too, which the test PKI does not have), `/api/me` answering 200 only when
# $ssl_client_verify = SUCCESS (its notion of an authenticated request, with no session and no
# database). With BENCH_PROXY=1 (the default), a third row: TOM in proxy mode behind the same
# nginx, the full path of a proxied deployment. Both servers log warnings only (TOM_LOG=warn,
# nginx access_log off). Clients and servers share the machine's cores: the figures compare
# servers under identical conditions, they are not a capacity. Writes target/bench/tls.md.
#
#   bash scripts/bench-tls.sh              # about 2.5 minutes after the build; CARGO_TARGET_DIR is respected
#   BENCH_HS_SECONDS=5 BENCH_LAT_SECONDS=5 BENCH_PROXY=0 bash scripts/bench-tls.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/lib.sh

nginx_need
apt_need openssl

HS_SECONDS=${BENCH_HS_SECONDS:-8}
HS_CLIENTS=${BENCH_HS_CLIENTS:-4}
LAT_SECONDS=${BENCH_LAT_SECONDS:-8}
WARMUP=${BENCH_WARMUP:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-256}
RATE=${BENCH_RATE:-2000}
PROXY=${BENCH_PROXY:-1}
GOAL_P99_MS=20

say "compilation de tom et du client de charge (release)"
cargo build --release --quiet -p server
# The load client is run as a binary: `cargo bench` would wait for the target directory's lock
# while another build holds it.
LOAD_CLIENT=$(cargo bench --quiet -p server --bench tls_load --no-run --message-format=json |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "tls_load" and m.get("executable"):
        print(m["executable"])')
[ -x "$LOAD_CLIENT" ] || { echo "client de charge introuvable" >&2; exit 1; }
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
TOM=$TARGET_DIR/release/tom
[ -x "$TOM" ] || { echo "binaire introuvable : $TOM" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tom-bench-tls.XXXXXX)
TOM_PID=
NGINX_PID=
stop() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$TOM_PID"
  stop "$NGINX_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
OUT=$ROOT/target/bench
mkdir -p "$OUT"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
TOM_PORT=$(free_port)
NGINX_PORT=$(free_port)
PROXY_TLS_PORT=$(free_port)
PROXY_TOM_PORT=$(free_port)

say "PKI de test (tom pki init) et données de démonstration"
DATA=$WORK/data
mkdir -p "$DATA"
"$TOM" pki init "$DATA/pki" >"$WORK/pki.out"
PKI=$DATA/pki
CARD=$PKI/cards/mandataire-a
CA=$PKI/ca/racine.pem
for f in "$CARD.pem" "$CARD.key" "$CA" "$PKI/ca/personnes.pem" "$PKI/server/server.pem" "$PKI/server/server.key"; do
  [ -f "$f" ] || { echo "fichier attendu absent de la PKI de test : $f" >&2; exit 1; }
done
cat "$PKI/ca/racine.pem" "$PKI/ca/personnes.pem" >"$WORK/ac-cartes.pem"

# TOM in direct TLS (or, with `proxy`, in proxy mode behind nginx) on the same data.
start_tom() {
  local mode=$1
  local env=(TOM_DATA_DIR="$DATA" TOM_LOG=warn)
  if [ "$mode" = proxy ]; then
    env+=(TOM_LISTEN=127.0.0.1:$PROXY_TOM_PORT TOM_LISTEN_MODE=proxy TOM_TRUSTED_PROXIES=127.0.0.1
      TOM_PUBLIC_URL=https://localhost:$PROXY_TLS_PORT)
  else
    env+=(TOM_LISTEN=127.0.0.1:$TOM_PORT TOM_PUBLIC_URL=https://localhost:$TOM_PORT)
  fi
  env "${env[@]}" "$TOM" serve --demo >"$WORK/tom-$mode.log" 2>&1 &
  TOM_PID=$!
  for _ in $(seq 1 100); do
    if grep -q "TOM est prêt" "$WORK/tom-$mode.log"; then return 0; fi
    kill -0 "$TOM_PID" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$WORK/tom-$mode.log" >&2
  echo "tom serve n'a pas démarré" >&2
  exit 1
}

# nginx as a child process: the bench's own server, and in front of TOM in proxy mode.
cat >"$WORK/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    fastcgi_temp_path $WORK/fastcgi;
    uwsgi_temp_path $WORK/uwsgi;
    scgi_temp_path $WORK/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 120s;

    ssl_certificate     $PKI/server/server.pem;
    ssl_certificate_key $PKI/server/server.key;
    ssl_protocols       TLSv1.2 TLSv1.3;
    ssl_client_certificate $WORK/ac-cartes.pem;
    ssl_verify_depth 3;

    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        ssl_verify_client on;
        default_type application/json;
        location = /api/contact { return 200 '{"nom":"banc"}'; }
        location = /api/me {
            if (\$ssl_client_verify != SUCCESS) { return 401; }
            return 200 '{"client":"\$ssl_client_s_dn"}';
        }
        location / { return 404; }
    }

    upstream tom { server 127.0.0.1:$PROXY_TOM_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$PROXY_TLS_PORT ssl;
        ssl_verify_client on;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$host;
        proxy_set_header X-SSL-Client-Cert \$ssl_client_escaped_cert;
        proxy_set_header X-SSL-Protocol \$ssl_protocol;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        location / { proxy_pass http://tom; }
    }
}
EOF
start_nginx() {
  /usr/sbin/nginx -p "$WORK" -c "$WORK/nginx.conf" -g "user $(id -un);" >"$WORK/nginx.out" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 1 50); do
    if curl -ks -o /dev/null "https://127.0.0.1:$NGINX_PORT/"; then return 0; fi
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.2
  done
  cat "$WORK/nginx.out" "$WORK/nginx-error.log" >&2 2>/dev/null || true
  echo "nginx n'a pas démarré" >&2
  exit 1
}

# One authenticated request with curl, to be sure both servers accept the card before timing.
check_200() {
  local url=$1 code
  shift
  code=$(curl -s -o "$WORK/check.out" -w '%{http_code}' --cacert "$CA" \
    --cert "$CARD.pem" --key "$CARD.key" "$@" "$url" || true)
  if [ "$code" != 200 ]; then
    cat "$WORK/check.out" >&2 || true
    echo "$url : $code au lieu de 200" >&2
    exit 1
  fi
}

# Warns when something else keeps the machine busy (other builds skew every figure): the share
# of CPU time used during one second before a measurement, when the servers are idle.
BUSIEST=0
busy_note() {
  local a b busy
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6; exit }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6; exit }' /proc/stat)
  busy=$(awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
    u = y[1] - x[1]; i = y[2] - x[2]; printf "%.0f", (u + i > 0) ? 100 * u / (u + i) : 0 }')
  if [ "$busy" -gt 15 ]; then
    say "attention : machine occupée à $busy % par d'autres processus avant la mesure"
  fi
  [ "$busy" -gt "$BUSIEST" ] && BUSIEST=$busy
  return 0
}

# Full handshakes per second: HS_CLIENTS parallel s_time, connections summed. Sets HS[key].
handshakes() {
  local key=$1 port=$2 name=$3 i total=0 n pids=()
  busy_note
  say "$name : poignées de main complètes, $HS_CLIENTS × openssl s_time -new, $HS_SECONDS s"
  for i in $(seq 1 "$HS_CLIENTS"); do
    openssl s_time -connect "127.0.0.1:$port" -new -www /api/contact \
      -cert "$CARD.pem" -key "$CARD.key" -CAfile "$CA" -time "$HS_SECONDS" \
      >"$WORK/s_time-$name-$i.out" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  for i in $(seq 1 "$HS_CLIENTS"); do
    n=$(sed -n 's/^\([0-9]*\) connections in [0-9]* real seconds.*/\1/p' "$WORK/s_time-$name-$i.out")
    if [ -z "$n" ]; then
      cat "$WORK/s_time-$name-$i.out" >&2
      echo "openssl s_time n'a rien mesuré contre $name" >&2
      exit 1
    fi
    total=$((total + n))
  done
  HS[$key]=$(awk -v t="$total" -v s="$HS_SECONDS" 'BEGIN { printf "%.0f", t / s }')
  echo "  ${HS[$key]} poignées de main par seconde"
}

# key=value of the load client's output line.
field() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1"; }

# The load client against a port; its result line is left in $WORK/load-NAME.out.
load() {
  local port=$1 name=$2
  shift 2
  busy_note
  if ! "$LOAD_CLIENT" --addr "127.0.0.1:$port" --ca "$CA" \
    --cert "$CARD.pem" --key "$CARD.key" --path /api/me --connections "$CONNECTIONS" \
    --seconds "$LAT_SECONDS" --warmup "$WARMUP" "$@" >"$WORK/load-$name.out" 2>"$WORK/load-$name.err"; then
    cat "$WORK/load-$name.err" >&2
    echo "le client de charge a échoué contre $name" >&2
    exit 1
  fi
  tail -n 1 "$WORK/load-$name.out" | tee "$WORK/load-$name.line" | sed 's/^/  /'
}

declare -A HS HS_RUSTLS SAT PACED
measure() {
  local key=$1 port=$2 name=$3
  shift 3
  handshakes "$key" "$port" "$name"
  say "$name : poignées de main complètes, client rustls ($HS_CLIENTS boucles), $HS_SECONDS s"
  load "$port" "$name-poignees" --handshakes --path /api/contact --connections "$HS_CLIENTS" \
    --seconds "$HS_SECONDS" --warmup 1
  HS_RUSTLS[$key]=$(field "$(cat "$WORK/load-$name-poignees.line")" par_seconde)
  say "$name : GET /api/me, $CONNECTIONS connexions, saturation, $LAT_SECONDS s"
  load "$port" "$name-sat" "$@"
  SAT[$key]=$(cat "$WORK/load-$name-sat.line")
  say "$name : GET /api/me, $CONNECTIONS connexions, $RATE requêtes/s, $LAT_SECONDS s"
  load "$port" "$name-rythme" --rate "$RATE" "$@"
  PACED[$key]=$(cat "$WORK/load-$name-rythme.line")
}

say "démarrage de tom (TLS direct) et de nginx"
start_tom tls
start_nginx
check_200 "https://localhost:$NGINX_PORT/api/me" --resolve "localhost:$NGINX_PORT:127.0.0.1"
check_200 "https://localhost:$TOM_PORT/api/contact" --resolve "localhost:$TOM_PORT:127.0.0.1"

measure tom "$TOM_PORT" tom --login --origin "https://localhost:$TOM_PORT"
stop "$TOM_PID"
TOM_PID=
measure nginx "$NGINX_PORT" nginx
if [ "$PROXY" = 1 ]; then
  say "démarrage de tom en mode proxy derrière nginx"
  start_tom proxy
  check_200 "https://localhost:$PROXY_TLS_PORT/api/contact" --resolve "localhost:$PROXY_TLS_PORT:127.0.0.1"
  measure proxy "$PROXY_TLS_PORT" nginx-tom --login --origin "https://localhost:$PROXY_TLS_PORT"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "—"; else printf "%.2f", a / b }'; }
row() {
  local key=$1 label=$2 s=${SAT[$1]} p=${PACED[$1]}
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "${HS[$key]}" "${HS_RUSTLS[$key]}" \
    "$(field "$s" par_seconde)" "$(field "$s" p50_ms)" "$(field "$s" p99_ms)" \
    "$(field "$p" p50_ms)" "$(field "$p" p99_ms)" \
    "$(( $(field "$s" erreurs) + $(field "$p" erreurs) ))" "$(field "$s" max_ms) / $(field "$p" max_ms)"
}
HS_RATIO=$(ratio "${HS[tom]}" "${HS[nginx]}")
HS_RATIO_RUSTLS=$(ratio "${HS_RUSTLS[tom]}" "${HS_RUSTLS[nginx]}")
P99_TOM_SAT=$(field "${SAT[tom]}" p99_ms)
P99_TOM_PACED=$(field "${PACED[tom]}" p99_ms)
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v + 0 >= g + 0) ? "atteint" : "manqué" }'; }
under() { awk -v v="$1" -v g="$2" 'BEGIN { print (v + 0 < g + 0) ? "atteint" : "manqué" }'; }
{
  echo "# TLS avec carte : TOM contre nginx"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cœurs (clients et serveurs sur la même machine), $(uname -m) ; $(/usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: //') ; $(openssl version | cut -d' ' -f1-2) ; carte mandataire-a (ECDSA P-256), certificat serveur ECDSA P-256."
  echo "Poignées de main : $HS_CLIENTS \`openssl s_time -new -www /api/contact\` en parallèle pendant $HS_SECONDS s (TLS 1.3, poignée complète sans reprise, carte présentée, une requête HTTP/1.0, fermeture), connexions additionnées par seconde ; puis de même avec le client rustls de server/benches/tls_load.rs ($HS_CLIENTS boucles, reprise de session désactivée, TLS 1.3)."
  echo "GET /api/me : $CONNECTIONS connexions TLS gardées ouvertes (client rustls, une poignée de main chacune avant la mesure), $WARMUP s d'échauffement puis $LAT_SECONDS s mesurées ; saturation = chaque connexion renvoie dès la réponse reçue ; rythmé = $RATE requêtes/s en tout, latence comptée depuis l'instant prévu de la requête."
  echo
  echo "| serveur | poignées/s (s_time) | poignées/s (rustls) | saturation : req/s | p50 (ms) | p99 (ms) | $RATE req/s : p50 (ms) | p99 (ms) | erreurs | max (ms) sat. / rythmé |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  row tom "TOM (TLS direct ; session en base)"
  row nginx "nginx (ssl_verify_client on ; réponse fixe si \$ssl_client_verify = SUCCESS)"
  [ "$PROXY" = 1 ] && row proxy "nginx → TOM en mode proxy"
  echo
  echo "- Rapport des poignées de main TOM / nginx : **$HS_RATIO** avec openssl s_time, **$HS_RATIO_RUSTLS** avec le client rustls (objectif ≥ 1 : $(verdict "$HS_RATIO" 1), $(verdict "$HS_RATIO_RUSTLS" 1))."
  echo "- p99 de GET /api/me sur TOM à $CONNECTIONS connexions : $P99_TOM_PACED ms à $RATE req/s (objectif < $GOAL_P99_MS ms : $(under "$P99_TOM_PACED" $GOAL_P99_MS)) ; $P99_TOM_SAT ms à saturation ($(under "$P99_TOM_SAT" $GOAL_P99_MS)), où la latence est surtout l'attente derrière les $CONNECTIONS connexions (loi de Little : $CONNECTIONS / débit)."
  echo "- Rapport des p99 TOM / nginx : $(ratio "$P99_TOM_PACED" "$(field "${PACED[nginx]}" p99_ms)") rythmé, $(ratio "$P99_TOM_SAT" "$(field "${SAT[nginx]}" p99_ms)") à saturation ; nginx n'a ni session ni base : ce rapport mesure le prix du travail de TOM, pas de son TLS."
  if [ "$BUSIEST" -gt 15 ]; then
    echo "- Machine occupée par d'autres processus avant une mesure (jusqu'à $BUSIEST % du temps CPU, mesuré 1 s avant chaque mesure) : chiffres moins sûrs, à refaire sur une machine au repos."
  else
    echo "- Machine au repos avant chaque mesure (au plus $BUSIEST % du temps CPU pris par d'autres processus)."
  fi
} >"$OUT/tls.md"

echo
cat "$OUT/tls.md"
say "tableau écrit dans target/bench/tls.md"
