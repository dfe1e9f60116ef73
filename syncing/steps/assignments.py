"""assignments.json / sync_users_to_projects (SYNC-ASG-1..5, DM-ROLE, DM-ASG).

Each record declares the end state of its (user, project) pair (the table of SYNC-ASG-2). The rules
are those of catalog.roles (expand, removed_by, levels); this step applies them to many pairs at
once with chunked loads and bulk writes, which the one-pair functions there cannot do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from catalog.models import Assignment, Project, User
from catalog.role_planning import plan_pair
from catalog.roles import ALLOWED_ROLES, LEVELS, apply_updates, expand, level, removed_by, row_states
from syncing.errors import quote
from syncing.records import MISSING, Record
from syncing.steps.base import WRITE_BATCH, BaseStep, chunks, load_by

Role = Assignment.Role
ROLES = tuple(Role.values)  # annotator, reviewer, admin, model
ADMIN_ONLY_WEIGHT = (
    "admin users hold the admin role in every project automatically; use role admin only to set user_weight"
)


@dataclass
class AssignmentRecord:
    rec: Record
    user_name: str
    project_name: str
    role: str
    weight: float
    is_active: bool

    @property
    def key(self) -> str:
        return f"{self.user_name} @ {self.project_name} ({self.role})"


@dataclass
class PairPlan:
    """What the records of one (user, project) pair do, and how each record is classified."""

    forward_active: set[str]  # the active set after the forward pass
    final_active: set[str]  # ... and after the archive pass
    creates: dict[str, bool] = field(default_factory=dict)  # role -> created active?
    results: list[tuple[AssignmentRecord, str, list[str]]] = field(default_factory=list)


class Step(BaseStep):
    kind = "assignments"
    table = "assignments"

    # ------------------------------------------------------------------ parsing (no database)

    def parse(self) -> list[AssignmentRecord]:
        parsed = []
        for entry in self.entries:
            rec = self.record(entry)
            if not isinstance(entry.data, dict):
                continue
            user_name, project_name, role = (rec.data.get(k) for k in ("user_name", "project_name", "role"))
            if all(isinstance(v, str) for v in (user_name, project_name, role)):
                rec.key = f"{user_name} @ {project_name} ({role})"
            rec.keys(("user_name", "project_name", "role", "user_weight", "is_active"))
            user_name = rec.string("user_name")
            project_name = rec.string("project_name")
            role = rec.string("role")
            if role is not MISSING and role not in ROLES:
                rec.error(".role", f"{quote(role)} is not a role ({', '.join(ROLES)})")
            weight = rec.number("user_weight", nullable=True, minimum=0)
            is_active = rec.boolean("is_active")
            if rec.ok:
                weight = 1.0 if weight is None else weight
                parsed.append(AssignmentRecord(rec, user_name, project_name, role, weight, is_active))
        return self._check_pairs(parsed)

    def _check_pairs(self, records: list[AssignmentRecord]) -> list[AssignmentRecord]:
        """SYNC-ASG-4: at most one active record per pair, each role once, inactive ones above it."""
        accepted: dict[tuple[str, str], list[AssignmentRecord]] = defaultdict(list)
        for r in records:
            earlier = accepted[(r.user_name, r.project_name)]
            reason = None
            for other in earlier:
                reason = _conflict(other, r)
                if reason:
                    where = f"index {other.rec.entry.index}"
                    if other.rec.entry.source != r.rec.entry.source:
                        where = f"{other.rec.entry.source}[{other.rec.entry.index}]"
                    r.rec.error(
                        "", f"conflicting records for {r.user_name} @ {r.project_name}: {reason}; first at {where}"
                    )
                    break
            if not reason:
                earlier.append(r)
        return [r for r in records if r.rec.ok]

    # ------------------------------------------------------------------ forward pass

    def forward(self) -> None:
        records = self.parse()
        self.to_archive: list[Assignment] = []
        if not records:
            return
        users = load_by(User.objects.all(), "user_id", [r.user_name for r in records])
        projects = load_by(Project.objects.all(), "name", [r.project_name for r in records])
        pairs: dict[tuple[int, int], list[AssignmentRecord]] = defaultdict(list)
        for r in records:
            user, project = users.get(r.user_name), projects.get(r.project_name)
            if user is None:
                r.rec.error(".user_name", f"user {quote(r.user_name)} does not exist")
            if project is None:
                r.rec.error(".project_name", f"project {quote(r.project_name)} does not exist")
            if r.rec.ok:
                pairs[(user.pk, project.pk)].append(r)
        rows = self._rows(pairs)
        by_pk_user = {u.pk: u for u in users.values()}
        by_pk_project = {p.pk: p for p in projects.values()}

        creates: list[Assignment] = []
        updates: list[Assignment] = []
        for (user_id, project_id), pair_records in pairs.items():
            user, project = by_pk_user[user_id], by_pk_project[project_id]
            pair_rows = rows.get((user_id, project_id), {})
            plan = self._plan_valid(user, project, pair_records, pair_rows)
            if plan is None:
                continue
            for r, action, fields in plan.results:
                self.result(action, r.key, fields)
            if all(action == "unchanged" for _, action, _ in plan.results):
                continue
            self.run.touched_projects.add(project_id)
            weight = plan.results[0][0].weight
            changes = plan_pair(
                row_states(pair_rows),
                active=plan.forward_active,
                weight=weight,
                archived=[role for role, active in plan.creates.items() if not active],
            )
            by_id = {row.pk: row for row in pair_rows.values()}
            for role, active, role_weight in changes.creates:
                row = Assignment(
                    user=user,
                    project=project,
                    role=role,
                    is_active=active,
                    user_weight=role_weight,
                    assigned_at=self.run.now,
                )
                creates.append(row)
                pair_rows = {**pair_rows, role: row}
            updates += apply_updates(by_id, changes, self.run.now)
            self.to_archive += [
                row for role, row in pair_rows.items() if role in plan.forward_active - plan.final_active
            ]

        # Valid records are written even when other records failed: later tables (annotations,
        # ground truths) then see the creation-time state; the run's transaction is rolled back anyway.
        Assignment.objects.bulk_create(creates, batch_size=WRITE_BATCH)
        Assignment.objects.bulk_update(updates, ["is_active", "user_weight", "assigned_at"], batch_size=WRITE_BATCH)

    def archive(self) -> None:
        if not getattr(self, "to_archive", None):
            return
        for row in self.to_archive:
            row.is_active = False
        Assignment.objects.bulk_update(self.to_archive, ["is_active"], batch_size=WRITE_BATCH)

    def _rows(self, pairs) -> dict[tuple[int, int], dict[str, Assignment]]:
        """Every row of the involved pairs, in chunked queries over users and projects."""
        user_ids = sorted({u for u, _ in pairs})
        project_ids = sorted({p for _, p in pairs})
        found: dict[tuple[int, int], dict[str, Assignment]] = defaultdict(dict)
        for user_batch in chunks(user_ids):
            for project_batch in chunks(project_ids):
                qs = Assignment.objects.filter(user_id__in=user_batch, project_id__in=project_batch)
                for row in qs:
                    if (row.user_id, row.project_id) in pairs:
                        found[(row.user_id, row.project_id)][row.role] = row
        return found

    # ------------------------------------------------------------------ planning one pair

    def _plan_valid(self, user: User, project: Project, records: list[AssignmentRecord], rows) -> PairPlan | None:
        """Plan the pair; records that change something must pass the rules, else they count as absent."""
        while records:
            plan = _plan(user, records, rows)
            failed = [
                r for r, action, _ in plan.results if action != "unchanged" and not self._allowed(r, user, project)
            ]
            if not failed:
                return plan
            records = [r for r in records if all(r is not f for f in failed)]
        return None

    def _allowed(self, r: AssignmentRecord, user: User, project: Project) -> bool:
        """SYNC-ASG-3 for a changing record: user and project active now; the role fits the user type."""
        if not user.is_active:
            r.rec.error(".user_name", f"user {quote(user.user_id)} is archived")
        if not project.is_active:
            r.rec.error(".project_name", f"project {quote(project.name)} is archived")
        who = quote(user.user_id)
        if user.user_type == User.UserType.ADMIN:
            if r.role != Role.ADMIN or not r.is_active:
                r.rec.error(
                    ".role" if r.role != Role.ADMIN else ".is_active",
                    f"user {who} is an admin user: {ADMIN_ONLY_WEIGHT}",
                )
        elif user.user_type == User.UserType.HUMAN and r.role == Role.ADMIN:
            if r.is_active:
                r.rec.error(
                    ".role",
                    f"user {who} is a human user and cannot be admin; "
                    "a human can only be recorded as a former admin (is_active false)",
                )
        elif r.role not in ALLOWED_ROLES[user.user_type]:
            allowed = ", ".join(role for role in ROLES if role in ALLOWED_ROLES[user.user_type])
            r.rec.error(".role", f"user {who} is a {user.user_type} user and cannot be {r.role} (allowed: {allowed})")
        return r.rec.ok


def _conflict(first: AssignmentRecord, later: AssignmentRecord) -> str | None:
    if first.is_active and later.is_active:
        return "at most one active record per user and project"
    if first.role == later.role:
        return f"role {later.role} is listed twice"
    if first.is_active != later.is_active:
        active, inactive = (first, later) if first.is_active else (later, first)
        if not _above(inactive.role, active.role):
            return (
                f"the inactive {inactive.role} record must be above the active {active.role} record "
                "(annotator < reviewer < admin)"
            )
    if first.weight != later.weight:
        return f"both records must carry the same user_weight ({first.weight} and {later.weight})"
    return None


def _above(role: str, other: str) -> bool:
    return role in LEVELS and other in LEVELS and LEVELS.index(role) > LEVELS.index(other)


def _role_name(roles: set[str]) -> str:
    return level(roles) or "none"


def _plan(user: User, records: list[AssignmentRecord], rows: dict[str, Assignment]) -> PairPlan:
    """SYNC-ASG-2 and -5 for one pair: end state, rows to create, and each record's category."""
    current = {role for role, row in rows.items() if row.is_active}
    active = next((r for r in records if r.is_active), None)
    inactive = [r for r in records if not r.is_active]
    weight = records[0].weight
    if active is None:
        forward = set(current)
    elif active.role == Role.ADMIN and user.user_type == User.UserType.ADMIN:
        # Admin rows are automatic (DM-ROLE-5): only the weight changes; a missing row is restored.
        forward = current | (set(expand(Role.ADMIN)) if user.is_global_admin else set())
    else:
        forward = set(expand(active.role))
    final = set(forward)
    for r in inactive:
        final -= removed_by(r.role)
    plan = PairPlan(forward_active=forward, final_active=final)
    for role in forward - set(rows):
        plan.creates[role] = True
    for r in inactive:
        for role in expand(r.role) - set(rows) - forward:
            plan.creates[role] = False
    old_weights = sorted({row.user_weight for row in rows.values()})
    weight_field = []
    if any(w != weight for w in old_weights):
        weight_field = [f"user_weight: {', '.join(str(w) for w in old_weights)} -> {weight}"]

    if active is not None:
        if not rows and forward:
            action, fields = "created", []
        elif forward != current or weight_field:
            role_field = [f"role: {_role_name(current)} -> {_role_name(forward)}"] if forward != current else []
            action, fields = "updated", role_field + weight_field
        else:
            action, fields = "unchanged", []
        plan.results.append((active, action, fields))
    for r in inactive:
        recorded = sorted(role for role in expand(r.role) - set(rows) - forward)
        if forward & removed_by(r.role):
            action, fields = "archived", weight_field
        elif not rows:
            action, fields = "created", []
        elif recorded or weight_field:
            action, fields = "updated", [f"recorded as former {role}" for role in recorded] + weight_field
        else:
            action, fields = "unchanged", []
        plan.results.append((r, action, fields))
    plan.results.sort(key=lambda result: (result[0].rec.entry.source, result[0].rec.entry.index))
    return plan
