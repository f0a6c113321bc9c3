#!/usr/bin/env bash
# Smoke test of deploy/nginx/default.conf.template with Debian's real nginx, run as an ordinary
# foreground process on a loopback port (no container engine, no root needed; as root the nginx
# workers run as `nobody`, so every fixture is made world-readable).
#
# It is also the reference procedure for running the template outside a container:
#   1. render default.conf.template (LISTEN_PORT, GATEWAY_UPSTREAM, NAS_ROOT, GUI_ROOT) to
#      RUN_DIR/default.conf;
#   2. render test-wrapper.conf.template (RUN_DIR, SERVER_CONF, MIME_TYPES) to RUN_DIR/nginx.conf;
#   3. nginx -p RUN_DIR -e RUN_DIR/error.log -c RUN_DIR/nginx.conf -t, then the same without -t;
#   4. stop it with SIGQUIT to the master (SIGKILL would leave the workers listening).
#
# Inputs (environment, all optional):
#   GATEWAY_UPSTREAM  host:port of a running api-gateway. Unset: a python3 stand-in that echoes
#                     what it received (path, X-Request-Id, body size); the upload checks need it.
#   NAS_ROOT          the NAS directory to serve under /static/. Unset: a temporary directory.
#                     Given: the fixtures go into NAS_ROOT/.nginx-smoke.<pid>/ (so it must be
#                     writable) and are removed afterwards.
#   GUI_ROOT          the built GUI (must hold index.html). Unset: a temporary page + assets/app.js.
#   PORT              the loopback port nginx listens on. Unset: a free one.
#   NGINX             the nginx binary (default: nginx on PATH, else /usr/sbin/nginx).
#   MIME_TYPES        default /etc/nginx/mime.types.
#   KEEP_RUN_DIR=1    keep the rendered config and logs (the path is printed).
#
# Prints one line per check; exits 1 when any check fails, 2 when it cannot set up.
# Needs: nginx (scripts/install-test-tools.sh), curl, python3.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # `&` in a replacement is literal (bash 5.2)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
templates=$here/../nginx

die() {
    echo "nginx-smoke: $*" >&2
    exit 2
}

NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
MIME_TYPES=${MIME_TYPES:-/etc/nginx/mime.types}
[[ -x $NGINX ]] || die "nginx not found ($NGINX): run scripts/install-test-tools.sh"
[[ -r $MIME_TYPES ]] || die "no mime.types at $MIME_TYPES"
command -v curl >/dev/null || die "curl is required"
command -v python3 >/dev/null || die "python3 is required"

run=$(mktemp -d "${TMPDIR:-/tmp}/nginx-smoke.XXXXXX")
chmod 755 "$run"
nginx_pid=
stub_pid=
fixture=
cleanup() {
    local status=$?
    if [[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
        kill -TERM "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
    fi
    if [[ -n $stub_pid ]]; then
        kill "$stub_pid" 2>/dev/null || true
        wait "$stub_pid" 2>/dev/null || true
    fi
    [[ -n $fixture ]] && rm -rf "$fixture"
    if [[ ${KEEP_RUN_DIR:-} == 1 ]]; then
        echo "nginx-smoke: run directory kept: $run" >&2
    else
        rm -rf "$run"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# render TEMPLATE OUT NAME=VALUE...: replace every ${NAME}; fail if any ${…} is left.
render() {
    local template=$1 out=$2 text pair
    shift 2
    text=$(<"$template")
    for pair in "$@"; do
        text=${text//"\${${pair%%=*}}"/${pair#*=}}
    done
    # shellcheck disable=SC2016 # a literal dollar-brace
    if [[ $text == *'${'* ]]; then
        die "unrendered variable left in $template: $(grep -o '\${[A-Za-z_]*}' <<<"$text" | sort -u | tr '\n' ' ')"
    fi
    printf '%s\n' "$text" >"$out"
}

# --- fixtures -------------------------------------------------------------------------------

# The NAS: a plain file, a directory, and two links leading outside (a directory and a file).
# `outside` is a sibling of the temporary NAS, which /static../outside/… would reach through an
# alias whose location lacks the trailing slash.
outside=$run/outside
mkdir -p "$outside"
echo "outside-secret" >"$outside/secret.txt"
if [[ -n ${NAS_ROOT:-} ]]; then
    [[ -d $NAS_ROOT ]] || die "NAS_ROOT=$NAS_ROOT is not a directory"
    NAS_ROOT=$(cd "$NAS_ROOT" && pwd -P)
    fixture=$NAS_ROOT/.nginx-smoke.$$
    mkdir "$fixture" || die "cannot create fixtures in NAS_ROOT=$NAS_ROOT (it must be writable)"
else
    NAS_ROOT=$run/nas
    fixture=$NAS_ROOT/smoke
    mkdir -p "$fixture"
fi
static_prefix=/static/${fixture#"$NAS_ROOT"/}
echo "hello from the nas" >"$fixture/hello.txt"
mkdir -p "$fixture/dir"
echo "{}" >"$fixture/dir/annotation.json"
ln -s "$outside" "$fixture/escape"
ln -s "$outside/secret.txt" "$fixture/link.txt"
# World-readable everywhere: a refusal must come from nginx's rules, not from file permissions.
chmod -R a+rX "$outside" "$fixture"
[[ $NAS_ROOT == "$run/nas" ]] && chmod 755 "$NAS_ROOT"

if [[ -n ${GUI_ROOT:-} ]]; then
    [[ -d $GUI_ROOT ]] || die "GUI_ROOT=$GUI_ROOT is not a directory"
    GUI_ROOT=$(cd "$GUI_ROOT" && pwd -P)
    [[ -f $GUI_ROOT/index.html ]] || die "GUI_ROOT=$GUI_ROOT has no index.html"
    own_gui=no
else
    GUI_ROOT=$run/gui
    mkdir -p "$GUI_ROOT/assets"
    echo "<html>datamill smoke gui</html>" >"$GUI_ROOT/index.html"
    echo "console.log('smoke')" >"$GUI_ROOT/assets/app-1a2b3c.js"
    chmod -R a+rX "$GUI_ROOT"
    own_gui=yes
fi

# The gateway, or a stand-in that echoes what reached it.
if [[ -n ${GATEWAY_UPSTREAM:-} ]]; then
    stub=no
else
    stub=yes
    cat >"$run/stub.py" <<'PY'
import http.server, json, sys

class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return total
                total += len(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length", 0))
        remaining = length
        while remaining:
            remaining -= len(self.rfile.read(min(remaining, 1 << 20)))
        return length

    def reply(self, received):
        request_id = self.headers.get("X-Request-Id", "")
        body = json.dumps({
            "path": self.path,
            "method": self.command,
            "x_request_id": request_id,
            "x_forwarded_for": self.headers.get("X-Forwarded-For", ""),
            "received_bytes": received,
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Request-Id", request_id)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.reply(0)

    def do_POST(self):
        self.reply(self.read_body())

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY
    python3 "$run/stub.py" "$run/stub.port" &
    stub_pid=$!
    for _ in $(seq 100); do [[ -s $run/stub.port ]] && break; sleep 0.05; done
    [[ -s $run/stub.port ]] || die "the gateway stand-in did not start"
    GATEWAY_UPSTREAM=127.0.0.1:$(<"$run/stub.port")
fi

PORT=${PORT:-$(free_port)}

# --- render, check, start -------------------------------------------------------------------

render "$templates/default.conf.template" "$run/default.conf" \
    "LISTEN_PORT=127.0.0.1:$PORT" "GATEWAY_UPSTREAM=$GATEWAY_UPSTREAM" \
    "NAS_ROOT=$NAS_ROOT" "GUI_ROOT=$GUI_ROOT"
render "$templates/test-wrapper.conf.template" "$run/nginx.conf" \
    "RUN_DIR=$run" "SERVER_CONF=$run/default.conf" "MIME_TYPES=$MIME_TYPES"

nginx_args=(-p "$run" -e "$run/error.log" -c "$run/nginx.conf")
if ! "$NGINX" "${nginx_args[@]}" -t -q 2>"$run/nginx-t.log"; then
    cat "$run/nginx-t.log" >&2
    die "nginx -t rejected the rendered configuration"
fi
"$NGINX" "${nginx_args[@]}" >"$run/access.log" 2>>"$run/error.log" &
nginx_pid=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$run/error.log" >&2; die "nginx exited"; }
    sleep 0.1
done

echo "nginx-smoke: nginx on 127.0.0.1:$PORT → gateway $GATEWAY_UPSTREAM ($([[ $stub == yes ]] && echo stand-in || echo real)), NAS $NAS_ROOT, GUI $GUI_ROOT"

# --- checks ---------------------------------------------------------------------------------

failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# req PATH [curl args...]: status in $status, body in $run/body, headers in $run/headers.
req() {
    local path=$1
    shift
    status=$(curl -sS --path-as-is --max-time 30 -o "$run/body" -D "$run/headers" \
        -w '%{http_code}' "$@" "http://127.0.0.1:$PORT$path") || status=000
}
header() { # NAME: the last value of that response header
    { grep -i "^$1:" "$run/headers" || true; } | tail -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'
}
body_json() { # python expression over `b` (the parsed body)
    python3 -c "import json, sys; b = json.load(open(sys.argv[1])); print($1)" "$run/body" 2>/dev/null || true
}
expect_status() { # WHAT EXPECTED...: compare $status
    local what=$1 code
    shift
    for code in "$@"; do
        if [[ $status == "$code" ]]; then
            pass "$what: $status"
            return 0
        fi
    done
    fail "$what: got $status, expected $*"
    return 1
}

# API: request id kept, or generated and forwarded.
request_id=smoke-$$-$RANDOM
req /api/v1/health -H "X-Request-Id: $request_id"
expect_status "GET /api/v1/health reaches the gateway" 200 || true
if [[ $(header x-request-id) == "$request_id" ]]; then
    pass "X-Request-Id from the client reaches the gateway and comes back"
else
    fail "X-Request-Id: sent $request_id, got '$(header x-request-id)'"
fi
if [[ $stub == yes ]]; then
    if [[ $(body_json 'b["path"]') == /api/v1/health ]]; then
        pass "the gateway receives the path unchanged"
    else
        fail "the gateway received path '$(body_json 'b["path"]')'"
    fi
    if [[ $(body_json 'b["x_request_id"]') == "$request_id" ]]; then
        pass "the gateway receives the client's X-Request-Id"
    else
        fail "the gateway received X-Request-Id '$(body_json 'b["x_request_id"]')'"
    fi
fi
req /api/v1/health
generated=$(header x-request-id)
if [[ $status == 200 && $generated =~ ^[0-9a-f]{32}$ ]]; then
    pass "without X-Request-Id nginx generates one ($generated)"
else
    fail "without X-Request-Id: status $status, id '$generated' (expected nginx's 32 hex digits)"
fi
req /health
expect_status "GET /health reaches the gateway" 200 || true
if grep -q "request_id=$request_id" "$run/access.log"; then
    pass "the access log carries the request id"
else
    fail "request id $request_id not in the access log"
fi

if [[ $stub == yes ]]; then
    # Bodies stream to the gateway up to client_max_body_size (16m), larger ones get 413.
    head -c $((8 * 1024 * 1024)) /dev/zero >"$run/8m.bin"
    req /api/v1/upload --data-binary "@$run/8m.bin" -H "Content-Type: application/octet-stream"
    if [[ $status == 200 && $(body_json 'b["received_bytes"]') == $((8 * 1024 * 1024)) ]]; then
        pass "an 8 MiB request body reaches the gateway whole"
    else
        fail "8 MiB request body: status $status, received $(body_json 'b["received_bytes"]')"
    fi
    head -c $((17 * 1024 * 1024)) /dev/zero >"$run/17m.bin"
    req /api/v1/upload --data-binary "@$run/17m.bin" -H "Content-Type: application/octet-stream"
    expect_status "a 17 MiB request body is refused" 413 || true
    rm -f "$run/8m.bin" "$run/17m.bin"
fi

# NAS files under /static/: served read-only, never a listing, never outside the NAS.
req "$static_prefix/hello.txt"
if [[ $status == 200 && $(<"$run/body") == "hello from the nas" ]]; then
    pass "GET $static_prefix/hello.txt serves the file"
else
    fail "GET $static_prefix/hello.txt: status $status"
fi
if [[ $(header content-type) == text/plain* ]]; then
    pass "a NAS file has its MIME type ($(header content-type))"
else
    fail "NAS file content type '$(header content-type)'"
fi
if [[ $(header x-content-type-options) == nosniff && $(header content-security-policy) == sandbox ]]; then
    pass "NAS files are sent with nosniff and a sandbox CSP"
else
    fail "NAS file headers: nosniff='$(header x-content-type-options)' csp='$(header content-security-policy)'"
fi
req "$static_prefix/dir/annotation.json"
if [[ $status == 200 && $(header content-type) == application/json ]]; then
    pass "a JSON file on the NAS is application/json"
else
    fail "JSON file on the NAS: status $status, type '$(header content-type)'"
fi
req "$static_prefix/dir/"
expect_status "no directory listing" 403 404 || true
req "$static_prefix/missing.txt"
expect_status "a missing NAS file is 404 (not the GUI)" 404 || true
req "$static_prefix/hello.txt" -X POST --data x
expect_status "POST under /static/ is refused" 403 405 || true

gui_index=$(<"$GUI_ROOT/index.html")
leaks() { # true when the body shows anything from outside the NAS
    grep -q -e outside-secret -e 'root:' "$run/body"
}
for path in \
    "$static_prefix/escape/secret.txt" \
    "$static_prefix/link.txt" \
    "/static/../etc/passwd" \
    "/static/%2e%2e/etc/passwd" \
    "/static/..%2f..%2f..%2fetc/passwd" \
    "$static_prefix/../../../../../../etc/passwd" \
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd" \
    "/static../etc/passwd" \
    "/static../outside/secret.txt"; do
    req "$path"
    if leaks; then
        fail "$path leaked a file outside the NAS (status $status)"
    elif [[ $status =~ ^(400|403|404)$ ]]; then
        pass "$path is refused: $status"
    elif [[ $status == 200 && $(<"$run/body") == "$gui_index" ]]; then
        # nginx resolves /static/../x to /x before routing: the GUI's single-page fallback.
        pass "$path never reaches the NAS (normalised to the GUI page)"
    else
        fail "$path: unexpected status $status"
    fi
done

# The GUI, with the single-page fallback.
for path in / /datasets/some/client/route /index.html; do
    req "$path"
    if [[ $status == 200 && $(<"$run/body") == "$gui_index" ]]; then
        pass "GET $path serves index.html"
    else
        fail "GET $path: status $status, not index.html"
    fi
done
if [[ $(header cache-control) == no-cache ]]; then
    pass "index.html is not cached"
else
    fail "index.html Cache-Control '$(header cache-control)'"
fi
if [[ $own_gui == yes ]]; then
    req /assets/app-1a2b3c.js
    if [[ $status == 200 && $(header content-type) == *javascript* && $(header cache-control) == *immutable* ]]; then
        pass "hashed assets are served as JavaScript and cached for good"
    else
        fail "/assets/app-1a2b3c.js: status $status, type '$(header content-type)', cache '$(header cache-control)'"
    fi
    req /assets/missing-000000.js
    expect_status "a missing asset is 404 (not the GUI page)" 404 || true
fi

if ((failures > 0)); then
    echo "nginx-smoke: $failures check(s) failed; error log:" >&2
    tail -n 20 "$run/error.log" >&2 || true
    exit 1
fi
echo "nginx-smoke: all checks passed"
