#!/usr/bin/env bash
# One-command local demo of a studio: two daemons with TLS and studio tokens behind nginx (the
# shipped deploy/nginx/editorbridge.conf.template), all on loopback addresses, then jobs through
# the balancer and which daemon served each. Everything it starts is stopped when it ends.
#
#   bash deploy/studio-demo.sh [JOBS]        (default 6 jobs; needs nginx and a Release build)
#
# EDITORBRIDGE_CLI may name the editorbridge.dll to use (default: the Release build in src/).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-6}
cli=${EDITORBRIDGE_CLI:-$PWD/src/EditorBridge.Cli/bin/Release/net10.0/editorbridge.dll}
[ -f "$cli" ] || { echo "build first: dotnet build src/EditorBridge.Cli -c Release" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is needed: apt-get install nginx" >&2; exit 1; }
eb() { dotnet "$cli" "$@"; }
work=$(mktemp -d -t editorbridge-studio.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done  # the daemons' own pids (dotnet started directly)
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"; }

echo "== tokens (hashed in $work/tokens.json)"
token=$(eb tokens --tokens-file "$work/tokens.json" add painter 2>/dev/null)
eb tokens --tokens-file "$work/tokens.json" list

echo "== two daemons"
servers=""
backends=""
for i in 1 2; do
  address=127.0.0.$((i + 1)); port=$(free_port "$address")
  # --server-name editorbridge-backend: the name nginx checks in every daemon's certificate
  dotnet "$cli" --state-dir "$work/daemon$i" serve --listen "$address:$port" --self-signed --tokens-file "$work/tokens.json" --backend-name "b$i" \
     --server-name 127.0.0.1 --server-name localhost --server-name "$address" --server-name editorbridge-backend >"$work/daemon$i.log" 2>&1 &
  pids+=($!)
  servers+="server $address:$port max_fails=1 fail_timeout=2s; "
  backends+="b$i $address:$port; "
done
for i in 1 2; do
  until grep -q "fingerprint" "$work/daemon$i.log"; do
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { cat "$work/daemon$i.log"; exit 1; }
    sleep 0.2
  done
  sed -n 's/^serving studio clients on /daemon '"$i"': /p' "$work/daemon$i.log"
done

echo "== nginx"
mkdir -p "$work/nginx"
# nginx verifies the daemons: it trusts exactly their self-signed certificates (a studio CA's
# certificate in a real studio), so a machine answering for a backend's address gets no token
for i in 1 2; do cat "$work/daemon$i/studio-cert.pem"; echo; done >"$work/nginx/backends.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/nginx/key.pem" -out "$work/nginx/cert.pem" 2>/dev/null
fingerprint=$(openssl x509 -in "$work/nginx/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2)
port=$(free_port 127.0.0.1)
sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@SERVERS@|$servers|" -e "s|@BACKENDS@|$backends|g" -e "s|@CERT@|$work/nginx/cert.pem|" \
    -e "s|@KEY@|$work/nginx/key.pem|" -e "s|@BACKEND_CA@|$work/nginx/backends.pem|g" -e "s|@BACKEND_NAME@|editorbridge-backend|g" \
    -e "s|@PREFIX@|$work/nginx|g" deploy/nginx/editorbridge.conf.template >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
echo "balancer: https://127.0.0.1:$port (fingerprint $fingerprint)"

echo "== $jobs fills through the balancer"
picture=tests/data/photos/astronaut.png
export EDITORBRIDGE_TOKEN=$token
failed=0
for n in $(seq 1 "$jobs"); do
  eb --state-dir "$work/client" --daemon "https://127.0.0.1:$port" --fingerprint "$fingerprint" --connect-timeout 30 \
     fill "$picture" --rect $((40 + n * 20)),120,40,40 -o "$work/out$n.png" || failed=$((failed + 1))
done
echo "== which daemon served each job (nginx access log)"
grep '/RunJob ' "$work/nginx/access.log" | sed 's/.*upstream=\(.*\) upstream_status.*/\1/' | awk -F', ' '{print "served by " $NF}' | sort | uniq -c || true
eb --state-dir "$work/client" --daemon "https://127.0.0.1:$port" --fingerprint "$fingerprint" jobs
[ "$failed" -eq 0 ] && echo "all $jobs jobs succeeded" || { echo "$failed jobs failed"; exit 1; }
