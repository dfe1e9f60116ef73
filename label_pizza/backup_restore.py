"""`label_pizza.backup_restore`: the original restored its own SQL dumps; backups here have another format."""

from __future__ import annotations

from label_pizza.errors import NotOfferedHere

RESTORE_REFUSAL = (
    "label_pizza.backup_restore.DatabaseBackupRestore: restore this project's backups (including those the "
    "override helpers write) with: python manage.py manage_db --mode restore --backup-file FILE --force; "
    "bring the original's database itself over with: python manage.py import_labelpizza --source-url URL"
)


class DatabaseBackupRestore:
    """Refuses on creation; the message names the command that restores a backup here."""

    def __init__(self, *args, **kwargs):
        raise NotOfferedHere(RESTORE_REFUSAL)
