#!/usr/bin/env bash
# Restore FILE (from pg-backup.sh) into the database of DATABASE_URL, in one transaction: either
# the whole backup is restored or nothing changes. The database must exist and be empty, unless
# --clean is given, which drops what the backup holds first (a restore over the live database).
#   DATABASE_URL=postgresql+asyncpg://user:password@host:5432/msmebazaar devops/scripts/pg-restore.sh FILE [--clean]
set -euo pipefail
file="${1:?usage: pg-restore.sh FILE [--clean]}"
clean=()
if [[ "${2:-}" == "--clean" ]]; then clean=(--clean --if-exists); fi
# shellcheck source=devops/scripts/pg-env.sh
source "$(dirname "$0")/pg-env.sh"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" \
  --dbname="$PGDATABASE" "$file"
revision="$(psql --no-psqlrc --tuples-only --no-align -c 'SELECT version_num FROM alembic_version')"
echo "Restored $file into $PGDATABASE on $PGHOST; schema at revision $revision."
