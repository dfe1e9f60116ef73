"""`label_pizza.db`: the original's set-up call, on this project's Django database.

The original exposed a SQLAlchemy `engine` and `SessionLocal` for raw SQL on its own tables. This project
keeps its data in Django models with other tables and rules, so `SessionLocal()` refuses and says where to go.
"""

from __future__ import annotations

from label_pizza.errors import NotOfferedHere
from labelpizza import bootstrap

# The variable name given to init_database; the original's override helpers read it the same way.
current_database_url_name: str | None = None
engine = None  # no SQLAlchemy engine here

RAW_SQL_REFUSAL = (
    "label_pizza.db.SessionLocal(): this project has no SQLAlchemy session on the original's tables. "
    "Use its own functions instead: answer reviews and ground truth with admin overrides are synced with "
    'sync_annotations(annotations_data=[{..., "reviews": {...}}]) and '
    'sync_ground_truths(ground_truths_data=[{..., "admin_overrides": {...}}]) '
    "(or annotation.ground_truth.review_answer / override_ground_truth in Python); "
    "read data through the Django models in catalog.models and annotation.models; "
    "see docs/coming-from-label-pizza.md."
)


def SessionLocal(*args, **kwargs):  # noqa: N802 - the original's name
    """Refuses: raw SQL on the original's tables has no meaning here (the error names the equivalents)."""
    raise NotOfferedHere(RAW_SQL_REFUSAL)


def init_database(database_url_name: str = "DBURL") -> None:
    """Set up Django against the database URL held in the variable `database_url_name` (environment or .env).

    Calls labelpizza.bootstrap.init_database; raises RuntimeError when the variable is missing, or when the
    process is already set up against another database.
    """
    global current_database_url_name
    bootstrap.init_database(database_url_name)
    current_database_url_name = database_url_name
    print(f"Using the database named by {database_url_name}")
