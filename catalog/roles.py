"""Project roles: the one implementation of assign, remove and the global-admin invariant (DM-ROLE).

Sync, the admin portal and bulk assignment all call these functions, so the rules live here once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from catalog.models import Assignment, Project, User
from catalog.role_planning import PairChanges, plan_pair

Role = Assignment.Role

LEVELS = (Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN)
EXPAND: dict[str, frozenset[str]] = {
    Role.ANNOTATOR: frozenset({Role.ANNOTATOR}),
    Role.REVIEWER: frozenset({Role.ANNOTATOR, Role.REVIEWER}),
    Role.ADMIN: frozenset({Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN}),
    Role.MODEL: frozenset({Role.MODEL}),
}
ALLOWED_ROLES: dict[str, frozenset[str]] = {
    User.UserType.HUMAN: frozenset({Role.ANNOTATOR, Role.REVIEWER}),
    User.UserType.MODEL: frozenset({Role.MODEL}),
    User.UserType.ADMIN: frozenset({Role.ADMIN}),
}


class RoleError(ValueError):
    """A role change that the rules forbid; the message says why in words a user can act on."""


def expand(role: str) -> frozenset[str]:
    """DM-ROLE-1: the set of rows a pair holds at this level."""
    return EXPAND[role]


def removed_by(role: str) -> frozenset[str]:
    """DM-ROLE-4: removing R archives R and every level above it; model stands apart."""
    if role == Role.MODEL:
        return frozenset({Role.MODEL})
    return frozenset(LEVELS[LEVELS.index(role) :])


def level(active_roles: Iterable[str]) -> str | None:
    """The highest active role of a pair (DM-ROLE-2), or None when it holds none."""
    roles = set(active_roles)
    if Role.MODEL in roles:
        return Role.MODEL
    for role in reversed(LEVELS):
        if role in roles:
            return role
    return None


def check_role_allowed(user: User, role: str) -> None:
    """DM-ROLE-3: which user types may hold which roles."""
    if role not in ALLOWED_ROLES[user.user_type]:
        allowed = ", ".join(sorted(ALLOWED_ROLES[user.user_type]))
        raise RoleError(f'user "{user.user_id}" is a {user.user_type} user and cannot be {role} (allowed: {allowed})')


def check_pair_active(user: User, project: Project) -> None:
    """DM-ARCH-3: assignments may not be created or changed for an archived user or in an archived project."""
    if not user.is_active:
        raise RoleError(f'user "{user.user_id}" is archived')
    if not project.is_active:
        raise RoleError(f'project "{project.name}" is archived')


def check_assign(*, user: User, project: Project, role: str, weight: float = 1.0) -> None:
    """Everything `assign_role` checks before it writes; raises RoleError. No query."""
    check_role_allowed(user, role)
    check_pair_active(user, project)
    if not isinstance(weight, int | float) or not math.isfinite(weight) or weight < 0:
        raise RoleError("user weight must be a finite number ≥ 0")


def check_remove(*, user: User, project: Project, role: str) -> None:
    """Everything `remove_role` checks before it writes (DM-ROLE-5); raises RoleError. No query."""
    if user.is_global_admin:
        raise RoleError(f'user "{user.user_id}" is a global admin; their project roles cannot be removed')


@transaction.atomic
def assign_role(*, user: User, project: Project, role: str, weight: float = 1.0) -> list[Assignment]:
    """Make the pair's active rows exactly expand(role) and set `weight` on every row of the pair."""
    return assign_roles(users=[user], projects=[project], role=role, weight=weight)[user.pk, project.pk]


@transaction.atomic
def remove_role(*, user: User, project: Project, role: str) -> list[Assignment]:
    """Archive the pair's rows for `role` and every level above it (DM-ROLE-4)."""
    return remove_roles(users=[user], projects=[project], role=role)[user.pk, project.pk]


@transaction.atomic
def assign_roles(
    *, users: Iterable[User], projects: Iterable[Project], role: str, weight: float = 1.0
) -> dict[tuple[int, int], list[Assignment]]:
    """assign_role on every user × project pair, in three queries whatever the number of pairs."""
    users, projects = list(users), list(projects)
    for user in users:
        for project in projects:
            check_assign(user=user, project=project, role=role, weight=weight)
    return _set_pairs(users, projects, lambda current: expand(role), weight)


@transaction.atomic
def remove_roles(
    *, users: Iterable[User], projects: Iterable[Project], role: str
) -> dict[tuple[int, int], list[Assignment]]:
    """remove_role on every user × project pair, in three queries whatever the number of pairs."""
    users, projects = list(users), list(projects)
    for user in users:
        for project in projects:
            check_remove(user=user, project=project, role=role)
    return _set_pairs(users, projects, lambda current: current - removed_by(role), None)


def _set_pairs(users, projects, target, weight) -> dict[tuple[int, int], list[Assignment]]:
    """Give each pair the active rows `target(current active roles)`; `weight` on every row, or None to keep the
    pair's weight. Rows are locked, then created and updated in bulk."""
    rows: dict[tuple[int, int], dict[str, Assignment]] = defaultdict(dict)
    for a in Assignment.objects.select_for_update().filter(user__in=users, project__in=projects):
        rows[a.user_id, a.project_id][a.role] = a
    now = timezone.now()
    created, changed = [], []
    for user in users:
        for project in projects:
            pair = rows[user.pk, project.pk]
            active = target({r for r, a in pair.items() if a.is_active})
            pair_weight = weight if weight is not None else next(iter(pair.values())).user_weight if pair else 1.0
            changes = plan_pair(row_states(pair), active=active, weight=pair_weight)
            by_id = {a.pk: a for a in pair.values()}
            for role, is_active, role_weight in changes.creates:
                pair[role] = Assignment(
                    user=user, project=project, role=role, is_active=is_active, user_weight=role_weight, assigned_at=now
                )
                created.append(pair[role])
            changed += apply_updates(by_id, changes, now)
    Assignment.objects.bulk_create(created, batch_size=1000)
    Assignment.objects.bulk_update(changed, ["is_active", "user_weight", "assigned_at"], batch_size=1000)
    return {pair: sorted(pair_rows.values(), key=lambda a: a.role) for pair, pair_rows in rows.items()}


def ensure_global_admin_rows(*, users: Iterable[User] | None = None, projects: Iterable[Project] | None = None) -> int:
    """DM-ROLE-5/6: every active admin holds active annotator, reviewer and admin rows in every project.

    Existing weights are kept; new pairs get 1.0. Returns the number of rows created or re-activated.
    Runs a constant number of queries whatever the number of users and projects.
    """
    admin_qs = User.objects.active().filter(user_type=User.UserType.ADMIN)
    admin_ids = (
        [u.pk for u in users if u.is_global_admin] if users is not None else list(admin_qs.values_list("pk", flat=True))
    )
    project_ids = (
        [p.pk for p in projects] if projects is not None else list(Project.objects.values_list("pk", flat=True))
    )
    if not admin_ids or not project_ids:
        return 0
    existing = {
        (a.user_id, a.project_id, a.role): a
        for a in Assignment.objects.filter(user_id__in=admin_ids, project_id__in=project_ids)
    }
    weights = {(u, p): a.user_weight for (u, p, _), a in existing.items()}
    now = timezone.now()
    to_create, to_activate = [], []
    for user_id in admin_ids:
        for project_id in project_ids:
            pair = {
                role: row
                for role in EXPAND[Role.ADMIN]
                if (row := existing.get((user_id, project_id, role))) is not None
            }
            changes = plan_pair(
                row_states(pair),
                active=EXPAND[Role.ADMIN],
                weight=None,
                create_weight=weights.get((user_id, project_id), 1.0),
            )
            to_create += [
                Assignment(user_id=user_id, project_id=project_id, role=role, user_weight=w, assigned_at=now)
                for role, _, w in changes.creates
            ]
            to_activate += apply_updates({a.pk: a for a in pair.values()}, changes, now)
    Assignment.objects.bulk_create(to_create, batch_size=1000)
    Assignment.objects.bulk_update(to_activate, ["is_active", "assigned_at"], batch_size=1000)
    return len(to_create) + len(to_activate)


def row_states(pair: dict[str, Assignment]) -> dict[str, tuple[int, bool, float]]:
    """A pair's rows as the planner reads them."""
    return {role: (a.pk, a.is_active, a.user_weight) for role, a in pair.items()}


def apply_updates(rows_by_id: dict[int, Assignment], changes: PairChanges, now) -> list[Assignment]:
    """Put a plan's updates on the loaded rows; returns them, for bulk_update."""
    changed = []
    for row_id, is_active, weight, reactivated in changes.updates:
        row = rows_by_id[row_id]
        if reactivated:
            row.assigned_at = now
        row.is_active, row.user_weight = is_active, weight
        changed.append(row)
    return changed


def archive_all_roles(user: User) -> int:
    """DM-ROLE-7: demotion admin→human archives every role row of the user in every project."""
    return Assignment.objects.active().for_user(user).update(is_active=False)


def check_user_type_change(user: User, old_type: str, new_type: str) -> None:
    """DM-USR-3: user_type changes only between human and admin."""
    if old_type != new_type and User.UserType.MODEL in (old_type, new_type):
        raise RoleError(f'user "{user.user_id}": user type cannot change between {old_type} and {new_type}')


@transaction.atomic
def apply_user_type_change(user: User, old_type: str | None, old_active: bool | None) -> None:
    """Side effects after a user was saved with a new type or active flag (DM-ROLE-5/6/7)."""
    if old_type == User.UserType.ADMIN and user.user_type == User.UserType.HUMAN:
        archive_all_roles(user)
    if user.is_global_admin and (old_type != User.UserType.ADMIN or not old_active):
        ensure_global_admin_rows(users=[user])
