"""ground_truths/*.json / sync_ground_truths (SYNC-GT-1..7, DM-GT, DM-HIST).

Records have the annotation shape (SYNC-GT-1), so parsing and references come from
`GroupRecordStep`. What is particular here: one GT per (project, video, question), attribution of
the whole group to `user_name` (DM-GT-3), admin overrides (DM-GT-2) and the history log (DM-HIST).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from annotation.models import GroundTruth, GroundTruthHistory
from annotation.planning.ground_truth import GT_COLUMNS, GT_KEY, GT_ROW, GT_UPDATE, GTPlan, plan_declared
from annotation.planning.gt_history import HISTORY_COLUMNS
from catalog.models import User
from syncing.errors import quote
from syncing.records import MISSING, Record, json_type
from syncing.steps.annotations import GroupRecord, GroupRecordStep, Role, exact_keys, load_cross, path
from syncing.table_writer import table_writer

# Existing GT as plain tuples, (project_id, video_id, question_id) -> GT_ROW; what is written: GT_COLUMNS
# and HISTORY_COLUMNS rows (syncing.table_writer), planned by annotation.planning.ground_truth.


@dataclass
class Override:
    """The reviewer answered `reviewer_answer`; `admin_name` overrode it to answers[q] (SYNC-GT-4)."""

    admin_name: str
    reviewer_answer: Any  # as given; its stored form once check_extra has checked it


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
        if not isinstance(value["admin_name"], str):
            rec.error(f"{where}.admin_name", f"must be a string, got {json_type(value['admin_name'])}")
            return None
        # reviewer_answer is checked against its question's type (check_extra): a string, or a list for
        # multiple choice. A record whose group or question is unknown has that error instead.
        return Override(value["admin_name"], value["reviewer_answer"])

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
            kind = self.kind_of(r.rec, where, question)
            if kind is None:
                continue
            answer = self.stored(r.rec, f"{where}.reviewer_answer", kind, question, override.reviewer_answer)
            if answer is MISSING:
                continue
            override.reviewer_answer = answer  # compared and written in its stored form
            if r.answers is not MISSING and r.answers.get(text) == answer:
                shown = quote(answer) if kind.value_is_text else answer  # a list's stored form is its JSON
                r.rec.error(
                    f"{where}.reviewer_answer",
                    f"{shown} equals the ground truth in answers; an override's reviewer answer must differ",
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
        self.question_keys = {g: [(q.id, q.text) for q in qs] for g, qs in self.questions.items()}
        creates: list[tuple] = []
        updates: list[tuple] = []
        history: list[tuple] = []
        for done, r in enumerate(records, 1):
            self.progress(done, len(records))
            plan, fields = self.plan(r, existing)
            if plan is None:
                self.result("unchanged", r.rec.key, fields)
                continue
            if fields and r.ok:
                self.check_changing(r)
            if not r.ok:
                continue
            if fields:
                self.run.touched_projects.add(r.project.id)
            creates += plan.creates
            updates += plan.updates
            history += plan.history
            if plan.creates and len(plan.creates) == len(self.questions[r.group.id]):
                self.result("created", r.rec.key)
            else:
                self.result("updated" if fields else "unchanged", r.rec.key, fields)
        now, writer = self.run.now, table_writer()
        with writer.large_load(GroundTruth, len(creates)):
            writer.insert(GroundTruth, GT_COLUMNS, [(*row, now, now) for row in creates])
        writer.update(GroundTruth, (*GT_UPDATE, "modified_at"), [(*row, now) for row in updates])
        # DM-HIST-2: the entries go in the same transaction as the change.
        with writer.large_load(GroundTruthHistory, len(history)):
            writer.insert(GroundTruthHistory, HISTORY_COLUMNS, history)

    def plan(self, r: GroupRecord, existing) -> tuple[GTPlan | None, list[str]]:
        """The target state of SYNC-GT-5 (annotation.planning), and the fields the report names."""
        users = self.users
        plan = plan_declared(
            video_key=(r.project.id, r.video.id),
            questions=self.question_keys[r.group.id],
            values=r.answers,
            scores=r.scores,
            overrides={text: (o.reviewer_answer, users[o.admin_name].id) for text, o in r.extra.items()}
            if r.extra
            else None,
            reviewer_id=r.user.id,
            existing=existing,
            at=self.run.now,
        )
        if plan is None:
            return None, []
        for text, overridden_by, overridden_at in plan.conflicts:
            r.rec.error(
                path("answers", text),
                f"GT for {quote(text)} was overridden by admin {quote(self.user_ids_by_id[overridden_by])} on "
                f"{_date(overridden_at)}; list it in admin_overrides to change it",
            )
        fields = [f"answers[{quote(text)}]" for text in plan.value_changes] + [
            f"admin_overrides[{quote(text)}]" for text in plan.override_changes
        ]
        if plan.reattributed:
            fields.append("user_name")
        if plan.scores_changed:
            fields.append("confidence_scores")
        return plan, fields

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
