#!/usr/bin/env bash
# Builds the crate that expands sqlx's query macros (apalis-postgres) with DATABASE_URL pointing
# at an empty database, as a user's shell may export it. Without SQLX_OFFLINE (.cargo/config.toml)
# the macros describe their queries against that database and the build fails with "relation
# apalis.jobs does not exist". apalis-postgres is cleaned first so that the macros really run (a
# compiled copy would hide the problem); only its check is redone, its dependencies' checks are
# the ones clippy left (`make lint` runs before this in `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."

admin_url=$(scripts/postgres.sh ensure)
database="datamill_empty_build_$$"
psql "$admin_url" -qc "CREATE DATABASE $database"
trap 'psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT
empty_url="${admin_url%/*}/$database"

cargo clean --quiet -p apalis-postgres
if DATABASE_URL="$empty_url" cargo check --quiet --locked -p apalis-postgres; then
    echo "check-offline-build.sh: the build ignores DATABASE_URL ($empty_url, an empty database)"
else
    echo "check-offline-build.sh: the build failed with DATABASE_URL set to an empty database" >&2
    exit 1
fi
