#!/usr/bin/env bash
# Back up the database of DATABASE_URL to FILE (pg_dump's custom format: compressed, restorable
# table by table), then check that the file reads back.
#   DATABASE_URL=postgresql+asyncpg://user:password@host:5432/msmebazaar devops/scripts/pg-backup.sh FILE
set -euo pipefail
file="${1:?usage: pg-backup.sh FILE}"
# shellcheck source=devops/scripts/pg-env.sh
source "$(dirname "$0")/pg-env.sh"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file"
entries="$(pg_restore --list "$file" | grep -c ' TABLE DATA ' || true)"
echo "Backed up $PGDATABASE on $PGHOST to $file ($entries tables with data)."
