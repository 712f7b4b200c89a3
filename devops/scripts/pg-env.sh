# Sourced by pg-backup.sh and pg-restore.sh: turns DATABASE_URL (the app's, with or without
# "+asyncpg") into libpq's PG* variables, so the password never appears in a process list.
url="${DATABASE_URL:?set DATABASE_URL (postgresql+asyncpg://user:password@host:5432/name)}"
pattern='^postgres(ql)?(\+asyncpg)?://([^:@/]*)(:([^@/]*))?@([^:/?]+)(:([0-9]+))?/([^?]+)'
if [[ ! "$url" =~ $pattern ]]; then
  echo "DATABASE_URL is not a PostgreSQL URL" >&2
  exit 2
fi
urldecode() { local encoded="${1//+/ }"; printf '%b' "${encoded//%/\\x}"; }
export PGUSER PGPASSWORD PGHOST PGPORT PGDATABASE
PGUSER="$(urldecode "${BASH_REMATCH[3]}")"
PGPASSWORD="$(urldecode "${BASH_REMATCH[5]}")"
PGHOST="${BASH_REMATCH[6]}"
PGPORT="${BASH_REMATCH[8]:-5432}"
PGDATABASE="$(urldecode "${BASH_REMATCH[9]}")"
[[ -n "$PGPASSWORD" ]] || unset PGPASSWORD
