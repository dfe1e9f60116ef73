"""annotations/*.json / sync_annotations (SYNC-ANN-1..9, DM-ANS, DM-REV).

`GroupRecordStep` is the half shared with ground truth, whose records have the same shape
(SYNC-GT-1, SYNC-GT-3): strict parsing, references, and answers checked against the group.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from annotation.models import MAX_ANSWER_LENGTH, Answer, AnswerReview
from annotation.planning.answers import ANSWER_KEY, ANSWER_ROW, REVIEW_ROW, AnswerPlan, plan_answers
from annotation.verification import VerificationFailed, verify_answers
from catalog import question_types
from catalog.models import (
    Assignment,
    Project,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    SchemaQuestionGroup,
    User,
    Video,
)
from catalog.question_types import QuestionType
from catalog.validation import is_number
from syncing.errors import quote
from syncing.records import MISSING, Duplicates, Record, json_type, stored_value
from syncing.steps.base import BaseStep, chunks, load_by
from syncing.steps.fast_path import split_fast_records
from syncing.table_writer import table_writer

Role = Assignment.Role
ANY_ROLE = frozenset(Role.values)
REVIEW_STATUSES = ("approved", "rejected", "pending")
NAME_FIELDS = ("project_name", "video_uid", "question_group_title", "user_name")
VIDEO_FIELDS = ("id", "video_uid", "is_active")  # all a record needs of its video; metadata can be large


def path(name: str, question: str, *rest: str) -> str:
    """A field path inside the record, as in SYNC-ERR-2: `.answers["Describe the food."]`."""
    return f".{name}[{quote(question)}]" + "".join(f".{part}" for part in rest)


def quoted(values) -> str:
    return ", ".join(quote(v) for v in values)


def option_problem(question: Question, value: str) -> str:
    return f"{quote(value)} is not an option of question {quote(question.text)} ({', '.join(question.options)})"


def load_cross(queryset, **ids) -> list:
    """Rows whose fields are in every given id list, chunked over each list (SYNC-GEN-13).

    Unordered: callers key the rows by id, and a model's default ordering may cost a join.
    """
    names = list(ids)
    lists = [sorted(set(ids[name])) for name in names]
    if not all(lists):
        return []
    rows: list = []
    queryset = queryset.order_by()
    for combo in itertools.product(*(list(chunks(values)) for values in lists)):
        rows.extend(queryset.filter(**{f"{name}__in": batch for name, batch in zip(names, combo, strict=True)}))
    return rows


def exact_keys(rec: Record, value, where: str, required: tuple[str, ...]) -> dict | None:
    """An object nested in the record must have exactly `required` (SYNC-GEN-4)."""
    if not isinstance(value, dict):
        rec.error(where, f"must be an object, got {json_type(value)}")
        return None
    good = True
    for name in required:
        if name not in value:
            rec.error(f"{where}.{name}", "is required")
            good = False
    for name in value:
        if name not in required:
            rec.error(where, f"unexpected key {quote(name)}")
            good = False
    return value if good else None


@dataclass(slots=True)  # slots: one per input record, ~100,000 in a large sync
class GroupRecord:
    """One record about one question group on one video of one project."""

    rec: Record
    project_name: Any
    video_uid: Any
    group_title: Any
    user_name: Any
    answers: Any  # question text -> value, or MISSING
    scores: dict  # question text -> float | None; only the listed ones
    extra: dict = field(default_factory=dict)  # reviews or admin overrides, parsed
    project: Project | None = None
    video: Video | None = None
    group: QuestionGroup | None = None
    user: User | None = None

    @property
    def ok(self) -> bool:
        return self.rec.ok


class GroupRecordStep(BaseStep):
    """Parsing and reference checks shared by annotations and ground truth.

    Per-record code reads `.id` rather than `.pk`: a plain attribute instead of a property, and a
    large sync reads it millions of times.
    """

    is_ground_truth = False
    extra_key = ""  # "reviews" or "admin_overrides"
    what = ""  # for duplicate messages: "annotation" or "ground truth"
    key_fields = ""  # for duplicate messages: "(project, video, group, user)"

    # -- keys
    def key_parts(self, project, video, group, user) -> tuple:
        raise NotImplementedError

    def key_text(self, parts: tuple) -> str:
        return " / ".join(parts)

    # -- parsing (no database)
    def parse(self) -> list[GroupRecord]:
        duplicates = Duplicates(self.what)
        required, optional = (*NAME_FIELDS, "answers", "is_ground_truth"), ("confidence_scores", self.extra_key)
        parsed = []
        for entry in self.entries:
            rec = self.record(entry)
            if not isinstance(entry.data, dict):
                continue
            # The key first, so that every later problem of the record names it (SYNC-ERR-2).
            names = [rec.string(name) for name in NAME_FIELDS]
            if MISSING not in names:
                rec.key = self.key_text(self.key_parts(*names))
            rec.keys(required, optional)
            if rec.key is not None:
                duplicates.check(rec, self.key_parts(*names), "", self.key_fields)
            flag = rec.boolean("is_ground_truth")
            if flag is not MISSING and flag != self.is_ground_truth:
                rec.error(".is_ground_truth", self.wrong_flag_message)
            answers = rec.object("answers")
            if answers is not MISSING:
                # A value's type is checked against its question's type (check_answers): a string, or a list
                # for multiple choice.
                for text, value in answers.items():
                    if isinstance(value, str) and len(value) > MAX_ANSWER_LENGTH:
                        rec.error(path("answers", text), f"is {len(value):,} characters long; at most 10,000 allowed")
            scores = {}
            raw_scores = rec.object("confidence_scores", default={})
            for text, value in (raw_scores or {}).items():
                if value is None or is_number(value):
                    scores[text] = None if value is None else float(value)
                else:
                    problem = f"must be a finite number or null, got {json_type(value)}"
                    rec.error(path("confidence_scores", text), problem)
            r = GroupRecord(rec, *names, answers=answers, scores=scores)
            raw_extra = rec.object(self.extra_key, default={})
            if raw_extra is not MISSING:
                for text, value in raw_extra.items():
                    item = self.parse_extra(rec, text, value)
                    if item is not None:
                        r.extra[text] = item
            parsed.append(r)
        return parsed

    wrong_flag_message = ""

    def parse_extra(self, rec: Record, text: str, value) -> Any:
        raise NotImplementedError

    # -- references (their names come from every entry: syncing.steps.fast_path)
    def load_named(self, project_names, video_uids, group_titles, user_names) -> None:
        """The rows the records name, and what their checks need, in a fixed number of queries."""
        self.projects = load_by(Project.objects.select_related("schema"), "name", project_names)
        self.videos = load_by(Video.objects.only(*VIDEO_FIELDS), "video_uid", video_uids)
        self.groups = load_by(QuestionGroup.objects.all(), "title", group_titles)
        self.users = load_by(User.objects.all(), "user_id", user_names)
        project_ids = [p.pk for p in self.projects.values()]
        group_ids = [g.pk for g in self.groups.values()]
        self.members = set(
            load_cross(
                ProjectVideo.objects.values_list("project_id", "video_id"),
                project_id=project_ids,
                video_id=[v.pk for v in self.videos.values()],
            )
        )
        self.schema_groups = set(
            load_cross(
                SchemaQuestionGroup.objects.values_list("schema_id", "group_id"),
                schema_id=[p.schema_id for p in self.projects.values()],
                group_id=group_ids,
            )
        )
        self.questions: dict[int, list[Question]] = {}
        self.by_text: dict[int, dict[str, Question]] = {}
        links = load_cross(QuestionGroupQuestion.objects.select_related("question"), group_id=group_ids)
        for link in sorted(links, key=lambda link: (link.group_id, link.position)):
            self.questions.setdefault(link.group_id, []).append(link.question)
        for group_id, questions in self.questions.items():
            self.by_text[group_id] = {q.text: q for q in questions}
        # Each question's type, resolved once (None: a qtype no type has, refused where it is used).
        self.kinds: dict[int, QuestionType | None] = {
            q.pk: question_types.find(q.qtype) for questions in self.questions.values() for q in questions
        }
        # Every role row, active or archived, of the users named: "holds or has held" (SYNC-ANN-7).
        self.roles: dict[tuple[int, int], set[str]] = {}
        for project_id, user_id, role in load_cross(
            Assignment.objects.values_list("project_id", "user_id", "role"),
            project_id=project_ids,
            user_id=[u.pk for u in self.users.values()],
        ):
            self.roles.setdefault((project_id, user_id), set()).add(role)

    def resolve(self, r: GroupRecord) -> None:
        """SYNC-ANN-3 references, then the answers against the group (SYNC-ANN-4/5)."""
        rec = r.rec
        if isinstance(r.project_name, str):
            r.project = self.projects.get(r.project_name)
            if r.project is None:
                rec.error(".project_name", f"project {quote(r.project_name)} does not exist")
        if isinstance(r.video_uid, str):
            r.video = self.videos.get(r.video_uid)
            if r.video is None:
                rec.error(".video_uid", f"video {quote(r.video_uid)} does not exist")
            elif r.project is not None and (r.project.id, r.video.id) not in self.members:
                rec.error(".video_uid", f"video {quote(r.video_uid)} is not in project {quote(r.project.name)}")
        if isinstance(r.group_title, str):
            r.group = self.groups.get(r.group_title)
            if r.group is None:
                rec.error(".question_group_title", f"question group {quote(r.group_title)} does not exist")
            elif r.project is not None and (r.project.schema_id, r.group.id) not in self.schema_groups:
                rec.error(
                    ".question_group_title",
                    f"question group {quote(r.group_title)} is not in schema {quote(r.project.schema.name)} "
                    f"of project {quote(r.project.name)}",
                )
                r.group = None
        if isinstance(r.user_name, str):
            r.user = self.users.get(r.user_name)
            if r.user is None:
                rec.error(".user_name", f"user {quote(r.user_name)} does not exist")
        if r.group is not None:
            self.check_answers(r)
        elif r.answers is not MISSING:
            for text, value in r.answers.items():  # no group, so no question type to check the value against
                if not isinstance(value, str | list):
                    rec.error(path("answers", text), f"must be a string or a list, got {json_type(value)}")
        self.check_extra(r)

    def kind_of(self, rec: Record, where: str, question: Question) -> QuestionType | None:
        """The question's type; None, with an error at `where`, for a qtype no type has (never a description)."""
        kind = self.kinds.get(question.pk)
        if kind is None:
            rec.error(where, f"question {quote(question.text)}: {question_types.unknown_problem(question.qtype)}")
        return kind

    def group_questions(self, r: GroupRecord) -> dict[str, Question]:
        return self.by_text.get(r.group.id, {})

    def not_in_group(self, r: GroupRecord, text: str) -> str:
        return f"{quote(text)} is not a question of question group {quote(r.group.title)}"

    def check_answers(self, r: GroupRecord) -> None:
        rec, by_text = r.rec, self.group_questions(r)
        if r.answers is not MISSING:
            if r.answers.keys() != by_text.keys():
                missing = [text for text in by_text if text not in r.answers]
                unexpected = [text for text in r.answers if text not in by_text]
                parts = ([f"missing: {quoted(missing)}"] if missing else []) + (
                    [f"unexpected: {quoted(unexpected)}"] if unexpected else []
                )
                rec.error(".answers", "; ".join(parts))
            stored = {}
            for text, value in r.answers.items():
                question = by_text.get(text)
                where = path("answers", text)
                kind = self.kind_of(rec, where, question) if question is not None else None
                if kind is None:
                    continue
                stored[text] = self.stored(rec, where, kind, question, value)
            # What is compared and written from now on: each value in its stored form.
            r.answers = {text: stored.get(text, value) for text, value in r.answers.items()}
        for text in r.scores:
            if text not in by_text:
                rec.error(path("confidence_scores", text), self.not_in_group(r, text))

    @staticmethod
    def stored(rec: Record, where: str, kind: QuestionType, question: Question, value):
        """The value in its stored form (a list becomes its canonical text); MISSING after the problem."""
        value = stored_value(rec, where, kind, question, value)
        if value is MISSING:
            return MISSING
        if not kind.accepts(question, value):
            rec.error(where, option_problem(question, value))
            return MISSING
        if not kind.value_is_text and len(value) > MAX_ANSWER_LENGTH:  # a string's length is checked in parse
            rec.error(where, f"is {len(value):,} characters long when stored; at most 10,000 allowed")
            return MISSING
        return value

    def check_extra(self, r: GroupRecord) -> None:
        raise NotImplementedError

    # -- rules for changing records (SYNC-GEN-10)
    def check_active(self, r: GroupRecord, what: str) -> None:
        """DM-ARCH-3: nothing is written in an archived project, on an archived video, by an archived user."""
        if not r.project.is_active:
            r.rec.error(".project_name", f"project {quote(r.project.name)} is archived; {what} cannot change in it")
        if not r.video.is_active:
            r.rec.error(".video_uid", f"video {quote(r.video.video_uid)} is archived; {what} cannot change on it")
        if not r.user.is_active:
            r.rec.error(".user_name", f"user {quote(r.user.user_id)} is archived and cannot change {what}")

    def held(self, project: Project, user: User, roles) -> bool:
        """The user holds or has held one of `roles` in the project (an active or archived row)."""
        return not self.roles.get((project.id, user.id), set()).isdisjoint(roles)

    def check_verification(self, r: GroupRecord) -> None:
        try:
            verify_answers(self.run.registry, r.group.verification_function, r.answers)
        except VerificationFailed as exc:
            r.rec.error(".answers", str(exc))

    def progress(self, done: int, total: int) -> None:
        """SYNC-OUT-7: a progress line on a terminal; `done == total` ends it."""
        if self.run.progress is not None:
            self.run.progress.tick(done, total)
            if done == total:
                self.run.progress.done()

    def valid_records(self) -> list[GroupRecord]:
        # Records that pass every check at a glance are built directly; the rest take the full checks
        # below, which report each problem (issue 13: an error object only when something is wrong).
        entries = self.entries
        fast, self.entries = split_fast_records(self)
        try:
            records = self.parse()
        finally:
            self.entries = entries
        for r in records:
            self.resolve(r)
        if fast and records:
            position = {id(entry): i for i, entry in enumerate(entries)}
            records = sorted([*records, *fast], key=lambda r: position[id(r.rec.entry)])
        elif fast:
            records = fast
        if self.run.progress is not None:
            self.run.progress.start(self.table)
        return [r for r in records if r.ok]


@dataclass(slots=True)
class Review:
    status: str
    reviewer_name: str | None


# Existing answers and reviews as plain tuples, one query per table (no review join on the answers): a
# re-sync compares ~500,000 answers, and tuples load several times faster than model instances.
# What is written, as plain tuples (syncing.table_writer).
ANSWER_COLUMNS = (*ANSWER_KEY, "value", "confidence_score", "created_at", "modified_at")
REVIEW_COLUMNS = ("answer_id", "status", "reviewer_id", "reviewed_at")


class Step(GroupRecordStep):
    kind = "annotations"
    table = "annotations"
    is_ground_truth = False
    extra_key = "reviews"
    what = "annotation"
    key_fields = "(project, video, group, user)"
    wrong_flag_message = "must be false for annotations; load ground truth with sync_ground_truths"

    def key_parts(self, project, video, group, user) -> tuple:
        return (project, video, group, user)

    def parse_extra(self, rec: Record, text: str, value):
        """SYNC-ANN-6: exactly {status, reviewer_name}; pending needs no reviewer."""
        where = path("reviews", text)
        value = exact_keys(rec, value, where, ("status", "reviewer_name"))
        if value is None:
            return None
        status, reviewer = value["status"], value["reviewer_name"]
        if not isinstance(status, str):
            rec.error(f"{where}.status", f"must be a string, got {json_type(status)}")
            return None
        if status not in REVIEW_STATUSES:
            rec.error(f"{where}.status", f"{quote(status)} is not a review status ({', '.join(REVIEW_STATUSES)})")
            return None
        if reviewer is None and status != "pending":
            rec.error(f"{where}.reviewer_name", 'must name the reviewer; only a "pending" review may leave it null')
            return None
        if reviewer is not None and not isinstance(reviewer, str):
            rec.error(f"{where}.reviewer_name", f"must be a string or null, got {json_type(reviewer)}")
            return None
        return Review(status, reviewer if status != "pending" else None)

    def check_extra(self, r: GroupRecord) -> None:
        by_text = self.group_questions(r) if r.group is not None else None
        for text, review in r.extra.items():
            where = path("reviews", text)
            if by_text is not None:
                question = by_text.get(text)
                if question is None:
                    r.rec.error(where, self.not_in_group(r, text))
                elif (kind := self.kind_of(r.rec, where, question)) is not None and not kind.is_reviewed:
                    r.rec.error(
                        where,
                        f"question {quote(text)} is a {kind.noun} question; only description answers are reviewed",
                    )
            if review.reviewer_name is not None and review.reviewer_name not in self.users:
                r.rec.error(f"{where}.reviewer_name", f"user {quote(review.reviewer_name)} does not exist")

    def load_existing(self, records: list[GroupRecord]) -> tuple[dict, dict]:
        """Answers by (project, video, question, user) -> (id, value, score); reviews by answer id."""
        project_ids = {r.project.id for r in records}
        existing = {
            row[:4]: row[4:]
            for row in load_cross(
                Answer.objects.values_list(*ANSWER_KEY, *ANSWER_ROW),
                project_id=project_ids,
                video_id={r.video.id for r in records},
                user_id={r.user.id for r in records},
            )
        }
        reviews = {}
        if existing:
            for answer_id, *review in load_cross(
                AnswerReview.objects.values_list(*REVIEW_ROW), answer__project_id=project_ids
            ):
                reviews[answer_id] = tuple(review)
        return existing, reviews

    def forward(self) -> None:
        records = self.valid_records()
        existing, reviews = self.load_existing(records)
        creates: list[tuple] = []  # ANSWER_KEY + (value, score, review | None)
        updates: list[tuple] = []
        review_deletes: list[int] = []
        review_updates: list[tuple] = []
        review_creates: list[tuple] = []
        n_questions = {group_id: len(questions) for group_id, questions in self.questions.items()}
        self.question_keys = {group_id: [(q.id, q.text) for q in qs] for group_id, qs in self.questions.items()}
        total = len(records)
        for done, r in enumerate(records, 1):
            if done % 256 == 0 or done == total:
                self.progress(done, total)
            planned = self.plan(r, existing, reviews)
            if planned is None:
                self.result("unchanged", r.rec.key)
                continue
            plan, fields = planned
            self.check_changing(r, plan)
            if not r.ok:
                continue
            project_id, video_id, user_id = r.project.id, r.video.id, r.user.id
            self.run.touched_projects.add(project_id)
            creates += [(project_id, video_id, q, user_id, *rest) for q, *rest in plan.creates]
            updates += plan.updates
            review_deletes += plan.review_deletes
            review_updates += plan.review_updates
            review_creates += plan.review_creates
            if plan.creates and len(plan.creates) == n_questions[r.group.id]:
                self.result("created", r.rec.key)
            else:
                self.result("updated", r.rec.key, fields)
        self.write(creates, updates, review_deletes, review_updates, review_creates)

    def write(self, creates, updates, review_deletes, review_updates, review_creates) -> None:
        """Answers first, then reviews (SYNC-ANN-8); a changed value has dropped its review (DM-REV-3)."""
        now, writer = self.run.now, table_writer()
        reviewed = [row for row in creates if row[-1] is not None]
        plain = [(*row[:-1], now, now) for row in creates if row[-1] is None]
        ids = writer.new_ids(Answer, len(reviewed))  # the new reviews reference these answers
        with writer.large_load(Answer, len(creates)):
            # Numbered rows first: on SQLite the others then take ids after them.
            numbered = [(i, *row[:-1], now, now) for i, row in zip(ids, reviewed, strict=True)]
            writer.insert(Answer, ("id", *ANSWER_COLUMNS), numbered)
            writer.insert(Answer, ANSWER_COLUMNS, plain)
        writer.update(Answer, ("value", "confidence_score", "modified_at"), [(*row, now) for row in updates])
        writer.delete(AnswerReview, review_deletes)
        writer.update(AnswerReview, REVIEW_COLUMNS[1:], [(*row, now) for row in review_updates])
        review_creates += [(i, *row[-1]) for i, row in zip(ids, reviewed, strict=True)]
        with writer.large_load(AnswerReview, len(review_creates)):
            writer.insert(AnswerReview, REVIEW_COLUMNS, [(*row, now) for row in review_creates])

    def plan(self, r: GroupRecord, existing: dict, reviews: dict) -> tuple[AnswerPlan, list[str]] | None:
        """What the record changes (SYNC-ANN-8, annotation.planning.answers), with the report's fields.

        None when nothing changes: the common case of a re-sync allocates nothing per record.
        """
        listed = None
        if r.extra:
            users = self.users
            listed = {
                text: None if review.status == "pending" else (review.status, users[review.reviewer_name].id)
                for text, review in r.extra.items()
            }
        plan = plan_answers(
            scope=(r.project.id, r.video.id, r.user.id),
            questions=self.question_keys[r.group.id],
            values=r.answers,
            scores=r.scores,
            reviews=listed,
            existing=existing,
            stored_reviews=reviews,
        )
        if plan is None:
            return None
        fields = [f"answers[{quote(text)}]" for text in plan.value_changes]
        if plan.scores_changed:
            fields.append("confidence_scores")
        if plan.reviews_changed:
            fields.append("reviews")
        return plan, fields

    def check_changing(self, r: GroupRecord, plan: AnswerPlan) -> None:
        """SYNC-ANN-7, against the creation-time state."""
        self.check_active(r, "answers")
        rec, project = r.rec, r.project
        if not (self.held(project, r.user, ANY_ROLE) or r.user.is_global_admin):
            rec.error(
                ".user_name",
                f"user {quote(r.user.user_id)} holds no role in project {quote(project.name)}, "
                "active or archived; assign one first",
            )
        for text, review in r.extra.items():
            if review.reviewer_name is None:
                continue
            reviewer = self.users[review.reviewer_name]
            if not (self.held(project, reviewer, (Role.REVIEWER, Role.ADMIN)) or reviewer.is_global_admin):
                rec.error(
                    path("reviews", text, "reviewer_name"),
                    f"user {quote(reviewer.user_id)} holds no reviewer or admin role in project "
                    f"{quote(project.name)} and is not a global admin",
                )
            elif not reviewer.is_active and text in plan.reviews_written:
                rec.error(
                    path("reviews", text, "reviewer_name"),
                    f"user {quote(reviewer.user_id)} is archived and cannot review",
                )
        self.check_verification(r)
