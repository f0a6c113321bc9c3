#!/usr/bin/env bash
# Installs the Debian packages the build needs (cmake, nasm for libjpeg-turbo) and whose real
# programs the tests run (nginx, docker-compose, chromium for the GUI's end-to-end tests), only
# when they are missing.
# Idempotent, and silent when everything is present (`make test-tools`, part of `make test`).
# Needs root (apt) only when something is missing; written for Debian 12.
#
# To add a tool, add one `need <command> <package>` line to tools() below.
set -euo pipefail

missing=()
# need COMMAND PACKAGE: install PACKAGE unless COMMAND is found. The sbin directories are searched
# too: nginx lives in /usr/sbin, which is not on an ordinary user's PATH.
need() {
    if command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 || -x /sbin/$1 ]]; then
        return 0
    fi
    missing+=("$2")
}

tools() {
    need cmake cmake                   # builds the bundled libjpeg-turbo (turbojpeg-sys) for crates/imaging
    need nasm nasm                     # libjpeg-turbo's SIMD code; without it the build fails
    need nginx nginx                   # deploy/tests/nginx-smoke.sh, services/devstack/tests/deploy.rs
    need docker-compose docker-compose # deploy/tests/compose-config.sh: `config` needs no engine
    need chromium chromium             # frontend/e2e: Playwright drives Debian's Chromium
    need psql postgresql-client        # frontend/e2e creates and drops its database
}

tools
((${#missing[@]} == 0)) && exit 0

say() { echo "install-test-tools.sh: $*" >&2; }
if [[ $(id -u) -ne 0 ]]; then
    say "missing ${missing[*]}; run this script as root, or: apt-get install ${missing[*]}"
    exit 1
fi
say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# Debian's nginx package starts a server on port 80 from its postinst (through invoke-rc.d or
# deb-systemd-invoke). The tests start their own nginx on loopback ports and want nothing else
# listening, so service start-up is refused while installing: invoke-rc.d and deb-systemd-invoke
# ask /usr/sbin/policy-rc.d, and exit status 101 means "action forbidden". An existing policy
# (container images ship one that already says 101) is left alone; ours is removed afterwards.
policy=/usr/sbin/policy-rc.d
own_policy=no
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# written by install-test-tools.sh while it runs\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=yes
fi
log=$(mktemp)
cleanup() {
    [[ $own_policy == yes ]] && rm -f "$policy"
    rm -f "$log"
}
trap cleanup EXIT

apt_quiet() { # run apt-get quietly; show its output only when it fails
    if ! apt-get "$@" >"$log" 2>&1; then
        cat "$log" >&2
        say "apt-get $* failed"
        exit 1
    fi
}
apt_quiet update
apt_quiet install -y --no-install-recommends "${missing[@]}"

if [[ " ${missing[*]} " == *" nginx "* ]]; then
    # A policy that was already there may have allowed the start; stop what the package started.
    if [[ -d /run/systemd/system ]]; then
        systemctl stop nginx.service >/dev/null 2>&1 || true
        # Not at boot either: on a test machine port 80 stays free.
        systemctl disable nginx.service >/dev/null 2>&1 || true
    elif [[ -s /run/nginx.pid ]] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
        /usr/sbin/nginx -s quit || true
    fi
fi

# What was asked for is now there.
still=("${missing[@]}")
missing=()
tools
if ((${#missing[@]} > 0)); then
    say "still missing after apt-get install: ${missing[*]}"
    exit 1
fi
say "installed ${still[*]}"
