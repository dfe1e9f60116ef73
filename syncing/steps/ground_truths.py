"""ground_truths/*.json / sync_ground_truths (SYNC-GT-1..7, DM-GT, DM-HIST).

Records have the annotation shape (SYNC-GT-1), so parsing and references come from
`GroupRecordStep`. What is particular here: one GT per (project, video, question), attribution of
the whole group to `user_name` (DM-GT-3), admin overrides (DM-GT-2) and the history log (DM-HIST).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from annotation.models import GroundTruth, GroundTruthHistory
from syncing.errors import quote
from syncing.records import MISSING, Record, json_type
from syncing.steps.annotations import GroupRecord, GroupRecordStep, Role, exact_keys, load_cross, option_problem, path
from syncing.steps.base import WRITE_BATCH

Kind = GroundTruthHistory.Kind
GT_FIELDS = ["value", "reviewer", "reviewer_value", "overridden_by", "overridden_at", "confidence_score", "modified_at"]


@dataclass
class Override:
    """The reviewer answered `reviewer_answer`; `admin_name` overrode it to answers[q] (SYNC-GT-4)."""

    admin_name: str
    reviewer_answer: str


@dataclass
class GroundTruthPlan:
    fields: list[str] = field(default_factory=list)
    creates: list[GroundTruth] = field(default_factory=list)
    updates: list[GroundTruth] = field(default_factory=list)
    history: list[GroundTruthHistory] = field(default_factory=list)


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

    def extra_user_names(self, r: GroupRecord) -> list[str]:
        return [override.admin_name for override in r.extra.values()]

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
            if question.is_single and answer not in question.options:
                r.rec.error(f"{where}.reviewer_answer", option_problem(question, answer))
            elif r.answers is not MISSING and r.answers.get(text) == answer:
                r.rec.error(
                    f"{where}.reviewer_answer",
                    f"{quote(answer)} equals the ground truth in answers; an override's reviewer answer must differ",
                )

    def forward(self) -> None:
        records = self.valid_records()
        existing: dict[tuple[int, int, int], GroundTruth] = {
            (gt.project_id, gt.video_id, gt.question_id): gt
            for gt in load_cross(
                GroundTruth.objects.select_related("overridden_by"),
                project_id={r.project.id for r in records},
                video_id={r.video.id for r in records},
            )
        }
        now = self.run.now
        creates: list[GroundTruth] = []
        updates: list[GroundTruth] = []
        history: list[GroundTruthHistory] = []
        for done, r in enumerate(records, 1):
            self.progress(done, len(records))
            plan = self.plan(r, existing)
            if plan.fields and r.ok:
                self.check_changing(r)
            if not r.ok:
                continue
            if plan.fields:
                self.run.touched_projects.add(r.project.pk)
            creates += plan.creates
            updates += plan.updates
            history += plan.history
            if plan.creates and len(plan.creates) == len(self.questions[r.group.id]):
                self.result("created", r.rec.key)
            else:
                self.result("updated" if plan.fields else "unchanged", r.rec.key, plan.fields)
        for gt in creates:
            gt.created_at = gt.modified_at = now
        for gt in updates:
            gt.modified_at = now
        GroundTruth.objects.bulk_create(creates, batch_size=WRITE_BATCH)
        GroundTruth.objects.bulk_update(updates, GT_FIELDS, batch_size=WRITE_BATCH)
        # DM-HIST-2: the entries go in the same transaction as the change.
        GroundTruthHistory.objects.bulk_create(history, batch_size=WRITE_BATCH)

    def plan(self, r: GroupRecord, existing) -> GroundTruthPlan:
        """The target state of SYNC-GT-5 for each question, and the writes and history to reach it."""
        plan = GroundTruthPlan()
        user_id = r.user.id
        value_fields, override_fields, reattributed, scores_changed = [], [], False, False

        def entry(question, kind, old, new, actor_id, overridden_by_id):
            plan.history.append(
                GroundTruthHistory(
                    project_id=r.project.id,
                    video_id=r.video.id,
                    question_id=question.id,
                    at=self.run.now,
                    actor_id=actor_id,
                    source=GroundTruthHistory.Source.SYNC,
                    kind=kind,
                    old_value=old,
                    new_value=new,
                    reviewer_after_id=user_id,
                    overridden_by_after_id=overridden_by_id,
                )
            )

        for question in self.questions[r.group.id]:
            text = question.text
            value, score = r.answers[text], r.scores.get(text)
            row = existing.get((r.project.id, r.video.id, question.id))
            listed = r.extra.get(text)
            if listed is not None:
                reviewer_value, overridden_by = listed.reviewer_answer, self.users[listed.admin_name].id
            elif row is not None and row.overridden_by_id is not None:
                # Sync never clears an override: the record must keep the overridden value.
                if value != row.value:
                    r.rec.error(
                        path("answers", text),
                        f"GT for {quote(text)} was overridden by admin {quote(row.overridden_by.user_id)} on "
                        f"{_date(row.overridden_at)}; list it in admin_overrides to change it",
                    )
                    continue
                reviewer_value, overridden_by = row.reviewer_value, row.overridden_by_id
            else:
                reviewer_value, overridden_by = value, None
            if row is None:
                row = GroundTruth(
                    project_id=r.project.id,
                    video_id=r.video.id,
                    question_id=question.id,
                    value=value,
                    reviewer_id=user_id,
                    reviewer_value=reviewer_value,
                    overridden_by_id=overridden_by,
                    overridden_at=self.run.now if overridden_by else None,
                    confidence_score=score,
                )
                plan.creates.append(row)
                value_fields.append(f"answers[{quote(text)}]")
                entry(question, Kind.CREATED, None, reviewer_value, user_id, None)
                if overridden_by:
                    override_fields.append(f"admin_overrides[{quote(text)}]")
                    entry(question, Kind.OVERRIDDEN, reviewer_value, value, overridden_by, overridden_by)
                continue
            if row.value != value:
                value_fields.append(f"answers[{quote(text)}]")
            if overridden_by is not None and (
                row.reviewer_value != reviewer_value or row.overridden_by_id != overridden_by
            ):
                override_fields.append(f"admin_overrides[{quote(text)}]")
            # The reviewer's layer first, then the admin's (DM-HIST-1).
            if overridden_by is None:
                if row.value != value:
                    entry(question, Kind.CHANGED, row.value, value, user_id, None)
                elif row.reviewer_id != user_id:
                    entry(question, Kind.REATTRIBUTED, value, value, user_id, None)
            else:
                if row.reviewer_value != reviewer_value:
                    entry(question, Kind.CHANGED, row.reviewer_value, reviewer_value, user_id, row.overridden_by_id)
                elif row.reviewer_id != user_id:
                    entry(question, Kind.REATTRIBUTED, row.value, row.value, user_id, row.overridden_by_id)
                if row.overridden_by_id != overridden_by or row.value != value:
                    old = row.value if row.overridden_by_id is not None else reviewer_value
                    entry(question, Kind.OVERRIDDEN, old, value, overridden_by, overridden_by)
                    row.overridden_at = self.run.now
            reattributed = reattributed or row.reviewer_id != user_id
            scores_changed = scores_changed or row.confidence_score != score
            new = (value, user_id, reviewer_value, overridden_by, score)
            if (row.value, row.reviewer_id, row.reviewer_value, row.overridden_by_id, row.confidence_score) != new:
                row.value, row.reviewer_id, row.reviewer_value, row.overridden_by_id, row.confidence_score = new
                plan.updates.append(row)
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
