#!/usr/bin/env python3
"""Point-in-time recovery drill: base backup + WAL archive, restored and verified.

    python scripts/pitr_drill.py base-backup --database-url URL --into DIR
    python scripts/pitr_drill.py drill --database-url URL --base-backup DIR --archive DIR
    python scripts/pitr_drill.py restore --base-backup DIR --archive DIR --data DIR --port N

The source must archive WAL (`archive_mode = on`, `archive_command` from
`drills.archive.archive_command()`, `archive_timeout` <= 60 s): every finished 16 MB segment, and
at least one segment a minute while anything is written, lands in the archive folder. A restore is
a base backup plus every archived segment since, so at most the last `archive_timeout` of commits
can be lost.

`base-backup` runs `pg_basebackup` (plain format, its own WAL streamed in, so the backup is
consistent by itself) and checks it with `pg_verifybackup`.

`drill` (safe on production: it writes nothing into the source but a restore point) holds
writers back only while it marks a named restore point (SHARE locks on the `public` tables), then
lets them go and reads, in the snapshot taken at the mark, every row count, the newest
`created_at`/`updated_at` and the Alembic revision; waits until the WAL segment holding the mark
is in the archive (`--switch-wal` forces it out instead of waiting for `archive_timeout`);
restores base backup + archive up to the mark into a scratch data directory (its Unix socket
only, archiving off so it never writes into the real archive); and compares. The role needs
EXECUTE on `pg_create_restore_point` (a superuser has it).

`restore` is the disaster path: base backup + the whole archive (or up to `--target-time`) into
an empty data directory, started on `--port` and left running, promoted to a primary that goes on
archiving on a new timeline (`--no-archive` for a copy only to look at). It refuses an archive
that is missing or holds nothing from the base backup's start on, comments out the old cluster's
paths (`data_directory`, `hba_file`, ...) in a copied `postgresql.conf`, and, replaying
everything, checks that recovery reached the newest archived segment.

Exit status: 0 verified; 1 restored but not equal to the source; 2 could not start (arguments,
archiving off, no base backup or configuration, a missing or empty archive, an unreachable
source, locks not granted in time); 3 a step failed (the base backup, a segment that never
reached the archive, a recovery that did not finish or stopped short of the archive's end).
The report is JSON on stdout, then one verdict line; errors go to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The drill lives in the `drills` package beside this file (shared with backup_drill.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from drills.pitr import main

if __name__ == "__main__":
    sys.exit(main())
