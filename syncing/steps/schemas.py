"""schemas.json / sync_schemas (SYNC-SCH-1..5, DM-SCH-1..3, DM-QG-6)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from catalog.models import Project, QuestionGroup, QuestionGroupQuestion, Schema, SchemaQuestionGroup
from catalog.set_rules import (
    archive_problem,
    archived_group_problem,
    shared_question_problems,
    taken_group_problem,
    unarchive_groups_problem,
)
from catalog.validation import instructions_url_problem
from syncing.errors import quote
from syncing.records import MISSING, Duplicates, Record, json_type
from syncing.steps.base import WRITE_BATCH, BaseStep, chunks, load_by

KEYS = ("schema_name", "question_group_names", "instructions_url", "has_custom_display", "is_active")
URL_MAX = 2048


@dataclass
class SchemaRecord:
    rec: Record
    name: str
    group_names: list[str]
    instructions_url: str | None
    has_custom_display: bool
    is_active: bool
    schema: Schema | None = None
    groups: list[QuestionGroup] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


def _quoted(values) -> str:
    return ", ".join(quote(v) for v in values)


class Step(BaseStep):
    kind = "schemas"
    table = "schemas"

    def __init__(self, run, entries):
        super().__init__(run, entries)
        self.to_archive: list[SchemaRecord] = []

    def parse(self) -> list[SchemaRecord]:
        names = Duplicates("schema_name")
        parsed = []
        for entry in self.entries:
            rec = self.record(entry)
            if not isinstance(entry.data, dict):
                continue
            name = rec.string("schema_name", natural_key=True, max_length=255)
            if name is not MISSING:
                rec.key = name
            rec.keys(KEYS)
            group_names = self.parse_group_names(rec, rec.list("question_group_names", nonempty=True))
            url = rec.string("instructions_url", nullable=True)
            if url:
                problem = instructions_url_problem(url)
                if problem is None and len(url) > URL_MAX:
                    problem = f"is {len(url)} characters long; at most {URL_MAX} allowed"
                if problem:
                    rec.error(".instructions_url", problem)
            has_custom_display = rec.boolean("has_custom_display")
            is_active = rec.boolean("is_active")
            if name is not MISSING:
                names.check(rec, name, ".schema_name")
            if rec.ok:
                parsed.append(SchemaRecord(rec, name, group_names, url or None, has_custom_display, is_active))
        return parsed

    @staticmethod
    def parse_group_names(rec: Record, items) -> list[str]:
        if items is MISSING:
            return []
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if not isinstance(item, str):
                rec.error(f".question_group_names[{i}]", f"must be a string, got {json_type(item)}")
            elif item in first:
                rec.error(
                    f".question_group_names[{i}]",
                    f"duplicate question group {quote(item)}; first at .question_group_names[{first[item]}]",
                )
            else:
                first[item] = i
        return list(first)

    def forward(self) -> None:
        records = self.parse()
        schemas = load_by(Schema.objects.all(), "name", [r.name for r in records])
        groups = load_by(QuestionGroup.objects.all(), "title", {t for r in records for t in r.group_names})
        group_ids = [g.pk for g in groups.values()]
        current: dict[int, list[SchemaQuestionGroup]] = defaultdict(list)  # schema id -> its links
        used_by: dict[int, set[str]] = defaultdict(set)  # group id -> schemas containing it (DM-QG-6)
        for batch in chunks([s.pk for s in schemas.values()]):
            for link in SchemaQuestionGroup.objects.filter(schema_id__in=batch).select_related("group"):
                current[link.schema_id].append(link)
        for batch in chunks(group_ids):
            for group_id, name in SchemaQuestionGroup.objects.filter(group_id__in=batch).values_list(
                "group_id", "schema__name"
            ):
                used_by[group_id].add(name)
        questions: dict[int, list[str]] = defaultdict(list)  # group id -> question texts (DM-SCH-3)
        if any(r.name not in schemas for r in records):
            for batch in chunks(group_ids):
                for group_id, text in QuestionGroupQuestion.objects.filter(group_id__in=batch).values_list(
                    "group_id", "question__text"
                ):
                    questions[group_id].append(text)

        creates, updates, order_links = [], [], []
        for r in records:
            for i, title in enumerate(r.group_names):
                if title not in groups:
                    r.rec.error(f".question_group_names[{i}]", f"question group {quote(title)} does not exist")
            if not r.rec.ok:
                continue
            r.groups = [groups[t] for t in r.group_names]
            r.schema = schemas.get(r.name)
            if r.schema is None:
                self.check_new(r, used_by, questions)
                if not r.rec.ok:
                    continue
                for group in r.groups:
                    used_by[group.pk].add(r.name)  # later new schemas of the batch see this one
                creates.append(r)
            else:
                self.check_update(r, current[r.schema.pk])
                if not r.rec.ok:
                    continue
                if r.fields or r.is_active != r.schema.is_active:
                    updates.append(r)
                if "group order" in r.fields:
                    position = {t: i for i, t in enumerate(r.group_names)}
                    for link in current[r.schema.pk]:
                        link.position = position[link.group.title]
                        order_links.append(link)
            self.intend(r.name, r.is_active)
            self.report_record(r)
        self.write(creates, updates, order_links)

    def check_new(self, r: SchemaRecord, used_by: dict, questions: dict) -> None:
        """Creation-time checks (SYNC-SCH-2/3): active groups, DM-QG-6, DM-SCH-3."""
        problems = []
        for i, group in enumerate(r.groups):
            others = used_by.get(group.pk, set()) - {r.name}
            problems.append((i, archived_group_problem(group.title, group.is_active)))
            problems.append((i, taken_group_problem(group.title, group.is_reusable, others)))
        problems += shared_question_problems([(g.title, questions.get(g.pk, [])) for g in r.groups])
        for i, problem in sorted(problems, key=lambda p: p[0]):
            if problem:
                r.rec.error(f".question_group_names[{i}]", problem)

    def check_update(self, r: SchemaRecord, links: list[SchemaQuestionGroup]) -> None:
        """SYNC-SCH-4: only the order, the instructions URL, custom display and is_active may change."""
        schema = r.schema
        current = [link.group.title for link in sorted(links, key=lambda link: link.position)]
        current_set, wanted_set = set(current), set(r.group_names)
        missing = [t for t in current if t not in wanted_set]
        extra = [t for t in r.group_names if t not in current_set]
        if missing or extra:  # DM-SCH-2
            parts = ["question groups cannot be added or removed"]
            parts += [f"missing: {_quoted(missing)}"] if missing else []
            parts += [f"extra: {_quoted(extra)}"] if extra else []
            r.rec.error(".question_group_names", "; ".join(parts))
            return
        r.fields = [
            name for name in ("instructions_url", "has_custom_display") if getattr(schema, name) != getattr(r, name)
        ]
        if current != r.group_names:
            r.fields.append("group order")
        if r.is_active and not schema.is_active:
            # SYNC-SCH-5: every group must be active in the final state (the groups' archive pass runs later).
            archived = [g.title for g in r.groups if not self.run.wants_active("question groups", g.title, g.is_active)]
            if problem := unarchive_groups_problem(archived):
                r.rec.error(".is_active", problem)

    def report_record(self, r: SchemaRecord) -> None:
        if r.schema is None:
            self.result("created", r.name, note="" if r.is_active else "(archived)")
            if not r.is_active:
                self.to_archive.append(r)
            return
        action = "updated" if r.fields else "unchanged"
        if r.is_active and not r.schema.is_active:
            action = "unarchived"
        elif not r.is_active and r.schema.is_active:
            action = "archived"
            self.to_archive.append(r)
        self.result(action, r.name, r.fields)

    def write(self, creates: list[SchemaRecord], updates: list[SchemaRecord], order_links: list) -> None:
        now = self.run.now
        new = [
            Schema(
                name=r.name,
                instructions_url=r.instructions_url,
                has_custom_display=r.has_custom_display,
                is_active=True,  # created active; archived in the archive pass (SYNC-GEN-8)
            )
            for r in creates
        ]
        Schema.objects.bulk_create(new, batch_size=WRITE_BATCH)
        if any(s.pk is None for s in new):
            new = list(load_by(Schema.objects.all(), "name", [s.name for s in new]).values())
        created = {s.name: s for s in new}
        links = []
        for r in creates:
            r.schema = created[r.name]
            links += [SchemaQuestionGroup(schema=r.schema, group=g, position=i) for i, g in enumerate(r.groups)]
        SchemaQuestionGroup.objects.bulk_create(links, batch_size=WRITE_BATCH)
        changed = []
        for r in updates:
            schema = r.schema
            schema.instructions_url, schema.has_custom_display = r.instructions_url, r.has_custom_display
            if r.is_active:  # unarchive now; archives wait for the archive pass
                schema.is_active = True
            if r.fields or r.is_active:
                schema.updated_at = now
                changed.append(schema)
        Schema.objects.bulk_update(
            changed, ["instructions_url", "has_custom_display", "is_active", "updated_at"], batch_size=WRITE_BATCH
        )
        SchemaQuestionGroup.objects.bulk_update(order_links, ["position"], batch_size=WRITE_BATCH)

    def archive(self) -> None:
        """SYNC-SCH-5: refused while an active project uses the schema in the final state."""
        if not self.to_archive:
            return
        using: dict[int, list[str]] = defaultdict(list)
        for batch in chunks([r.schema.pk for r in self.to_archive]):
            for schema_id, name, is_active in Project.objects.filter(schema_id__in=batch).values_list(
                "schema_id", "name", "is_active"
            ):
                # The projects' archive pass already ran; intent covers projects unarchived in this run.
                if self.run.wants_active("projects", name, is_active):
                    using[schema_id].append(name)
        archived = []
        for r in self.to_archive:
            if problem := archive_problem("projects", using.get(r.schema.pk, [])):
                r.rec.error(".is_active", problem)
                continue
            r.schema.is_active, r.schema.updated_at = False, self.run.now
            archived.append(r.schema)
        Schema.objects.bulk_update(archived, ["is_active", "updated_at"], batch_size=WRITE_BATCH)
