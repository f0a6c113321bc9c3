#!/usr/bin/env bash
# Static checks of docker-compose.yml and the Dockerfiles it builds, without a container engine:
#   * `config -q` passes with no env file, with deploy/compose.env.example and with unusual values;
#   * the services are exactly postgres, dataset-registry, api-gateway, pipeline-worker,
#     eda-worker and nginx, with the health checks, start order, volumes, ports and
#     environment the platform needs, consistent with each other (ports, the gateway's upstream,
#     the nginx template's variables);
#   * compose.env.example names every variable the compose file reads, and only those;
#   * every Dockerfile a service builds exists, declares each build argument, copies only paths
#     that exist and that .dockerignore keeps; each Rust service's PACKAGE/BIN is a real
#     workspace package and binary.
#
# Usage: deploy/tests/compose-config.sh        (from anywhere; exits 1 on any failure)
#   COMPOSE="docker compose" to choose the compose command (default: `docker compose` when it
#   works, else Debian's docker-compose from scripts/install-test-tools.sh).
# Needs python3 with PyYAML for Compose v1 (Debian's docker-compose depends on python3-yaml, so
# /usr/bin/python3 has it); Compose v2 prints JSON itself.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

die() {
    echo "compose-config: $*" >&2
    exit 2
}

if [[ -n ${COMPOSE:-} ]]; then
    read -r -a compose <<<"$COMPOSE"
elif docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
elif command -v docker-compose >/dev/null; then
    compose=(docker-compose)
else
    die "no compose command: run scripts/install-test-tools.sh"
fi

python=
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import tomllib' 2>/dev/null; then
        python=$candidate
        if "$candidate" -c 'import yaml' 2>/dev/null; then break; fi
    fi
done
[[ -n $python ]] || die "python3 (3.11+, for tomllib) is required"

work=$(mktemp -d "${TMPDIR:-/tmp}/compose-config.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

if grep -Eq '^version:' docker-compose.yml; then
    fail "docker-compose.yml has a top-level version: key (obsolete in the Compose specification)"
else
    pass "no obsolete version: key"
fi

# An env file with values unlike the defaults, to see that they reach the right places.
cat >"$work/unusual.env" <<'EOF'
DATAMILL_NAS_PATH=/srv/nas/datasets
DATAMILL_HTTP_PORT=18081
DATAMILL_VERSION=1.2.3
POSTGRES_USER=dm_user
POSTGRES_PASSWORD=s3cret
POSTGRES_DB=dm_db
LOG_FORMAT=pretty
LOG_LEVEL=debug
UPSTREAM_TIMEOUT_SECS=120
EDA_GALLERY_SIZE=0
EOF

# config as JSON: Compose v2 prints it; for v1, PyYAML converts the YAML it prints.
config_json() { # OUT [compose args...]
    local out=$1
    shift
    # (Compose v1 answers an unknown option with its help text and exit status 0.)
    if "${compose[@]}" "$@" -f docker-compose.yml config --format json >"$out" 2>/dev/null &&
        "$python" -c 'import json, sys; json.load(open(sys.argv[1]))' "$out" 2>/dev/null; then
        return 0
    fi
    "${compose[@]}" "$@" -f docker-compose.yml config >"$work/config.yml" || return 1
    "$python" -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"))' \
        "$work/config.yml" "$out" ||
        die "cannot read the YAML that compose prints: python3 needs PyYAML (Debian: python3-yaml)"
}

for case in default example unusual; do
    case $case in
    default) args=() ;;
    example) args=(--env-file deploy/compose.env.example) ;;
    unusual) args=(--env-file "$work/unusual.env") ;;
    esac
    if ! "${compose[@]}" "${args[@]}" -f docker-compose.yml config -q 2>"$work/err"; then
        fail "[$case] config -q: $(<"$work/err")"
        continue
    fi
    pass "[$case] docker-compose.yml is valid"
    services=$("${compose[@]}" "${args[@]}" -f docker-compose.yml config --services | sort | tr '\n' ' ')
    if [[ $services == "api-gateway dataset-registry eda-worker nginx pipeline-worker postgres " ]]; then
        pass "[$case] services: $services"
    else
        fail "[$case] services are '$services', expected api-gateway dataset-registry eda-worker nginx pipeline-worker postgres"
    fi
    config_json "$work/$case.json" "${args[@]}" || { fail "[$case] config"; continue; }
    "$python" - "$work/$case.json" "$case" <<'PY' || failures=$((failures + 1))
import json, re, sys

config = json.load(open(sys.argv[1]))
case = sys.argv[2]
expected = {
    "default": {"port": 8080, "nas": "data/nas", "user": "datamill", "db": "datamill", "tag": "latest"},
    "example": {"port": 8080, "nas": "data/nas", "user": "datamill", "db": "datamill", "tag": "latest"},
    "unusual": {"port": 18081, "nas": "/srv/nas/datasets", "user": "dm_user", "db": "dm_db", "tag": "1.2.3"},
}[case]
problems = []

def check(ok, message):
    print(("ok   " if ok else "FAIL ") + f"[{case}] {message}")
    if not ok:
        problems.append(message)

services = config.get("services", {})
def svc(name):
    return services.get(name, {})

def mounts(service):
    """(source, target, read_only) of every volume, short or long syntax."""
    out = []
    for v in svc(service).get("volumes", []):
        if isinstance(v, str):
            parts = v.split(":")
            mode = parts[2] if len(parts) > 2 else "rw"
            out.append((parts[0], parts[1], "ro" in mode.split(",")))
        else:
            out.append((v.get("source"), v.get("target"), bool(v.get("read_only"))))
    return out

def health_test(service):
    test = svc(service).get("healthcheck", {}).get("test")
    return [test] if isinstance(test, str) else (test or [])

def depends(service, on):
    d = svc(service).get("depends_on", {})
    return isinstance(d, dict) and d.get(on, {}).get("condition") == "service_healthy"

def port_of(addr):
    return addr.rsplit(":", 1)[-1] if addr else None

# postgres
pg = svc("postgres")
check(str(pg.get("image", "")).startswith("postgres:16"), f"postgres image is PostgreSQL 16 ({pg.get('image')})")
check(any(s == "pgdata" and t == "/var/lib/postgresql/data" for s, t, _ in mounts("postgres")),
      "postgres keeps its data in the named volume pgdata")
check("pgdata" in (config.get("volumes") or {}), "the volume pgdata is declared")
check(any("pg_isready" in part for part in health_test("postgres")), "postgres health check runs pg_isready")
check(pg.get("environment", {}).get("POSTGRES_USER") == expected["user"]
      and pg.get("environment", {}).get("POSTGRES_DB") == expected["db"], "postgres credentials come from the environment")
check(not pg.get("ports"), "postgres is not published on the host")

# the Rust services
for name in ("dataset-registry", "api-gateway"):
    s = svc(name)
    args = s.get("build", {}).get("args", {})
    binary = args.get("BIN")
    check(s.get("build", {}).get("dockerfile") == "deploy/docker/Dockerfile", f"{name} builds from deploy/docker/Dockerfile")
    check(health_test(name) == ["CMD", f"/usr/local/bin/{binary}", "healthcheck"],
          f"{name} health check is `{binary} healthcheck` ({health_test(name)})")
    http_port = port_of(s.get("environment", {}).get("HTTP_ADDR"))
    check(http_port is not None and str(args.get("PORT")) == http_port,
          f"{name} HTTP_ADDR port {http_port} = build arg PORT {args.get('PORT')}")
    check(str(s.get("image", "")).endswith(":" + expected["tag"]), f"{name} image tag {s.get('image')}")
    check(s.get("environment", {}).get("LOG_FORMAT") in ("json", "pretty", "compact"), f"{name} LOG_FORMAT is set")

reg = svc("dataset-registry")
env = reg.get("environment", {})
url = env.get("DATABASE_URL", "")
check(re.fullmatch(rf"postgres://{expected['user']}:[^@]+@postgres:5432/{expected['db']}", url) is not None,
      f"registry DATABASE_URL points at the postgres service ({re.sub(r':[^:@/]+@', ':***@', url)})")
check(str(env.get("MIGRATE_ON_START")).lower() == "true", "registry applies migrations at start-up")
check(env.get("STORAGE_BACKEND") == "local" and env.get("LOCAL_STORAGE_BASE") == "/mnt/nas/datasets",
      "registry uses local storage at /mnt/nas/datasets")
check(any(t == "/mnt/nas/datasets" and not ro and src.endswith(expected["nas"]) for src, t, ro in mounts("dataset-registry")),
      f"registry mounts the NAS ({expected['nas']}) read-write")
check(depends("dataset-registry", "postgres"), "registry starts after postgres is healthy")

gw = svc("api-gateway")
registry_port = port_of(env.get("HTTP_ADDR"))
check(gw.get("environment", {}).get("REGISTRY_URL") == f"http://dataset-registry:{registry_port}",
      f"gateway REGISTRY_URL reaches the registry's port {registry_port}")
check(depends("api-gateway", "dataset-registry"), "gateway starts after the registry is healthy")

wk = svc("pipeline-worker")
wenv = wk.get("environment", {})
check(wenv.get("DATABASE_URL") == url, "the worker uses the registry's database")
check(wenv.get("LOCAL_STORAGE_BASE") == "/mnt/nas/datasets", "the worker writes to the NAS at /mnt/nas/datasets")
check(any(t == "/mnt/nas/datasets" and not ro for src, t, ro in mounts("pipeline-worker")), "the worker mounts the NAS read-write")
check(health_test("pipeline-worker") == ["CMD", "/usr/local/bin/pipeline-worker", "healthcheck"], "worker health check")
check(depends("pipeline-worker", "dataset-registry"), "the worker starts after the registry (migrations) is healthy")
check(not wk.get("ports"), "the worker publishes no port")

ew = svc("eda-worker")
eenv = ew.get("environment", {})
check(eenv.get("DATABASE_URL") == url, "the eda-worker uses the registry's database")
check(eenv.get("LOCAL_STORAGE_BASE") == "/mnt/nas/datasets", "the eda-worker reads the NAS at /mnt/nas/datasets")
check(any(t == "/mnt/nas/datasets" and not ro for src, t, ro in mounts("eda-worker")),
      "the eda-worker mounts the NAS read-write (it writes eda/{dataset_id}/)")
check(health_test("eda-worker") == ["CMD", "/usr/local/bin/eda-worker", "healthcheck"], "eda-worker health check")
check(depends("eda-worker", "dataset-registry"), "the eda-worker starts after the registry (migrations) is healthy")
check(not ew.get("ports"), "the eda-worker publishes no port")
gallery = str(eenv.get("EDA_GALLERY_SIZE", ""))
check(gallery.isdigit() and int(gallery) <= 500, f"EDA_GALLERY_SIZE is 0..500 ({gallery!r})")
check(not gw.get("ports"), "the gateway is reached through nginx only")

# nginx
ng = svc("nginx")
nenv = ng.get("environment", {})
gateway_port = port_of(gw.get("environment", {}).get("HTTP_ADDR"))
published = []
for p in ng.get("ports", []):
    if isinstance(p, str):
        host, _, target = p.rpartition(":")
        published.append((int(host.rsplit(":", 1)[-1]), int(target)))
    else:
        published.append((int(p.get("published")), int(p.get("target"))))
check(published == [(expected["port"], int(nenv.get("LISTEN_PORT", 0)))],
      f"nginx publishes host port {expected['port']} to its LISTEN_PORT ({published})")
template = open("deploy/nginx/default.conf.template").read()
template_vars = set(re.findall(r"\$\{([A-Z_]+)\}", template))
check(template_vars == set(nenv), f"nginx environment = the template's variables {sorted(template_vars)}")
check(nenv.get("GATEWAY_UPSTREAM") == f"api-gateway:{gateway_port}", f"nginx proxies to the gateway's port {gateway_port}")
check(any(t == nenv.get("NAS_ROOT") and ro and src.endswith(expected["nas"]) for src, t, ro in mounts("nginx")),
      "nginx mounts the NAS read-only at NAS_ROOT")
check(depends("nginx", "api-gateway"), "nginx starts after the gateway is healthy")

sys.exit(1 if problems else 0)
PY
done

# compose.env.example documents exactly the variables the compose file reads.
# shellcheck disable=SC2016 # a literal dollar-brace
used=$(grep -o '\${[A-Za-z_][A-Za-z0-9_]*' docker-compose.yml | cut -c3- | sort -u | tr '\n' ' ')
documented=$(grep -Eo '^[A-Za-z_][A-Za-z0-9_]*=' deploy/compose.env.example | tr -d = | sort -u | tr '\n' ' ')
if [[ $used == "$documented" ]]; then
    pass "compose.env.example documents every variable: $used"
else
    fail "variables used: $used; documented in compose.env.example: $documented"
fi

# Build inputs: Dockerfiles, build arguments, COPY sources, workspace packages and binaries.
config_json "$work/build.json" || die "config"
"$python" - "$work/build.json" <<'PY' || failures=$((failures + 1))
import fnmatch, glob, json, os, re, sys, tomllib

config = json.load(open(sys.argv[1]))
problems = []

def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        problems.append(message)

# .dockerignore, approximately as Docker reads it: patterns are anchored at the context root,
# `**/` matches any depth, a pattern matching a directory excludes what is below it. (No `!`
# exceptions are used.)
ignore = []
for line in open(".dockerignore"):
    line = line.strip()
    if line and not line.startswith("#"):
        pattern = line.strip("/")
        anywhere = pattern.startswith("**/")
        ignore.append((pattern.removeprefix("**/"), anywhere))

def ignored(path):
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(
        fnmatch.fnmatchcase(prefix, pattern) or (anywhere and fnmatch.fnmatchcase(prefix, "*/" + pattern))
        for pattern, anywhere in ignore
        for prefix in prefixes
    )

# The workspace: package name → binary names.
packages = {}
for manifest in glob.glob("crates/*/Cargo.toml") + glob.glob("services/*/Cargo.toml") + ["crates/core/fuzz/Cargo.toml"]:
    if not os.path.exists(manifest):
        continue
    data = tomllib.load(open(manifest, "rb"))
    name = data.get("package", {}).get("name")
    bins = {b["name"] for b in data.get("bin", [])}
    if os.path.exists(os.path.join(os.path.dirname(manifest), "src/main.rs")):
        bins.add(name)
    packages[name] = bins

for name, service in sorted(config.get("services", {}).items()):
    build = service.get("build")
    if not build:
        continue
    dockerfile = build.get("dockerfile", "Dockerfile")
    context = os.path.relpath(build.get("context", "."))
    check(context == ".", f"{name}: build context is the repository root")
    path = os.path.join(context, dockerfile)
    if not os.path.isfile(path):
        check(False, f"{name}: {dockerfile} exists")
        continue
    text = open(path).read()
    declared = set(re.findall(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)", text, re.M))
    args = build.get("args", {}) or {}
    check(set(args) <= declared, f"{name}: {dockerfile} declares its build args {sorted(args)}")
    # COPY/ADD sources from the context (not --from=stage) exist and are not .dockerignored.
    for match in re.finditer(r"^\s*(?:COPY|ADD)\s+(.+)$", text, re.M):
        words = match.group(1).split()
        if any(w.startswith("--from") for w in words):
            continue
        sources = [w for w in words if not w.startswith("--")][:-1]
        for source in sources:
            if source == ".":
                continue
            check(os.path.exists(source) and not ignored(source),
                  f"{name}: COPY source {source} is in the build context")
    if "PACKAGE" in args:
        package, binary = args["PACKAGE"], args.get("BIN")
        check(package in packages, f"{name}: PACKAGE {package} is a workspace package")
        check(binary in packages.get(package, set()), f"{name}: BIN {binary} is a binary of {package}")

# The Rust build needs these in its context.
for needed in ["Cargo.toml", "Cargo.lock", "crates", "services", "proto-schemas", "crates/core/fuzz/Cargo.toml"]:
    check(os.path.exists(needed) and not ignored(needed), f".dockerignore keeps {needed}")
for dropped in ["target", ".git", "data", "frontend/node_modules", "services/x/node_modules", ".env"]:
    check(ignored(dropped), f".dockerignore drops {dropped}")

sys.exit(1 if problems else 0)
PY

if ((failures > 0)); then
    echo "compose-config: $failures group(s) of checks failed" >&2
    exit 1
fi
echo "compose-config: all checks passed"
