"""Which assignment rows a (user, project) pair's new role state creates and updates (DM-ROLE).

The one decision behind catalog.roles (assign, remove, the global admins' automatic rows) and sync's
assignments step (syncing.steps.assignments), which differ only in the end state they ask for. Plain
data in and out: the pair's rows as {role: (row id, is_active, user_weight)}.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(slots=True)
class PairChanges:
    creates: list[tuple[str, bool, float]] = field(default_factory=list)  # (role, is_active, user_weight)
    # (row id, is_active, user_weight, reactivated): a reactivated row's assigned_at moves to now.
    updates: list[tuple[int, bool, float, bool]] = field(default_factory=list)


def plan_pair(
    rows: Mapping[str, tuple[int, bool, float]],
    *,
    active: Iterable[str],
    weight: float | None,
    create_weight: float = 1.0,
    archived: Iterable[str] = (),
) -> PairChanges:
    """Make the pair's active rows exactly `active` (DM-ROLE-2, DM-ROLE-4).

    Missing active roles are created; `archived` roles missing and not active are created archived, as
    proof the role was held (SYNC-ASG-2). `weight` goes on every row (DM-ROLE-4); None keeps each row's
    weight and gives new rows `create_weight` (DM-ROLE-6).
    """
    active = set(active)
    changes = PairChanges()
    new_weight = create_weight if weight is None else weight
    for role in sorted(active - rows.keys()):
        changes.creates.append((role, True, new_weight))
    for role in sorted(set(archived) - rows.keys() - active):
        changes.creates.append((role, False, new_weight))
    for role, (row_id, is_active, row_weight) in rows.items():
        want = role in active
        target = row_weight if weight is None else weight
        if is_active != want or row_weight != target:
            changes.updates.append((row_id, want, target, want and not is_active))
    return changes
