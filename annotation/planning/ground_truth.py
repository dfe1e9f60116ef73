"""Ground-truth writes of one group on one video: which rows to create and update, with their history.

Three decisions, one per kind of writer, sharing how a row reaches its new state (`_reach`) and the one
history generator (gt_history.entries):

- `plan_review`: a reviewer's write from the portals or the API (DM-GT-3, PORTAL-REV-6);
- `plan_override`: a global admin's override (PORTAL-META-4, DM-GT-2);
- `plan_declared`: a sync record, which states the group's end state with its overrides (SYNC-GT-5).

Existing rows come in as `GT_ROW` tuples keyed by (project_id, video_id, question_id); the group's
questions as (question id, text) pairs; values, scores and overrides keyed by question text. Scores
None means "keep the stored scores" (the portals); a mapping means "missing is null" (SYNC-ANN-8).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotation.models import GroundTruth
from annotation.planning.gt_history import GTState, Kind, Source, entries

GT_KEY = ("project_id", "video_id", "question_id")
GT_ROW = ("id", "value", "reviewer_id", "reviewer_value", "overridden_by_id", "overridden_at", "confidence_score")
GT_UPDATE = ("value", "reviewer_id", "reviewer_value", "overridden_by_id", "overridden_at", "confidence_score")
# A row to create is GT_KEY + GT_UPDATE; the writer adds created_at and modified_at.
GT_COLUMNS = (*GT_KEY, *GT_UPDATE, "created_at", "modified_at")

Questions = Sequence[tuple[int, str]]


@dataclass(slots=True)
class GTPlan:
    creates: list[tuple] = field(default_factory=list)  # GT_KEY + GT_UPDATE
    updates: list[tuple] = field(default_factory=list)  # (id, *GT_UPDATE)
    history: list[tuple] = field(default_factory=list)  # gt_history.HISTORY_COLUMNS
    score_only: int = 0  # updates that change nothing but the confidence score
    # What changed, by question text, for sync's report.
    value_changes: list[str] = field(default_factory=list)
    override_changes: list[str] = field(default_factory=list)
    reattributed: bool = False
    scores_changed: bool = False
    # SYNC-GT-5: (question text, overrider id, overridden at) of unlisted overrides whose value changes.
    conflicts: list[tuple] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.creates or self.updates)


def _reach(plan: GTPlan, key, row, state: GTState, score, *, source, actor_id, at) -> None:
    """Bring one question's row (GT_ROW or None) to `state` and `score`: a create or an update, and history."""
    if row is None:
        overridden_at = at if state.overridden_by_id is not None else None
        plan.creates.append((*key, *state[:2], state.reviewer_value, state.overridden_by_id, overridden_at, score))
        plan.history += entries(key, None, state, actor_id=actor_id, source=source, at=at)
        return
    if row[1:5] == state:
        if row[6] != score:
            plan.updates.append((row[0], *state[:2], state.reviewer_value, state.overridden_by_id, row[5], score))
            plan.score_only += 1
        return
    history = entries(key, GTState(*row[1:5]), state, actor_id=actor_id, source=source, at=at)
    overridden_at = row[5]
    if state.overridden_by_id is None:
        overridden_at = None
    elif any(h[6] == Kind.OVERRIDDEN for h in history):
        overridden_at = at  # the override moved
    plan.updates.append((row[0], *state[:2], state.reviewer_value, state.overridden_by_id, overridden_at, score))
    plan.history += history


def _score(scores, text, row):
    """The score a write leaves: the given one (missing = null), or the stored one when scores is None."""
    if scores is None:
        return row[6] if row is not None else None
    return scores.get(text)


def plan_review(
    *,
    video_key: tuple[int, int],
    questions: Questions,
    values: Mapping[str, str],
    scores: Mapping[str, float | None] | None,
    reviewer_id: int,
    existing: Mapping[tuple, tuple],
    source: str,
    at: datetime.datetime,
) -> GTPlan:
    """A reviewer's GT for the group (PORTAL-REV-6). A change of any value attributes every row of the group
    to the reviewer (DM-GT-3); a write that changes no value changes at most scores. The caller refuses
    overridden groups first (PORTAL-REV-7)."""
    plan = GTPlan()
    rows = [(question_id, text, existing.get((*video_key, question_id))) for question_id, text in questions]
    value_changes = any(row is None or row[1] != values[text] for _, text, row in rows)
    for question_id, text, row in rows:
        # No value changes: every row is kept as it is (only its score may move).
        state = GTState(values[text], reviewer_id, values[text], None) if value_changes else GTState(*row[1:5])
        _reach(
            plan,
            (*video_key, question_id),
            row,
            state,
            _score(scores, text, row),
            source=source,
            actor_id=reviewer_id,
            at=at,
        )
    return plan


def plan_override(
    *,
    video_key: tuple[int, int],
    questions: Questions,
    values: Mapping[str, str],
    scores: Mapping[str, float | None] | None,
    admin_id: int,
    existing: Mapping[tuple, tuple],
    source: str,
    at: datetime.datetime,
) -> GTPlan:
    """A global admin's override of the group (PORTAL-META-4): the reviewer's attribution and value stay; a
    value back at the reviewer's clears the override (DM-GT-2). Every question must have GT (DM-GT-4: the
    caller refuses otherwise)."""
    plan = GTPlan()
    for question_id, text in questions:
        key = (*video_key, question_id)
        row = existing[key]
        value, reviewer_id, reviewer_value, overridden_by_id = row[1:5]
        new = values[text]
        if new == value:
            state = GTState(value, reviewer_id, reviewer_value, overridden_by_id)
        else:
            state = GTState(new, reviewer_id, reviewer_value, None if new == reviewer_value else admin_id)
        _reach(plan, key, row, state, _score(scores, text, row), source=source, actor_id=admin_id, at=at)
    return plan


def plan_declared(
    *,
    video_key: tuple[int, int],
    questions: Questions,
    values: Mapping[str, str],
    scores: Mapping[str, float | None],
    overrides: Mapping[str, tuple[str, int]] | None,
    reviewer_id: int,
    existing: Mapping[tuple, tuple],
    at: datetime.datetime,
) -> GTPlan | None:
    """A sync record's end state for the group (SYNC-GT-5): each question gets the value with the record's
    user as reviewer; a listed override, (reviewer answer, admin id), sets the reviewer's value and the
    overrider; an unlisted stored override stays while the value does, and is a conflict otherwise (the
    question is then left out of the plan). None when nothing changes: a re-sync of 65,000 GT rows
    allocates nothing per record."""
    plan = None
    project_id, video_id = video_key
    for question_id, text in questions:
        value, score = values[text], scores.get(text)
        row = existing.get((project_id, video_id, question_id))
        listed = overrides.get(text) if overrides else None
        if (
            listed is None
            and row is not None
            and row[4] is None
            and row[1] == value
            and row[2] == reviewer_id
            and row[6] == score
        ):
            continue  # unchanged and not overridden (so the reviewer's value is the value, DM-GT-2)
        plan = plan or GTPlan()
        key = (project_id, video_id, question_id)
        if listed is not None:
            reviewer_value, overridden_by = listed
        elif row is not None and row[4] is not None:
            # Sync never clears an override: the record must keep the overridden value.
            if value != row[1]:
                plan.conflicts.append((text, row[4], row[5]))
                continue
            reviewer_value, overridden_by = row[3], row[4]
        else:
            reviewer_value, overridden_by = value, None
        if row is None:
            plan.value_changes.append(text)
            if overridden_by is not None:
                plan.override_changes.append(text)
        else:
            if row[1] != value:
                plan.value_changes.append(text)
            if overridden_by is not None and (reviewer_value, overridden_by) != (row[3], row[4]):
                plan.override_changes.append(text)
            plan.reattributed = plan.reattributed or row[2] != reviewer_id
            plan.scores_changed = plan.scores_changed or row[6] != score
        state = GTState(value, reviewer_id, reviewer_value, overridden_by)
        _reach(plan, key, row, state, score, source=Source.SYNC, actor_id=reviewer_id, at=at)
    return plan


def merge_plans(plans: Sequence[GTPlan]) -> GTPlan:
    """One plan writing what all of `plans` write (set-based writers: the API's batches)."""
    merged = GTPlan()
    for plan in plans:
        merged.creates += plan.creates
        merged.updates += plan.updates
        merged.history += plan.history
        merged.score_only += plan.score_only
    return merged


def gt_objects(plan: GTPlan, at: datetime.datetime) -> tuple[list[GroundTruth], list[GroundTruth]]:
    """The plan's creates and updates as unsaved model instances (the ORM writers: portals and API)."""
    created = [GroundTruth(**dict(zip(GT_COLUMNS, (*row, at, at), strict=True))) for row in plan.creates]
    updated = [
        GroundTruth(**dict(zip(("id", *GT_UPDATE, "modified_at"), (*row, at), strict=True))) for row in plan.updates
    ]
    return created, updated


def existing_rows(queryset) -> dict[tuple, tuple]:
    """GT rows of a queryset as {GT_KEY: GT_ROW}, the planners' input (one query)."""
    return {row[:3]: row[3:] for row in queryset.values_list(*GT_KEY, *GT_ROW)}
