"""The backup drills' shared parts: psql and row counts, WAL archiving, restoring a cluster.

`scripts/backup_drill.py` (dumps) and `scripts/pitr_drill.py` (base backup + WAL archive) are the
entry points; they put `scripts/` on the import path, so this package needs no installing.
"""
