#!/usr/bin/env bash
# A PostgreSQL for development and tests, without touching the system's own clusters.
#
#   scripts/postgres.sh ensure   print a usable admin URL: $DATABASE_URL when it answers, else the
#                                local server on 127.0.0.1:5432 when it answers, else a private
#                                cluster under ./.data/pg (started, and created on first use)
#   scripts/postgres.sh private  start the private cluster and print its URL
#   scripts/postgres.sh stop     stop the private cluster
#
# The private cluster listens on 127.0.0.1:$DATAMILL_PG_PORT (default 55432) with trust auth.
# Debian's postgresql package is installed when no initdb is found. initdb refuses to run as
# root, so as root the cluster belongs to the `postgres` user (created by that package).
set -euo pipefail
cd "$(dirname "$0")/.."

PGDATA_DIR="${DATAMILL_PG_DIR:-$PWD/.data/pg}"
PG_PORT="${DATAMILL_PG_PORT:-55432}"
PRIVATE_URL="postgres://postgres@127.0.0.1:${PG_PORT}/postgres"

log() { echo "postgres.sh: $*" >&2; }

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
        log "no PostgreSQL server binaries found; installing Debian's postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        # Keep the package's own cluster from starting: ours is private. A policy file the
        # machine already has is left alone.
        local policy=/usr/sbin/policy-rc.d own_policy=no
        if [[ ! -e $policy ]]; then
            printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=yes
        fi
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends postgresql >&2
        [[ $own_policy == yes ]] && rm -f "$policy"
        dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    fi
    echo "$dir"
}

answers() { # URL
    command -v psql >/dev/null 2>&1 && psql "$1" -Atqc 'SELECT 1' >/dev/null 2>&1
}

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_private() {
    local bin
    bin=$(pg_bin)
    mkdir -p "$(dirname "$PGDATA_DIR")"
    if [[ ! -s "$PGDATA_DIR/PG_VERSION" ]]; then
        log "creating a private cluster in $PGDATA_DIR"
        mkdir -p "$PGDATA_DIR"
        [[ $(id -u) -eq 0 ]] && chown postgres: "$PGDATA_DIR"
        as_owner "$bin/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        log "starting the private cluster on 127.0.0.1:$PG_PORT"
        as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
            -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    fi
    echo "$PRIVATE_URL"
}

case "${1:-ensure}" in
    ensure)
        if [[ -n "${DATABASE_URL:-}" ]] && answers "$DATABASE_URL"; then
            echo "$DATABASE_URL"
        elif answers "postgres://postgres@127.0.0.1:5432/postgres"; then
            echo "postgres://postgres@127.0.0.1:5432/postgres"
        else
            start_private
        fi
        ;;
    private) start_private ;;
    stop)
        if [[ -s "$PGDATA_DIR/PG_VERSION" ]]; then
            as_owner "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
        fi
        ;;
    *) log "usage: $0 ensure|private|stop"; exit 2 ;;
esac
