"""What sync remembers between runs, so that an unchanged workspace is not checked again (issue 13).

`DatabaseChange` is written by database triggers (syncing/change_log.py), never by the app: one row per
transaction that wrote to a catalog, annotation or team table since the last sync. `CheckedInput` is
written by sync: per input kind, the digest of the files that sync last checked, and what that check
reported, valid while no `DatabaseChange` row exists (syncing/unchanged_inputs.py).
"""

from django.db import models


class DatabaseChange(models.Model):
    """A transaction that wrote to a table sync reads, since the last sync (filled by triggers)."""

    txid = models.BigIntegerField(primary_key=True)  # PostgreSQL's transaction id; 0 on SQLite

    def __str__(self) -> str:
        return f"change in transaction {self.txid}"


class CheckedInput(models.Model):
    """Per input kind ("videos", "annotations", ...): the input last checked, and its report."""

    kind = models.CharField(primary_key=True, max_length=40)
    digest = models.CharField(max_length=64)  # sha256 of the files, their names and the rules in force
    unchanged = models.JSONField(default=dict)  # report table -> records, all unchanged on a re-run
    warnings = models.JSONField(default=list)  # [[pass, text], ...]: what the check warned about

    def __str__(self) -> str:
        return f"{self.kind} checked ({self.digest[:12]})"
