"""ground_truths/*.json / sync_ground_truths (SYNC-GT-1..7, DM-GT, DM-HIST).

Records have the annotation shape (SYNC-GT-1), so parsing and references come from
`GroupRecordStep`. What is particular here: one GT per (project, video, question), attribution of
the whole group to `user_name` (DM-GT-3), admin overrides (DM-GT-2) and the history log (DM-HIST).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from annotation.models import GroundTruth, GroundTruthHistory
from catalog.models import User
from syncing.errors import quote
from syncing.records import MISSING, Record, json_type
from syncing.steps.annotations import GroupRecord, GroupRecordStep, Role, exact_keys, load_cross, option_problem, path
from syncing.table_writer import table_writer

Kind = GroundTruthHistory.Kind
SYNC = GroundTruthHistory.Source.SYNC
# Existing GT as plain tuples: (project_id, video_id, question_id) -> GT_ROW.
GT_KEY = ("project_id", "video_id", "question_id")
GT_ROW = ("id", "value", "reviewer_id", "reviewer_value", "overridden_by_id", "overridden_at", "confidence_score")
# What is written (syncing.table_writer).
GT_UPDATE = ("value", "reviewer_id", "reviewer_value", "overridden_by_id", "overridden_at", "confidence_score")
GT_COLUMNS = (*GT_KEY, *GT_UPDATE, "created_at", "modified_at")
HISTORY_COLUMNS = (
    *GT_KEY,
    "at",
    "actor_id",
    "source",
    "kind",
    "old_value",
    "new_value",
    "reviewer_after_id",
    "overridden_by_after_id",
)


@dataclass
class Override:
    """The reviewer answered `reviewer_answer`; `admin_name` overrode it to answers[q] (SYNC-GT-4)."""

    admin_name: str
    reviewer_answer: str


@dataclass(slots=True)
class GroundTruthPlan:
    fields: list[str] = field(default_factory=list)
    creates: list[tuple] = field(default_factory=list)  # GT_COLUMNS without the timestamps
    updates: list[tuple] = field(default_factory=list)  # (id, *GT_UPDATE)
    history: list[tuple] = field(default_factory=list)  # HISTORY_COLUMNS


class Step(GroupRecordStep):
    kind = "ground_truths"
    table = "ground truths"
    is_ground_truth = True
    extra_key = "admin_overrides"
    what = "ground truth"
    key_fields = "(project, video, group)"
    wrong_flag_message = "must be true for ground truth; load annotator answers with sync_annotations"

    def key_parts(self, project, video, group, user) -> tuple:
        return (project, video, group)  # SYNC-GT-2: the user is not part of the key

    def parse_extra(self, rec: Record, text: str, value):
        where = path("admin_overrides", text)
        value = exact_keys(rec, value, where, ("admin_name", "reviewer_answer"))
        if value is None:
            return None
        good = True
        for name in ("admin_name", "reviewer_answer"):
            if not isinstance(value[name], str):
                rec.error(f"{where}.{name}", f"must be a string, got {json_type(value[name])}")
                good = False
        return Override(value["admin_name"], value["reviewer_answer"]) if good else None

    def check_extra(self, r: GroupRecord) -> None:
        """SYNC-GT-3/4, checked for every record: no model users, valid and different reviewer answers."""
        if r.user is not None and r.user.is_model:
            r.rec.error(".user_name", f"user {quote(r.user.user_id)} is a model user and cannot set ground truth")
        by_text = self.group_questions(r) if r.group is not None else None
        for text, override in r.extra.items():
            where = path("admin_overrides", text)
            admin = self.users.get(override.admin_name)
            if admin is None:
                r.rec.error(f"{where}.admin_name", f"user {quote(override.admin_name)} does not exist")
            elif admin.is_model:
                message = f"user {quote(admin.user_id)} is a model user and cannot override ground truth"
                r.rec.error(f"{where}.admin_name", message)
            if by_text is None:
                continue
            question = by_text.get(text)
            if question is None:
                r.rec.error(where, self.not_in_group(r, text))
                continue
            answer = override.reviewer_answer
            kind = self.kind_of(r.rec, where, question)
            if kind is None:
                continue
            if not kind.accepts(question, answer):
                r.rec.error(f"{where}.reviewer_answer", option_problem(question, answer))
            elif r.answers is not MISSING and r.answers.get(text) == answer:
                r.rec.error(
                    f"{where}.reviewer_answer",
                    f"{quote(answer)} equals the ground truth in answers; an override's reviewer answer must differ",
                )

    def load_existing(self, records: list[GroupRecord]) -> dict[tuple[int, int, int], tuple]:
        existing = {
            row[:3]: row[3:]
            for row in load_cross(
                GroundTruth.objects.values_list(*GT_KEY, *GT_ROW),
                project_id={r.project.id for r in records},
                video_id={r.video.id for r in records},
            )
        }
        # Who overrode, for the message of SYNC-GT-5: one query for the few ids.
        overriders = {row[4] for row in existing.values() if row[4] is not None}
        self.user_ids_by_id = dict(User.objects.filter(pk__in=overriders).values_list("id", "user_id"))
        return existing

    def forward(self) -> None:
        records = self.valid_records()
        existing = self.load_existing(records)
        creates: list[tuple] = []
        updates: list[tuple] = []
        history: list[tuple] = []
        for done, r in enumerate(records, 1):
            self.progress(done, len(records))
            plan = self.plan(r, existing)
            if plan.fields and r.ok:
                self.check_changing(r)
            if not r.ok:
                continue
            if plan.fields:
                self.run.touched_projects.add(r.project.id)
            creates += plan.creates
            updates += plan.updates
            history += plan.history
            if plan.creates and len(plan.creates) == len(self.questions[r.group.id]):
                self.result("created", r.rec.key)
            else:
                self.result("updated" if plan.fields else "unchanged", r.rec.key, plan.fields)
        now, writer = self.run.now, table_writer()
        with writer.large_load(GroundTruth, len(creates)):
            writer.insert(GroundTruth, GT_COLUMNS, [(*row, now, now) for row in creates])
        writer.update(GroundTruth, (*GT_UPDATE, "modified_at"), [(*row, now) for row in updates])
        # DM-HIST-2: the entries go in the same transaction as the change.
        with writer.large_load(GroundTruthHistory, len(history)):
            writer.insert(GroundTruthHistory, HISTORY_COLUMNS, history)

    def plan(self, r: GroupRecord, existing) -> GroundTruthPlan:
        """The target state of SYNC-GT-5 for each question, and the writes and history to reach it."""
        plan = GroundTruthPlan()
        now, user_id, project_id, video_id = self.run.now, r.user.id, r.project.id, r.video.id
        value_fields, override_fields, reattributed, scores_changed = [], [], False, False

        def entry(question, kind, old, new, actor_id, overridden_by_id):
            plan.history.append(
                (project_id, video_id, question.id, now, actor_id, SYNC, kind, old, new, user_id, overridden_by_id)
            )

        for question in self.questions[r.group.id]:
            text = question.text
            value, score = r.answers[text], r.scores.get(text)
            row = existing.get((project_id, video_id, question.id))
            listed = r.extra.get(text)
            if listed is not None:
                reviewer_value, overridden_by = listed.reviewer_answer, self.users[listed.admin_name].id
            elif row is not None and row[4] is not None:
                # Sync never clears an override: the record must keep the overridden value.
                if value != row[1]:
                    r.rec.error(
                        path("answers", text),
                        f"GT for {quote(text)} was overridden by admin {quote(self.user_ids_by_id[row[4]])} on "
                        f"{_date(row[5])}; list it in admin_overrides to change it",
                    )
                    continue
                reviewer_value, overridden_by = row[3], row[4]
            else:
                reviewer_value, overridden_by = value, None
            if row is None:
                overridden_at = now if overridden_by else None
                plan.creates.append(
                    (project_id, video_id, question.id, value, user_id, reviewer_value, overridden_by, overridden_at)
                    + (score,)
                )
                value_fields.append(f"answers[{quote(text)}]")
                entry(question, Kind.CREATED, None, reviewer_value, user_id, None)
                if overridden_by:
                    override_fields.append(f"admin_overrides[{quote(text)}]")
                    entry(question, Kind.OVERRIDDEN, reviewer_value, value, overridden_by, overridden_by)
                continue
            gt_id, old_value, old_reviewer, old_reviewer_value, old_overridden_by, overridden_at, old_score = row
            if old_value != value:
                value_fields.append(f"answers[{quote(text)}]")
            if overridden_by is not None and (reviewer_value, overridden_by) != (old_reviewer_value, old_overridden_by):
                override_fields.append(f"admin_overrides[{quote(text)}]")
            # The reviewer's layer first, then the admin's (DM-HIST-1).
            if overridden_by is None:
                if old_value != value:
                    entry(question, Kind.CHANGED, old_value, value, user_id, None)
                elif old_reviewer != user_id:
                    entry(question, Kind.REATTRIBUTED, value, value, user_id, None)
            else:
                if old_reviewer_value != reviewer_value:
                    entry(question, Kind.CHANGED, old_reviewer_value, reviewer_value, user_id, old_overridden_by)
                elif old_reviewer != user_id:
                    entry(question, Kind.REATTRIBUTED, old_value, old_value, user_id, old_overridden_by)
                if old_overridden_by != overridden_by or old_value != value:
                    old = old_value if old_overridden_by is not None else reviewer_value
                    entry(question, Kind.OVERRIDDEN, old, value, overridden_by, overridden_by)
                    overridden_at = now
            reattributed = reattributed or old_reviewer != user_id
            scores_changed = scores_changed or old_score != score
            new = (value, user_id, reviewer_value, overridden_by, score)
            if (old_value, old_reviewer, old_reviewer_value, old_overridden_by, old_score) != new:
                plan.updates.append((gt_id, value, user_id, reviewer_value, overridden_by, overridden_at, score))
        plan.fields = value_fields + override_fields
        if reattributed:
            plan.fields.append("user_name")
        if scores_changed:
            plan.fields.append("confidence_scores")
        return plan

    def check_changing(self, r: GroupRecord) -> None:
        """SYNC-GT-6, against the creation-time state."""
        self.check_active(r, "ground truth")
        rec, project, user = r.rec, r.project, r.user
        if not (self.held(project, user, (Role.REVIEWER, Role.ADMIN)) or user.is_global_admin):
            rec.error(
                ".user_name",
                f"user {quote(user.user_id)} holds no reviewer or admin role in project {quote(project.name)}, "
                "active or archived, and is not a global admin",
            )
        for text, override in r.extra.items():
            admin = self.users[override.admin_name]
            where = path("admin_overrides", text, "admin_name")
            if not (self.held(project, admin, (Role.ADMIN,)) or admin.is_global_admin):
                rec.error(
                    where,
                    f"user {quote(admin.user_id)} holds no admin role in project {quote(project.name)}, "
                    "active or archived, and is not a global admin",
                )
            elif not admin.is_active:
                rec.error(where, f"user {quote(admin.user_id)} is archived and cannot override ground truth")
        self.check_verification(r)


def _date(at: datetime.datetime | None) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%d") if at else "an unknown date"
