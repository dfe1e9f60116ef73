"""Triggers that note every write to a table sync reads (syncing/change_log.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from syncing.change_log import ensure_triggers

    ensure_triggers(apps, schema_editor.connection)


def remove(apps, schema_editor):
    from syncing.change_log import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("syncing", "0001_checked_inputs"),
        ("catalog", "0002_user_sync_password_memo"),
        ("annotation", "0001_initial"),
        ("team", "0001_payments_feedback"),
    ]

    operations = [migrations.RunPython(install, remove)]
