"""question_groups/*.json / sync_question_groups: questions first, then groups (SYNC-QG-1..7).

One input kind fills two report tables. Step 1 creates and updates questions, matched by text;
step 2 creates and updates groups, matched by title. A question shared by several groups of the
batch must be defined the same way everywhere (SYNC-QG-3), so each text has one target state.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from catalog import question_types
from catalog.models import CustomDisplay, Question, QuestionGroup, QuestionGroupQuestion, SchemaQuestionGroup
from catalog.question_activity import refresh_question_activity
from catalog.set_rules import (
    archive_problem,
    auto_submit_problem,
    custom_display_problem,
    default_option_problem,
    distinct_values_problems,
    kept_weights,
    lost_default_problem,
    moved_options_problem,
    non_reusable_problem,
    qtype_change_problem,
    removed_options_problem,
    verification_problem,
    weight_problem,
)
from catalog.validation import natural_key_problem
from syncing.errors import quote
from syncing.records import MISSING, Duplicates, Record, json_type, stored_value
from syncing.steps.base import WRITE_BATCH, BaseStep, chunks, load_by

GROUP_KEYS = (
    "title",
    "display_title",
    "description",
    "is_reusable",
    "is_auto_submit",
    "verification_function",
    "questions",
)
# The definition of a question, compared across groups of a batch (SYNC-QG-3) and against the database.
DEFINITION = ("qtype", "display_text", "options", "display_values", "option_weights", "default_option")
QUESTION_FIELDS = DEFINITION[1:]  # qtype never changes (DM-Q-4)
GROUP_FIELDS = ("display_title", "description", "is_reusable", "is_auto_submit", "verification_function")


@dataclass
class QuestionDef:
    position: int
    text: str
    qtype: str
    display_text: str
    options: list[str] | None
    display_values: list[str] | None
    given_weights: list[float] | None  # None when option_weights is omitted
    default_option: str | None
    option_weights: list[float] | None = None  # after defaults (SYNC-QG-4), set once the database is read

    @property
    def path(self) -> str:
        return f".questions[{self.position}]"


@dataclass
class GroupRecord:
    rec: Record
    title: str
    display_title: str
    description: str
    is_reusable: bool
    is_auto_submit: bool
    verification_function: str | None
    is_active: bool | None  # None: absent, a new group is active and an existing one keeps its state
    questions: list[QuestionDef]
    group: QuestionGroup | None = None
    final_active: bool = True
    fields: list[str] = field(default_factory=list)


@dataclass
class _GroupPlan:
    """What the groups of a batch need written, gathered before any group is written."""

    new: list[QuestionGroup] = field(default_factory=list)
    changed: list[QuestionGroup] = field(default_factory=list)  # existing groups with new fields or unarchived
    order_links: list[QuestionGroupQuestion] = field(default_factory=list)  # links whose position changes
    activate: list[Question] = field(default_factory=list)  # questions of created and unarchived groups


# The default keys of every type: a type's definition naming another type's gets a hint on its unexpected key.
DEFAULT_KEYS = frozenset(kind.default_key for kind in question_types.all())


@dataclass(frozen=True)
class _Options:
    """What `to_stored` reads of a question: its options (the definition being parsed has no row yet)."""

    options: list[str]


def _shown(q: QuestionDef, name: str) -> str:
    """A definition field as the report names it: the default under its type's key ("default_options")."""
    return question_types.get(q.qtype).default_key if name == "default_option" else name


def _quoted(values) -> str:
    return ", ".join(quote(v) for v in values)


class _Question:
    """Shape and value checks of one question object inside a group record (SYNC-QG-2, DM-Q-2/3)."""

    def __init__(self, rec: Record, data: dict, path: str):
        self.rec, self.data, self.path, self.ok = rec, data, path, True

    def error(self, field: str, message: str) -> None:
        self.ok = False
        self.rec.error(self.path + field, message)

    def string(self, name: str, *, nullable=False, natural_key=False, nonempty=False):
        if name not in self.data:
            return MISSING
        value = self.data[name]
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            self.error(f".{name}", f"must be a string{' or null' if nullable else ''}, got {json_type(value)}")
            return MISSING
        problem = (
            natural_key_problem(value) if natural_key else ("must not be empty" if nonempty and not value else None)
        )
        if problem:
            self.error(f".{name}", problem)
            return MISSING
        return value

    def labels(self, name: str, length: int | None):
        """`options` or `display_values`: unique non-empty strings, parallel to the options."""
        if name not in self.data:
            return MISSING
        values = self.data[name]
        if not isinstance(values, list):
            self.error(f".{name}", f"must be a list, got {json_type(values)}")
            return MISSING
        if not values:
            self.error(f".{name}", "must not be empty")
            return MISSING
        good = True
        for i, problem in distinct_values_problems(values):
            self.error(f".{name}[{i}]", problem)
            good = False
        if length is not None and len(values) != length:
            self.error(f".{name}", f"has {len(values)} entries; options has {length}")
            good = False
        return list(values) if good else MISSING

    def weights(self, length: int | None):
        if "option_weights" not in self.data:
            return None
        values = self.data["option_weights"]
        if not isinstance(values, list):
            self.error(".option_weights", f"must be a list, got {json_type(values)}")
            return MISSING
        good = True
        for i, value in enumerate(values):
            if problem := weight_problem(value):
                self.error(f".option_weights[{i}]", problem)
                good = False
        if length is not None and len(values) != length:
            self.error(".option_weights", f"has {len(values)} entries; options has {length}")
            good = False
        return [float(v) for v in values] if good else MISSING

    def default(self, kind, text, options):
        """The default answer, under the type's key (`default_option`, or `default_options` for a list), in its
        stored form (DM-Q-3); None when absent or null."""
        name = kind.default_key
        if name not in self.data or self.data[name] is None:
            return None
        if kind.value_is_text:
            default = self.string(name, nullable=True)
            if kind.has_options and isinstance(default, str) and options is not MISSING:
                problem = default_option_problem(text if text is not MISSING else None, default, options)
                if problem:
                    self.error(f".{name}", problem)
            return default
        if options is MISSING:
            return MISSING  # the options' own problem is reported
        return stored_value(self, f".{name}", kind, _Options(options), self.data[name])

    def parse(self, position: int) -> QuestionDef | None:
        text = self.string("text", natural_key=True)
        qtype = self.data.get("qtype", MISSING)
        kind = question_types.find(qtype)
        if "qtype" not in self.data:
            self.error(".qtype", "is required")
        elif kind is None:
            shown = quote(qtype) if isinstance(qtype, str) else json_type(qtype)
            self.error(".qtype", f"{shown} is not a question type ({', '.join(question_types.names())})")
        if kind is None:
            return None
        required, optional = kind.required_keys, kind.optional_keys
        for name in required:
            if name not in self.data:
                self.error(f".{name}", "is required")
        for name in self.data:
            if name not in required and name not in optional:
                hint = f" (a {kind.noun} question takes {quote(kind.default_key)})" if name in DEFAULT_KEYS else ""
                self.error("", f"unexpected key {quote(name)}{hint}")
        display_text = self.string("display_text", nonempty=True)
        options, display_values, weights = kind.read_definition(self)
        default = self.default(kind, text, options)
        if not self.ok:
            return None
        return QuestionDef(position, text, qtype, display_text, options, display_values, weights, default)


class Step(BaseStep):
    kind = "question_groups"
    table = "question groups"

    def __init__(self, run, entries):
        super().__init__(run, entries)
        self.report.saw("questions")
        self.to_archive: list[GroupRecord] = []

    # ------------------------------------------------------------------ parsing

    def parse(self) -> list[GroupRecord]:
        titles, display_titles = Duplicates("title"), Duplicates("display title")
        parsed = []
        for entry in self.entries:
            rec = self.record(entry)
            if not isinstance(entry.data, dict):
                continue
            title = rec.string("title", natural_key=True, max_length=255)
            if title is not MISSING:
                rec.key = title
            rec.keys(GROUP_KEYS, ("is_active",))
            display_title = rec.string("display_title", natural_key=True, max_length=255)
            description = rec.string("description", nullable=True)
            is_reusable = rec.boolean("is_reusable")
            is_auto_submit = rec.boolean("is_auto_submit")
            verification = rec.string("verification_function", nullable=True, max_length=255)
            is_active = rec.boolean("is_active", default=None)
            questions = self.parse_questions(rec, rec.list("questions", nonempty=True))
            if title is not MISSING:
                titles.check(rec, title, ".title")
            if display_title is not MISSING:
                display_titles.check(rec, display_title, ".display_title")
            if rec.ok:
                parsed.append(
                    GroupRecord(
                        rec,
                        title,
                        display_title,
                        description or "",
                        is_reusable,
                        is_auto_submit,
                        verification or None,  # "" means none (DM-QG-1)
                        is_active,
                        questions,
                    )
                )
        return parsed

    def parse_questions(self, rec: Record, items) -> list[QuestionDef]:
        if items is MISSING:
            return []
        questions, first = [], {}
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                rec.error(f".questions[{i}]", f"expected an object, got {json_type(item)}")
                continue
            q = _Question(rec, item, f".questions[{i}]").parse(i)
            if q is None:
                continue
            if q.text in first:  # DM-QG-2, SYNC-QG-3
                rec.error(
                    f"{q.path}.text", f"question {quote(q.text)} appears twice in this group; first at {first[q.text]}"
                )
                continue
            first[q.text] = q.path
            questions.append(q)
        return questions

    # ------------------------------------------------------------------ step 1: questions

    def check_questions(self, records: list[GroupRecord], existing: dict[str, Question]) -> dict[str, QuestionDef]:
        """SYNC-QG-3/4: resolve weights, compare shared definitions, refuse qtype changes and removals."""
        first: dict[str, tuple[GroupRecord, QuestionDef]] = {}
        for r in records:
            for q in r.questions:
                old = existing.get(q.text)
                kind = question_types.get(q.qtype)  # parse refused any other qtype
                if kind.has_options:
                    stored = old.weights() if old is not None and old.qtype == q.qtype else {}
                    q.option_weights = kept_weights(q.options, q.given_weights, stored)
                if old is not None and (problem := qtype_change_problem(q.text, old.qtype, q.qtype)):
                    r.rec.error(f"{q.path}.qtype", problem)
                elif old is not None and (problem := self.options_problem(kind, q, old)):
                    r.rec.error(f"{q.path}.options", problem)
                if q.text not in first:
                    first[q.text] = (r, q)
                    continue
                other_r, other = first[q.text]
                differing = [_shown(q, name) for name in DEFINITION if getattr(q, name) != getattr(other, name)]
                if differing:
                    r.rec.error(
                        q.path,
                        f"question {quote(q.text)} is defined differently in group {quote(other_r.title)}: "
                        + ", ".join(differing),
                    )
        return {text: q for text, (_, q) in first.items()}

    @staticmethod
    def options_problem(kind, q: QuestionDef, old: Question) -> str | None:
        """DM-Q-4: the stored options stay (append-only); a set type's also keep their order, in which its
        stored answers list them (issue 15)."""
        if not kind.has_options:
            return None
        problem = removed_options_problem(q.text, old.options, q.options)
        if problem is None and kind.fixed_option_order:
            problem = moved_options_problem(q.text, old.options, q.options)
        return problem

    @staticmethod
    def question_changes(target: QuestionDef, old: Question | None) -> list[str]:
        if old is None:
            return []
        return [_shown(target, name) for name in QUESTION_FIELDS if getattr(old, name) != getattr(target, name)]

    def check_auto_submit_elsewhere(
        self, records: list[GroupRecord], existing: dict[str, Question], containing: dict[int, list[QuestionGroup]]
    ) -> None:
        """DM-QG-4 for groups outside the batch: a question they share may not lose its default."""
        batch_titles = {r.title for r in records}
        for r in records:
            for q in r.questions:
                old = existing.get(q.text)
                if old is None or q.default_option is not None or old.default_option is None:
                    continue
                blocking = [
                    g.title for g in containing.get(old.pk, []) if g.is_auto_submit and g.title not in batch_titles
                ]
                if problem := lost_default_problem(q.text, blocking):
                    r.rec.error(f"{q.path}.{question_types.get(q.qtype).default_key}", problem)

    # ------------------------------------------------------------------ step 2: groups

    def forward(self) -> None:
        records = self.parse()
        existing_q = load_by(Question.objects.all(), "text", {q.text for r in records for q in r.questions})
        targets = self.check_questions(records, existing_q)
        question_changes = {text: self.question_changes(q, existing_q.get(text)) for text, q in targets.items()}

        groups = load_by(QuestionGroup.objects.all(), "title", [r.title for r in records])
        by_display = load_by(QuestionGroup.objects.all(), "display_title", [r.display_title for r in records])
        members: dict[int, list[QuestionGroupQuestion]] = defaultdict(list)
        for batch in chunks([g.pk for g in groups.values()]):
            for link in QuestionGroupQuestion.objects.filter(group_id__in=batch).select_related("question"):
                members[link.group_id].append(link)
        containing: dict[int, list[QuestionGroup]] = defaultdict(list)
        for batch in chunks([q.pk for q in existing_q.values()]):
            for link in QuestionGroupQuestion.objects.filter(question_id__in=batch).select_related("group"):
                containing[link.question_id].append(link.group)
        self.check_auto_submit_elsewhere(records, existing_q, containing)

        records = [r for r in records if r.rec.ok]
        displays = self.custom_displays(records, groups, existing_q)
        schemas = self.schemas_of(records, groups)
        final_display = {r.title: r.display_title for r in records}
        for r in records:
            r.group = groups.get(r.title)
            self.check_display_title(r, by_display, final_display)
            if r.group is None:
                self.check_new(r, existing_q, displays)
            else:
                self.check_update(r, members[r.group.pk], question_changes, schemas, displays)

        valid = [r for r in records if r.rec.ok]
        self.report_questions(valid, existing_q, question_changes)
        self.write(valid, targets, existing_q, question_changes, members, by_display)

    def check_display_title(self, r: GroupRecord, by_display: dict, final_display: dict) -> None:
        """Display titles are unique among all groups in the final state, so swaps are fine (SYNC-QG-5/6)."""
        owner = by_display.get(r.display_title)
        if owner is None or owner.title == r.title:
            return
        if final_display.get(owner.title, owner.display_title) == r.display_title:
            r.rec.error(
                ".display_title",
                f"display title {quote(r.display_title)} is already used by group {quote(owner.title)}",
            )

    def check_new(self, r: GroupRecord, existing_q: dict, displays: dict) -> None:
        r.final_active = True if r.is_active is None else r.is_active
        self.check_auto_submit(r)
        if r.is_reusable:
            self.check_reusable(r, existing_q, displays)
        self.check_verification(r)

    def check_update(self, r: GroupRecord, links: list, question_changes: dict, schemas: dict, displays: dict) -> None:
        group = r.group
        r.final_active = group.is_active if r.is_active is None else r.is_active
        current = [link.question.text for link in sorted(links, key=lambda link: link.position)]
        wanted = [q.text for q in r.questions]
        current_set, wanted_set = set(current), set(wanted)
        missing = [t for t in current if t not in wanted_set]
        extra = [t for t in wanted if t not in current_set]
        if missing or extra:  # DM-QG-3
            parts = ["question set must remain the same"]
            parts += [f"missing: {_quoted(missing)}"] if missing else []
            parts += [f"extra: {_quoted(extra)}"] if extra else []
            r.rec.error(".questions", "; ".join(parts))
            return
        r.fields = [name for name in GROUP_FIELDS if getattr(group, name) != getattr(r, name)]
        if current != wanted:
            r.fields.append("question order")
        changes_question = any(question_changes.get(t) for t in wanted)
        if not (r.fields or changes_question or r.final_active != group.is_active):
            return  # unchanged records are always accepted (SYNC-GEN-10)
        if group.is_reusable and not r.is_reusable and (problem := non_reusable_problem(schemas.get(group.pk, []))):
            r.rec.error(".is_reusable", problem)
        if r.is_reusable and not group.is_reusable:
            self.check_reusable(r, {link.question.text: link.question for link in links}, displays)
        if r.is_auto_submit:
            self.check_auto_submit(r)
        self.check_verification(r)

    def check_auto_submit(self, r: GroupRecord) -> None:
        """DM-QG-4: every question of an auto-submit group has a default option ("" counts)."""
        if not r.is_auto_submit:
            return
        if problem := auto_submit_problem([q.text for q in r.questions if q.default_option is None]):
            r.rec.error(".is_auto_submit", problem)

    def check_reusable(self, r: GroupRecord, questions: dict[str, Question], displays: dict) -> None:
        """DM-QG-5: a reusable group looks the same everywhere, so none of its questions has a custom display."""
        triples = [t for q in r.questions if q.text in questions for t in displays.get(questions[q.text].pk, [])]
        if problem := custom_display_problem(triples):
            r.rec.error(".is_reusable", problem)

    def check_verification(self, r: GroupRecord) -> None:
        """DM-QG-7: checked for records that create or change something (SYNC-GEN-10)."""
        if problem := verification_problem(r.verification_function, self.run.registry.functions):
            r.rec.error(".verification_function", problem)

    def custom_displays(self, records: list[GroupRecord], groups: dict, existing_q: dict) -> dict[int, list[str]]:
        """question id -> "project / video / question" of its custom displays, for groups becoming reusable."""
        ids = {
            existing_q[q.text].pk
            for r in records
            if r.is_reusable and not (r.title in groups and groups[r.title].is_reusable)
            for q in r.questions
            if q.text in existing_q
        }
        found: dict[int, list[str]] = defaultdict(list)
        for batch in chunks(ids):
            rows = CustomDisplay.objects.filter(question_id__in=batch).values_list(
                "question_id", "project__name", "video__video_uid", "question__text"
            )
            for question_id, project, video, text in rows:
                found[question_id].append(f"{project} / {video} / {text}")
        return found

    def schemas_of(self, records: list[GroupRecord], groups: dict) -> dict[int, list[str]]:
        """group id -> names of the schemas (active or archived) containing it, for groups becoming non-reusable."""
        ids = [
            groups[r.title].pk
            for r in records
            if r.title in groups and groups[r.title].is_reusable and not r.is_reusable
        ]
        found: dict[int, list[str]] = defaultdict(list)
        for batch in chunks(ids):
            for group_id, name in SchemaQuestionGroup.objects.filter(group_id__in=batch).values_list(
                "group_id", "schema__name"
            ):
                found[group_id].append(name)
        return found

    # ------------------------------------------------------------------ report and write

    def report_questions(self, valid: list[GroupRecord], existing_q: dict, question_changes: dict) -> None:
        reported = set()
        for r in valid:
            for q in r.questions:
                if q.text in reported:
                    continue
                reported.add(q.text)
                if q.text not in existing_q:
                    self.result("created", q.text, table="questions")
                elif question_changes[q.text]:
                    self.result("updated", q.text, question_changes[q.text], table="questions")
                else:
                    self.result("unchanged", q.text, table="questions")

    def write(self, valid, targets, existing_q, question_changes, members, by_display) -> None:
        """Questions first, then groups, then their links; the order of the writes is pinned by the query counts."""
        new_questions, changed_questions = self.plan_questions(valid, targets, existing_q, question_changes)
        Question.objects.bulk_create(new_questions, batch_size=WRITE_BATCH)
        question_of = dict(existing_q)
        question_of.update(self._reload(Question, "text", new_questions))
        plan = self.plan_groups(valid, members, question_of)
        self.update_questions(changed_questions)
        self.update_groups(valid, plan.changed, by_display)
        self.create_groups(valid, plan.new, question_of)
        QuestionGroupQuestion.objects.bulk_update(plan.order_links, ["position"], batch_size=WRITE_BATCH)
        # DM-Q-6: the questions of created and unarchived groups are in an active group now.
        refresh_question_activity([question.pk for question in plan.activate], now=self.run.now)

    @staticmethod
    def plan_questions(valid, targets, existing_q, question_changes) -> tuple[list[Question], dict[int, Question]]:
        """New questions and changed ones (by id): one target state per text, shared by every group of the batch."""
        texts = list(dict.fromkeys(q.text for r in valid for q in r.questions))
        new_questions, changed_questions = [], {}
        for text in texts:
            target, old = targets[text], existing_q.get(text)
            if old is None:
                new_questions.append(
                    Question(
                        text=text,
                        qtype=target.qtype,
                        is_active=False,  # in no group yet; refresh_question_activity activates it (DM-Q-6)
                        **{n: getattr(target, n) for n in QUESTION_FIELDS},
                    )
                )
            elif question_changes[text]:
                for name in QUESTION_FIELDS:
                    setattr(old, name, getattr(target, name))
                changed_questions[old.pk] = old
        return new_questions, changed_questions

    def plan_groups(self, valid, members, question_of) -> _GroupPlan:
        """Each record's group action, reported in record order; new groups are built, existing ones changed in
        memory."""
        plan = _GroupPlan()
        for r in valid:
            self.intend(r.title, r.final_active)
            if r.group is None:
                self.plan_new_group(r, plan, question_of)
            else:
                self.plan_existing_group(r, plan, members[r.group.pk], question_of)
        return plan

    def plan_new_group(self, r: GroupRecord, plan: _GroupPlan, question_of) -> None:
        plan.new.append(
            QuestionGroup(title=r.title, is_active=True, **{name: getattr(r, name) for name in GROUP_FIELDS})
        )
        self.result("created", r.title, note="" if r.final_active else "(archived)")
        if not r.final_active:
            self.to_archive.append(r)
        plan.activate += [question_of[q.text] for q in r.questions]

    def plan_existing_group(self, r: GroupRecord, plan: _GroupPlan, links, question_of) -> None:
        group = r.group
        for name in GROUP_FIELDS:
            setattr(group, name, getattr(r, name))
        if "question order" in r.fields:
            position = {q.text: q.position for q in r.questions}
            for link in links:
                link.position = position[link.question.text]
                plan.order_links.append(link)
        action = "updated" if r.fields else "unchanged"
        if r.final_active and not group.is_active:
            action, group.is_active = "unarchived", True
            plan.activate += [question_of[q.text] for q in r.questions]
        elif not r.final_active and group.is_active:
            action = "archived"
            self.to_archive.append(r)
        if r.fields or action == "unarchived":
            group.updated_at = self.run.now
            plan.changed.append(group)
        self.result(action, r.title, r.fields)

    def update_questions(self, changed_questions: dict[int, Question]) -> None:
        for question in changed_questions.values():
            question.updated_at = self.run.now
        Question.objects.bulk_update(
            list(changed_questions.values()), [*QUESTION_FIELDS, "updated_at"], batch_size=WRITE_BATCH
        )

    @staticmethod
    def update_groups(valid, changed_groups: list[QuestionGroup], by_display) -> None:
        """Existing groups first, so a new group may take a display title another group gives up. When a
        title moves between existing groups, every renamed group first takes a temporary title, so
        neither a swap nor a chain trips the unique constraint mid-statement."""
        moving = [r.group for r in valid if r.group is not None and "display_title" in r.fields]
        if any(by_display.get(g.display_title, g).pk != g.pk for g in moving):
            final = {g.pk: g.display_title for g in moving}
            for g in moving:
                g.display_title = f"__moving__/{g.pk}"
            QuestionGroup.objects.bulk_update(moving, ["display_title"], batch_size=WRITE_BATCH)
            for g in moving:
                g.display_title = final[g.pk]
        QuestionGroup.objects.bulk_update(
            changed_groups, [*GROUP_FIELDS, "is_active", "updated_at"], batch_size=WRITE_BATCH
        )

    def create_groups(self, valid, new_groups: list[QuestionGroup], question_of) -> None:
        """The new groups, then their question links in the records' order."""
        QuestionGroup.objects.bulk_create(new_groups, batch_size=WRITE_BATCH)
        created = self._reload(QuestionGroup, "title", new_groups)
        for r in valid:
            if r.group is None:
                r.group = created[r.title]
        QuestionGroupQuestion.objects.bulk_create(
            [
                QuestionGroupQuestion(group=r.group, question=question_of[q.text], position=q.position)
                for r in valid
                if r.title in created
                for q in r.questions
            ],
            batch_size=WRITE_BATCH,
        )

    @staticmethod
    def _reload(model, key: str, objects: list) -> dict:
        """Created rows by natural key, with their ids (reloaded where the backend returns none)."""
        if all(obj.pk is not None for obj in objects):
            return {getattr(obj, key): obj for obj in objects}
        return load_by(model.objects.all(), key, [getattr(obj, key) for obj in objects])

    # ------------------------------------------------------------------ archive pass (SYNC-QG-7)

    def archive(self) -> None:
        if not self.to_archive:
            return
        using: dict[int, list[str]] = defaultdict(list)
        for batch in chunks([r.group.pk for r in self.to_archive]):
            for link in SchemaQuestionGroup.objects.filter(group_id__in=batch).select_related("schema"):
                # Final state: this runs after the schemas' archive pass; intent covers unarchives.
                if self.run.wants_active("schemas", link.schema.name, link.schema.is_active):
                    using[link.group_id].append(link.schema.name)
        archived = []
        for r in self.to_archive:
            if problem := archive_problem("schemas", using.get(r.group.pk, [])):
                r.rec.error(".is_active", problem)
                continue
            r.group.is_active, r.group.updated_at = False, self.run.now
            archived.append(r.group)
        QuestionGroup.objects.bulk_update(archived, ["is_active", "updated_at"], batch_size=WRITE_BATCH)
        # DM-Q-6: questions that no other active group contains become inactive.
        question_ids = set()
        for batch in chunks([g.pk for g in archived]):
            question_ids.update(
                QuestionGroupQuestion.objects.filter(group_id__in=batch).values_list("question_id", flat=True)
            )
        refresh_question_activity(question_ids, now=self.run.now)
