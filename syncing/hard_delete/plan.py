"""Hard delete (OVR-DEL-1..4): remove a row together with everything that depends on it, leaves first.

Every foreign key is PROTECT (DM-CONV-1), so the closure is computed here explicitly: `plan_delete` builds a
`DeletePlan`, an ordered list of steps, each a set-wide queryset plus the human-readable lines the operator
confirms; `execute` runs the steps in one transaction. A step costs a fixed number of queries whatever its
size (one DELETE per step, values() lists for the printed lines), so deleting a project with 10,000 answers
does not run 10,000 queries.

Ground truth deleted while its project, video and question remain gets a `deleted` history entry; overrides
that lose their admin are reverted to the reviewer's value with a `reverted` entry (source `hard_delete`,
no actor: the operator is not a Label Pizza user).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.db import connection, transaction
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

from annotation.completion import recompute_completion
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.planning.gt_history import GTState, entries, history_objects
from annotation.team.models import Change, Feedback, FeedbackReply, Payment
from catalog import question_types
from catalog.models import (
    ApiToken,
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroup,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
    Video,
)
from catalog.question_activity import refresh_question_activity

Role = Assignment.Role
Source = GroundTruthHistory.Source

# The printed plan shows this many lines per step, then "… and N more <rows>"; the total still counts every row.
LINE_LIMIT = 50

CONFIRM_WORD = "DELETE"
CONTINUE_WORD = "CONTINUE"
CANCELLED = "Cancelled: nothing was deleted."
REMINDER = (
    "Workspace JSON files may still contain the deleted rows: re-export the workspace (python manage.py "
    "export_workspace) or edit them before the next sync, or sync will create them again."
)


class HardDeleteError(ValueError):
    """A hard delete that cannot happen (unknown key, refused, failed); nothing was deleted."""


class _NotFound(Exception):
    """Raised by the planners; plan_delete turns it into a HardDeleteError naming the kind and keys."""


# --------------------------------------------------------------------------- plan lines


def _at(r: dict, via: str = "") -> str:
    """`"Is food visible?" on kitchen_01.mp4 in "Kitchen Batch 1"` from a values() row."""
    return f'"{r[via + "question__text"]}" on {r[via + "video__video_uid"]} in "{r[via + "project__name"]}"'


def _value(r: dict, field: str) -> str:
    """A stored answer or GT value as the workspace JSON writes it (the type's `to_external`): a string in quotes,
    as it always was, or a multiple-choice list such as ["pan", "zoom"]; [] is "none of these"."""
    kind = question_types.find(r["question__qtype"])
    external = r[field] if kind is None else kind.to_external(Question(qtype=r["question__qtype"]), r[field])
    if isinstance(external, str):  # a string type, or a qtype no type has: shown as stored
        return f'"{external}"'
    return json.dumps(external, ensure_ascii=False) + ("" if external else " (none of these)")


def _when(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


WHERE = ("question__text", "video__video_uid", "project__name")
VALUE_OF = ("question__qtype",)  # what _value needs to read a stored value
AUTH_GROUP_LINK = User.groups.through
AUTH_PERMISSION_LINK = User.user_permissions.through


@dataclass(frozen=True)
class _Rows:
    noun: str  # plural, for "… and 9,950 more answers"
    fields: tuple[str, ...]  # what the line needs, fetched with values()
    line: Callable[[dict], str]


ROWS: dict[type[Model], _Rows] = {
    AnswerReview: _Rows(
        "reviews",
        ("status", "reviewer__user_id", "answer__user__user_id", *(f"answer__{f}" for f in WHERE)),
        lambda r: (
            f'Delete "{r["reviewer__user_id"]}" review ({r["status"]}) of "{r["answer__user__user_id"]}" '
            f"answer to {_at(r, 'answer__')}"
        ),
    ),
    Answer: _Rows("answers", ("user__user_id", *WHERE), lambda r: f'Delete "{r["user__user_id"]}" answer to {_at(r)}'),
    CustomDisplay: _Rows("custom displays", WHERE, lambda r: f"Delete custom display of {_at(r)}"),
    GroundTruthHistory: _Rows(
        "history entries",
        ("kind", "at", *WHERE),
        lambda r: f"Delete ground-truth history entry ({r['kind']}, {_when(r['at'])}) for {_at(r)}",
    ),
    GroundTruth: _Rows(
        "ground-truth rows",
        ("value", "reviewer__user_id", *WHERE, *VALUE_OF),
        lambda r: f'Delete ground truth {_value(r, "value")} for {_at(r)} (attributed to "{r["reviewer__user_id"]}")',
    ),
    Assignment: _Rows(
        "assignments",
        ("user__user_id", "role", "project__name", "is_active"),
        lambda r: (
            f'Delete "{r["user__user_id"]}" {r["role"]} role in "{r["project__name"]}"'
            + ("" if r["is_active"] else " (archived)")
        ),
    ),
    ProjectVideo: _Rows(
        "project memberships",
        ("video__video_uid", "project__name"),
        lambda r: f'Delete membership of video {r["video__video_uid"]} in project "{r["project__name"]}"',
    ),
    QuestionGroupQuestion: _Rows(
        "question-group memberships",
        ("question__text", "group__title"),
        lambda r: f'Delete membership of question "{r["question__text"]}" in question group "{r["group__title"]}"',
    ),
    SchemaQuestionGroup: _Rows(
        "schema memberships",
        ("group__title", "schema__name"),
        lambda r: f'Delete membership of question group "{r["group__title"]}" in schema "{r["schema__name"]}"',
    ),
    ProjectGroupProject: _Rows(
        "project-group memberships",
        ("project__name", "project_group__name"),
        lambda r: f'Delete membership of project "{r["project__name"]}" in project group "{r["project_group__name"]}"',
    ),
    Project: _Rows("projects", ("name",), lambda r: f'Delete project "{r["name"]}"'),
    Schema: _Rows("schemas", ("name",), lambda r: f'Delete schema "{r["name"]}"'),
    QuestionGroup: _Rows("question groups", ("title",), lambda r: f'Delete question group "{r["title"]}"'),
    Question: _Rows("questions", ("text",), lambda r: f'Delete question "{r["text"]}"'),
    Video: _Rows("videos", ("video_uid",), lambda r: f"Delete video {r['video_uid']}"),
    ProjectGroup: _Rows("project groups", ("name",), lambda r: f'Delete project group "{r["name"]}"'),
    User: _Rows("users", ("user_id",), lambda r: f'Delete user "{r["user_id"]}"'),
    ApiToken: _Rows(
        "API tokens",
        ("user__user_id", "prefix"),
        lambda r: f'Delete API token {r["prefix"]}… of "{r["user__user_id"]}"',
    ),
    Payment: _Rows(
        "payments",
        ("person__user_id", "paid_on", "amount", "currency"),
        lambda r: f'Delete payment of {r["amount"]} {r["currency"]} on {r["paid_on"]} to "{r["person__user_id"]}"',
    ),
    Feedback: _Rows(
        "feedback notes",
        ("person__user_id", "given_on"),
        lambda r: f'Delete feedback of {r["given_on"]} to "{r["person__user_id"]}"',
    ),
    FeedbackReply: _Rows(
        "feedback replies",
        ("feedback__person__user_id", "feedback__given_on"),
        lambda r: f'Delete reply of "{r["feedback__person__user_id"]}" to feedback of {r["feedback__given_on"]}',
    ),
    Change: _Rows(
        "team change-log entries",
        ("person__user_id", "action", "at"),
        lambda r: f'Delete team change-log entry ({r["action"]}, {_when(r["at"])}) about "{r["person__user_id"]}"',
    ),
    LogEntry: _Rows(
        "admin log entries",
        ("user__user_id", "action_time", "object_repr"),
        lambda r: f'Delete admin log entry of "{r["user__user_id"]}" ({_when(r["action_time"])}): {r["object_repr"]}',
    ),
    AUTH_GROUP_LINK: _Rows(
        "auth group memberships",
        ("user__user_id", "group__name"),
        lambda r: f'Delete membership of "{r["user__user_id"]}" in auth group "{r["group__name"]}"',
    ),
    AUTH_PERMISSION_LINK: _Rows(
        "user permissions",
        ("user__user_id", "permission__codename"),
        lambda r: f'Delete permission "{r["permission__codename"]}" of "{r["user__user_id"]}"',
    ),
}
REVERT_FIELDS = ("value", "reviewer_value", "overridden_by__user_id", *WHERE, *VALUE_OF)

# Rows whose deletion can change completion timestamps (DM-DER-7): their projects are recomputed afterwards.
COMPLETION_MODELS = (Answer, GroundTruth, Assignment, ProjectVideo)


# --------------------------------------------------------------------------- the plan


class Action:
    DELETE = "delete"
    REVERT = "revert"  # GT overrides set back to the reviewer's value
    FORGET = "forget"  # a deleted user cleared from history entries, which keep their values


@dataclass
class Step:
    """One set of rows the plan deletes (or reverts, or clears a user from), with its printed lines."""

    action: str
    queryset: QuerySet
    count: int  # every row, even when `lines` stops at LINE_LIMIT
    lines: list[str]
    noun: str
    apply: Callable[[datetime], int]  # does the write inside execute's transaction; returns rows deleted
    records_deleted: bool = False  # GT rows: one `deleted` history entry per row

    @property
    def hidden(self) -> int:
        return self.count - len(self.lines) if self.action != Action.FORGET else 0


@dataclass
class DeletePlan:
    """OVR-DEL-4: the closure of one hard delete, in leaf-first order."""

    kind: str
    keys: tuple[str, ...]
    steps: list[Step] = field(default_factory=list)
    project_ids: set[int] = field(default_factory=set)  # projects whose completion may change
    question_ids: set[int] = field(default_factory=set)  # questions whose is_active may change (DM-Q-6)

    @property
    def total(self) -> int:
        """Rows to delete."""
        return sum(s.count for s in self.steps if s.action == Action.DELETE)

    @property
    def reverts(self) -> int:
        return sum(s.count for s in self.steps if s.action == Action.REVERT)

    @property
    def history_entries(self) -> int:
        """`deleted` and `reverted` history entries the plan adds."""
        return self.reverts + sum(s.count for s in self.steps if s.records_deleted)

    @property
    def title(self) -> str:
        return f"Hard delete {self.kind} " + " / ".join(f'"{key}"' for key in self.keys)

    def numbered_lines(self) -> list[str]:
        out, n = [], 0
        for step in self.steps:
            for line in step.lines:
                n += 1
                out.append(f"{n}. {line}")
            if step.hidden:
                out.append(f"   … and {step.hidden:,} more {step.noun} ({n + 1} to {n + step.hidden})")
                n += step.hidden
        return out

    def summary(self) -> str:
        parts = [f"Total: {self.total} rows to delete"]
        if self.reverts:
            parts.append(f"{self.reverts} ground-truth override{'' if self.reverts == 1 else 's'} to revert")
        if self.history_entries:
            parts.append(f"{self.history_entries} history entr{'y' if self.history_entries == 1 else 'ies'} to add")
        return ", ".join(parts) + "."

    def render(self) -> str:
        return "\n".join([f"{self.title}. The plan, leaves first:", *self.numbered_lines(), self.summary()])


class _Builder:
    """Collects the steps of a plan; every method costs a fixed number of queries."""

    def __init__(self, plan: DeletePlan):
        self.plan = plan

    def _add(self, step: Step) -> None:
        if step.count:
            self.plan.steps.append(step)

    def delete(self, queryset: QuerySet, *, record_deleted: bool = False) -> None:
        rows = ROWS[queryset.model]
        count = queryset.count()
        if not count:
            return
        suffix = ', recording a "deleted" history entry' if record_deleted else ""
        lines = [rows.line(r) + suffix for r in queryset.order_by("pk").values(*rows.fields)[:LINE_LIMIT]]
        if queryset.model in COMPLETION_MODELS:
            self.touch(queryset.order_by().values_list("project_id", flat=True).distinct())

        def apply(now: datetime) -> int:
            if record_deleted:
                _record_deleted(queryset, now)
            return _delete(queryset)

        self._add(Step(Action.DELETE, queryset, count, lines, rows.noun, apply, records_deleted=record_deleted))

    def revert(self, overrides: QuerySet) -> None:
        """DM-GT-2: value := reviewer_value and the override cleared, with a `reverted` history entry."""
        count = overrides.count()
        if not count:
            return
        lines = [
            f'Revert "{r["overridden_by__user_id"]}" override of {_at(r)} from {_value(r, "value")} to the '
            f"reviewer's {_value(r, 'reviewer_value')}"
            for r in overrides.order_by("pk").values(*REVERT_FIELDS)[:LINE_LIMIT]
        ]
        self._add(Step(Action.REVERT, overrides, count, lines, "overrides", lambda now: _revert(overrides, now)))

    def forget(self, user: User) -> None:
        """DM-HIST-3: a deleted user's history entries keep their values; the user is cleared from them."""
        entries = GroundTruthHistory.objects.filter(
            Q(actor=user) | Q(reviewer_after=user) | Q(overridden_by_after=user)
        )
        count = entries.count()
        line = (
            f'Keep {count} ground-truth history entries that name "{user.user_id}", with their values; '
            "their actor (and reviewer or overrider after the change) becomes empty"
        )
        self._add(Step(Action.FORGET, entries, count, [line], "history entries", lambda now: _forget(user)))

    def team_records(self, user: User) -> None:
        """A deleted person's payments and feedback go with them; what they wrote about others stays, unsigned."""
        self.delete(Change.objects.filter(person=user))
        self.delete(FeedbackReply.objects.filter(feedback__person=user))
        self.delete(Feedback.objects.filter(person=user))
        self.delete(Payment.objects.filter(person=user))
        authored = [
            Payment.objects.filter(created_by=user),
            Feedback.objects.filter(author=user),
            FeedbackReply.objects.filter(author=user),
            Change.objects.filter(actor=user),
        ]
        fields = ("created_by", "author", "author", "actor")
        count = sum(rows.count() for rows in authored)
        line = f'Keep {count} team records written by "{user.user_id}"; their author becomes empty'

        def apply(now: datetime) -> int:
            for rows, name in zip(authored, fields, strict=True):
                rows.update(**{name: None})
            return 0

        self._add(Step(Action.FORGET, Payment.objects.none(), count, [line], "team records", apply))

    def detach_feedback(self, projects: QuerySet) -> None:
        """Feedback about a deleted project stays with its person, about no project."""
        notes = Feedback.objects.filter(project__in=projects)
        count = notes.count()
        line = f"Keep {count} feedback notes about the project; they become about no project"
        self._add(
            Step(Action.FORGET, notes, count, [line], "feedback notes", lambda now: notes.update(project=None) * 0)
        )

    def content(self, scope: Q, *, record_deleted: bool) -> None:
        """Reviews, answers, custom displays, history and GT whose (project, video, question) is in `scope`."""
        answers = Answer.objects.filter(scope)
        self.delete(AnswerReview.objects.filter(answer__in=answers.values("pk")))
        self.delete(answers)
        self.delete(CustomDisplay.objects.filter(scope))
        self.delete(GroundTruthHistory.objects.filter(scope))
        self.delete(GroundTruth.objects.filter(scope), record_deleted=record_deleted)

    def projects(self, projects: QuerySet) -> None:
        """The project row of the closure table, for every project in `projects`."""
        self.content(Q(project__in=projects), record_deleted=False)
        self.delete(Assignment.objects.filter(project__in=projects))
        self.delete(ProjectVideo.objects.filter(project__in=projects))
        self.delete(ProjectGroupProject.objects.filter(project__in=projects))
        self.detach_feedback(projects)
        self.delete(projects)

    def touch(self, project_ids: Iterable[int]) -> None:
        self.plan.project_ids.update(project_ids)


# --------------------------------------------------------------------------- the writes of a step


def _delete(queryset: QuerySet) -> int:
    # One DELETE statement. QuerySet.delete() would load every row, check each PROTECT relation and delete in
    # batches of 100; the plan already orders dependants first, and _check_foreign_keys catches anything missed.
    return queryset._raw_delete(queryset.db)


def _record_deleted(ground_truths: QuerySet, now: datetime) -> None:
    rows = list(
        ground_truths.select_for_update(of=("self",)).only("project", "video", "question", "value").order_by("pk")
    )
    history = []
    for row in rows:  # nobody is attributed after the delete
        old = GTState(row.value, None, row.value, None)
        history += entries(_key(row), old, None, actor_id=None, source=Source.HARD_DELETE, at=now)
    GroundTruthHistory.objects.bulk_create(history_objects(history))


def _revert(overrides: QuerySet, now: datetime) -> int:
    rows = list(
        overrides.select_for_update(of=("self",))
        .only("project", "video", "question", "value", "reviewer_value", "reviewer", "overridden_by")
        .order_by("pk")
    )
    overrides.update(value=F("reviewer_value"), overridden_by=None, overridden_at=None, modified_at=now)
    history = []
    for row in rows:
        old = GTState(row.value, row.reviewer_id, row.reviewer_value, row.overridden_by_id)
        new = old._replace(value=row.reviewer_value, overridden_by_id=None)
        history += entries(_key(row), old, new, actor_id=None, source=Source.HARD_DELETE, at=now)
    GroundTruthHistory.objects.bulk_create(history_objects(history))
    return 0


def _key(row) -> tuple[int, int, int]:
    return (row.project_id, row.video_id, row.question_id)


def _forget(user: User) -> int:
    history = GroundTruthHistory.objects
    history.filter(actor=user).update(actor=None)
    history.filter(reviewer_after=user).update(reviewer_after=None)
    history.filter(overridden_by_after=user).update(overridden_by_after=None)
    return 0


def _check_foreign_keys(plan: DeletePlan) -> None:
    """Fail inside the transaction, not at commit, if a dependant was missed (the FKs are deferred)."""
    tables = set()
    for step in plan.steps:
        if step.action == Action.DELETE:
            for rel in step.queryset.model._meta.get_fields(include_hidden=True):
                if rel.auto_created and not rel.concrete and rel.is_relation:
                    tables.add(rel.related_model._meta.db_table)
    connection.check_constraints(table_names=sorted(tables))


def execute(plan: DeletePlan) -> int:
    """OVR-DEL-4 step 5: run every step in one transaction, so a failure deletes nothing. Returns rows deleted."""
    now = timezone.now()
    with transaction.atomic():
        deleted = sum(step.apply(now) for step in plan.steps)
        _check_foreign_keys(plan)
        refresh_question_activity(plan.question_ids)
        survivors = Project.objects.filter(pk__in=plan.project_ids).values_list("pk", flat=True)
        recompute_completion(project_ids=survivors, now=now)
    return deleted
