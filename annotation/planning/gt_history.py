"""The one generator of ground-truth history entries (DM-HIST).

Every GT write (reviewer and admin writes of the portals and the API, sync, hard delete) describes
each row's change as a before and after `GTState`; `entries` turns that into the log's rows. So the
kinds, their order and what each entry records are decided here only.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from annotation.models import GroundTruthHistory

Kind = GroundTruthHistory.Kind
Source = GroundTruthHistory.Source

# The history row as a plain tuple, in this column order (syncing.table_writer writes it as is).
HISTORY_COLUMNS = (
    "project_id",
    "video_id",
    "question_id",
    "at",
    "actor_id",
    "source",
    "kind",
    "old_value",
    "new_value",
    "reviewer_after_id",
    "overridden_by_after_id",
)


class GTState(NamedTuple):
    """What history cares about of one GT row; overridden exactly when `overridden_by` is set (DM-GT-2)."""

    value: str
    reviewer_id: int | None
    reviewer_value: str
    overridden_by_id: int | None


def entries(
    key: tuple[int, int, int],
    old: GTState | None,
    new: GTState | None,
    *,
    actor_id: int | None,
    source: str,
    at: datetime.datetime,
) -> list[tuple]:
    """The history rows (HISTORY_COLUMNS) of one GT row going from `old` to `new` (None: absent).

    DM-HIST-1: one entry per change, the reviewer's layer first, then the admin's. The reviewer's
    entries are by the reviewer after the write, an override's by its admin; `actor_id` acts only where
    nobody else does: clearing an override (an admin's write, or hard delete's revert) and deleting.
    DM-HIST-2: no change, no entry.
    """
    project_id, video_id, question_id = key

    def entry(actor, kind, old_value, new_value, reviewer_after, overridden_after) -> tuple:
        return (project_id, video_id, question_id, at, actor, source, kind, old_value, new_value) + (
            reviewer_after,
            overridden_after,
        )

    if new is None:
        return [] if old is None else [entry(actor_id, Kind.DELETED, old.value, None, None, None)]
    reviewer, overrider = new.reviewer_id, new.overridden_by_id
    if old is None:
        rows = [entry(reviewer, Kind.CREATED, None, new.reviewer_value, reviewer, None)]
        if overrider is not None:
            rows.append(entry(overrider, Kind.OVERRIDDEN, new.reviewer_value, new.value, reviewer, overrider))
        return rows
    rows = []
    if old.reviewer_value != new.reviewer_value:
        rows.append(
            entry(reviewer, Kind.CHANGED, old.reviewer_value, new.reviewer_value, reviewer, old.overridden_by_id)
        )
    elif old.reviewer_id != reviewer:
        rows.append(entry(reviewer, Kind.REATTRIBUTED, old.value, old.value, reviewer, old.overridden_by_id))
    if overrider is not None:
        if old.overridden_by_id != overrider or old.value != new.value:
            before = old.value if old.overridden_by_id is not None else new.reviewer_value
            rows.append(entry(overrider, Kind.OVERRIDDEN, before, new.value, reviewer, overrider))
    elif old.overridden_by_id is not None:
        kind = Kind.REVERTED if source == Source.HARD_DELETE else Kind.OVERRIDE_CLEARED
        rows.append(entry(actor_id, kind, old.value, new.value, reviewer, None))
    return rows


def history_objects(rows: list[tuple]) -> list[GroundTruthHistory]:
    """The rows as unsaved model instances, for the ORM writers (portals, API, hard delete)."""
    return [GroundTruthHistory(**dict(zip(HISTORY_COLUMNS, row, strict=True))) for row in rows]
