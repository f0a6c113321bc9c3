#!/usr/bin/env bash
# `make dev`: a PostgreSQL (DATABASE_URL, else a private cluster under ./.data/pg), a demo NAS
# under ./data/nas, the registry, a pipeline worker and the gateway in one process. Ctrl-C stops everything,
# including the private cluster when this script started it.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet -p datamill-dev

started_private=no
if [[ -n "${DATABASE_URL:-}" ]]; then
    admin_url="$DATABASE_URL"
else
    admin_url=$(scripts/postgres.sh private)
    started_private=yes
    # A database of its own, so that the cluster's default database stays empty.
    psql "$admin_url" -Atqc "SELECT 1 FROM pg_database WHERE datname = 'datamill'" | grep -q 1 \
        || psql "$admin_url" -qc "CREATE DATABASE datamill"
    admin_url="${admin_url%/*}/datamill"
fi

cleanup() {
    if [[ $started_private == yes ]]; then
        scripts/postgres.sh stop
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DATABASE_URL="$admin_url" DATAMILL_NAS="${DATAMILL_NAS:-data/nas}" target/debug/datamill-dev
