"""Bulk assignment: one role operation on every user × project pair, all or nothing (PORTAL-ADM-9).

Each pair goes through catalog.roles, the one implementation of DM-ROLE-4 shared with sync and the admin
forms: `check_assign` / `check_remove` validate every pair first, without writing; only when no pair fails
do `assign_roles` / `remove_roles` apply the operation to all pairs at once (a constant number of queries),
inside a single transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone

from annotation.completion import recompute_completion
from catalog.models import Assignment, Project, User
from catalog.roles import RoleError, assign_roles, check_assign, check_pair_active, check_remove, remove_roles

ASSIGN, REMOVE = "assign", "remove"
# Roles bulk assignment offers: admin rows follow the user type (DM-ROLE-5), so nobody assigns them by hand.
BULK_ROLES = (Assignment.Role.ANNOTATOR, Assignment.Role.REVIEWER, Assignment.Role.MODEL)
# A guard against a runaway selection (every pair is validated and listed on the page).
MAX_PAIRS = 50_000


@dataclass(frozen=True)
class PairProblem:
    user: User
    project: Project
    message: str


@dataclass
class BulkOutcome:
    operation: str
    role: str
    weight: float | None
    pairs: int
    problems: list[PairProblem] = field(default_factory=list)
    applied: bool = False
    changed: int = 0  # pairs whose rows (roles, states or weights) changed

    @property
    def unchanged(self) -> int:
        return self.pairs - self.changed if self.applied else 0


def check_pair(operation: str, user: User, project: Project, role: str, weight: float | None) -> None:
    """Raise RoleError when the operation may not run on this pair. No query."""
    if role not in BULK_ROLES:
        raise RoleError(f"{role} cannot be assigned in bulk (allowed: {', '.join(BULK_ROLES)})")
    if operation == ASSIGN:
        check_assign(user=user, project=project, role=role, weight=weight)
    elif operation == REMOVE:
        check_pair_active(user, project)  # DM-ARCH-3
        check_remove(user=user, project=project, role=role)
    else:
        raise ValueError(f"unknown operation {operation!r}")


def _snapshot(users: Sequence[User], projects: Sequence[Project]) -> dict[tuple[int, int], frozenset]:
    rows = defaultdict(set)
    for user_id, project_id, role, active, weight in Assignment.objects.filter(
        user__in=users, project__in=projects
    ).values_list("user_id", "project_id", "role", "is_active", "user_weight"):
        rows[user_id, project_id].add((role, active, weight))
    return {pair: frozenset(state) for pair, state in rows.items()}


def bulk_roles(
    *,
    operation: str,
    users: Sequence[User],
    projects: Sequence[Project],
    role: str,
    weight: float | None = 1.0,
    dry_run: bool = False,
) -> BulkOutcome:
    """Validate every pair; then, unless a pair failed or this is a dry run, apply the operation to all of them.

    Queries: none to validate; to apply, a constant number (two snapshots, the bulk role write, one completion
    recompute for all the projects together, DM-DER-7), whatever the number of pairs.
    """
    users, projects = list(users), list(projects)
    outcome = BulkOutcome(operation, role, weight if operation == ASSIGN else None, len(users) * len(projects))
    if outcome.pairs > MAX_PAIRS:
        raise RoleError(f"{outcome.pairs} pairs selected; at most {MAX_PAIRS} can be changed at once")
    for user in users:
        for project in projects:
            try:
                check_pair(operation, user, project, role, weight)
            except RoleError as error:
                outcome.problems.append(PairProblem(user, project, str(error)))
    if outcome.problems or dry_run or not outcome.pairs:
        return outcome
    before = _snapshot(users, projects)
    try:
        with transaction.atomic():
            if operation == ASSIGN:
                assign_roles(users=users, projects=projects, role=role, weight=weight)
            else:
                remove_roles(users=users, projects=projects, role=role)
            recompute_completion(project_ids=[p.pk for p in projects], now=timezone.now())
            after = _snapshot(users, projects)
    except DatabaseError as error:  # e.g. a concurrent assignment of the same pair: nothing was saved
        outcome.problems.append(
            PairProblem(
                users[0],
                projects[0],
                f"a concurrent change conflicted ({type(error).__name__}); nothing was saved, try again",
            )
        )
        return outcome
    outcome.applied = True
    outcome.changed = sum(1 for pair in before.keys() | after.keys() if before.get(pair) != after.get(pair))
    return outcome
