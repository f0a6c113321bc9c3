#!/usr/bin/env bash
# Installs the Debian packages whose real programs the tests run, only when they are missing:
#   nginx           the deployment's nginx config is exercised in front of the running services
#   docker-compose  docker-compose.yml is validated with `docker-compose config` (no engine needed)
# Quiet when everything is present. Needs root (apt) only when something is missing.
set -euo pipefail

missing=()
need() { # command package
    command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}
need nginx nginx
need docker-compose docker-compose

if ((${#missing[@]} == 0)); then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "install-test-tools.sh: missing ${missing[*]}; run as root or install them with apt" >&2
    exit 1
fi
echo "install-test-tools.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Debian's nginx package starts a server on port 80 from its postinst; the tests start their own
# nginx on loopback ports, so service start-up is refused while installing.
policy=/usr/sbin/policy-rc.d
had_policy=no
[[ -e $policy ]] && had_policy=yes
if [[ $had_policy == no ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
fi
cleanup() { [[ $had_policy == no ]] && rm -f "$policy"; }
trap cleanup EXIT
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
