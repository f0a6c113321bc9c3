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

# In the background, so that a signal to this script (pkill, a supervisor, make being stopped)
# reaches the services too: bash runs a trap only once its foreground command has finished, and
# a TERM sent to the script alone would wait forever. The services stop cleanly on TERM.
DATABASE_URL="$admin_url" DATAMILL_NAS="${DATAMILL_NAS:-data/nas}" target/debug/datamill-dev &
dev_pid=$!
stopped_by=""
stop() {
    stopped_by=$1
    kill -TERM "$dev_pid" 2>/dev/null || true
}
trap 'stop 130' INT
trap 'stop 143' TERM
status=0
wait "$dev_pid" || status=$?
# A trap interrupts `wait`; wait again for the services to finish stopping.
while kill -0 "$dev_pid" 2>/dev/null; do
    wait "$dev_pid" || status=$?
done
exit "${stopped_by:-$status}"
