from django.apps import AppConfig


class TeamConfig(AppConfig):
    """Running a labeling team: who did what and how well, what they were paid, what they were told."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "annotation.team"
    label = "team"  # tables, migrations and backups keep the name "team"
    verbose_name = "Team"
