"""projects.json / sync_projects: projects, their video lists and custom displays (SYNC-PRJ, SYNC-CD).

A project's schema and video set are fixed at creation (DM-PRJ-1/3); a record may change the
description, the video order and the custom displays, which are mirrored (SYNC-CD-4).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from catalog import question_types
from catalog.models import (
    CustomDisplay,
    Project,
    ProjectVideo,
    Question,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    Video,
)
from catalog.question_types import QuestionType
from catalog.roles import ensure_global_admin_rows
from catalog.set_rules import archived_video_problem, frozen_project_problem, unarchive_schema_problem
from syncing.errors import names, quote
from syncing.records import MISSING, Duplicates, Record, json_type
from syncing.steps.base import WRITE_BATCH, BaseStep, chunks, load_by, same_json

DISPLAYS = "custom displays"
VIDEO_FIELDS = ("id", "video_uid", "is_active")  # all the checks and links need; metadata can be large
ENTRY_KEYS = ("question_text", "custom_question", "custom_option")


@dataclass
class DisplayEntry:
    path: str  # ".videos[2].questions[0]"
    text: str
    present: set[str]  # the keys the entry has
    custom_question: object = None
    custom_option: object = None


@dataclass
class VideoItem:
    path: str  # ".videos[2]" or ".videos[2].video_uid"
    uid: str
    displays: list[DisplayEntry] = field(default_factory=list)


@dataclass
class ProjectRecord:
    rec: Record
    name: str
    schema_name: str
    description: str
    is_active: bool
    videos: list[VideoItem]


@dataclass
class DisplayPlan:
    """The mirror of one project's custom displays (SYNC-CD-4)."""

    creates: list[CustomDisplay] = field(default_factory=list)
    updates: list[tuple[CustomDisplay, list[str]]] = field(default_factory=list)
    removals: list[CustomDisplay] = field(default_factory=list)
    unchanged: list[CustomDisplay] = field(default_factory=list)
    listed: int = 0  # displays the project has after the sync

    @property
    def changes(self) -> bool:
        return bool(self.creates or self.updates or self.removals)


@dataclass
class SchemaQuestions:
    """What a schema's custom displays are checked against: its questions by text."""

    by_text: dict[str, Question] = field(default_factory=dict)


class Step(BaseStep):
    kind = "projects"
    table = "projects"

    # ------------------------------------------------------------------ parsing (no database)

    def parse(self) -> list[ProjectRecord]:
        project_names = Duplicates("project_name")
        parsed = []
        for entry in self.entries:
            rec = self.record(entry)
            if not isinstance(entry.data, dict):
                continue
            name = rec.string("project_name", natural_key=True, max_length=255)
            if name is not MISSING:
                rec.key = name
            rec.keys(("project_name", "schema_name", "description", "is_active", "videos"))
            schema_name = rec.string("schema_name")
            description = rec.string("description", nullable=True)
            is_active = rec.boolean("is_active")
            raw_videos = rec.list("videos", nonempty=True)
            videos = self._parse_videos(rec, raw_videos) if raw_videos is not MISSING else []
            if name is not MISSING:
                project_names.check(rec, name, ".project_name")
            if rec.ok:
                parsed.append(ProjectRecord(rec, name, schema_name, description or "", is_active, videos))
        return parsed

    def _parse_videos(self, rec: Record, raw_videos: list) -> list[VideoItem]:
        items: list[VideoItem] = []
        first: dict[str, str] = {}
        for i, item in enumerate(raw_videos):
            path = f".videos[{i}]"
            if isinstance(item, str):
                video = VideoItem(path, item)
            elif isinstance(item, dict):
                video = self._parse_video_object(rec, path, item)
                if video is None:
                    continue
            else:
                rec.error(path, f"must be a video uid or an object with video_uid and questions, got {json_type(item)}")
                continue
            if video.uid in first:
                rec.error(video.path, f"duplicate video {quote(video.uid)}; first at {first[video.uid]}")
                continue
            first[video.uid] = video.path
            items.append(video)
        return items

    def _parse_video_object(self, rec: Record, path: str, item: dict) -> VideoItem | None:
        good = True
        for key in ("video_uid", "questions"):
            if key not in item:
                rec.error(f"{path}.{key}", "is required")
                good = False
        for key in item:
            if key not in ("video_uid", "questions"):
                rec.error(path, f"unexpected key {quote(key)}")
                good = False
        uid, questions = item.get("video_uid"), item.get("questions")
        if "video_uid" in item and not isinstance(uid, str):
            rec.error(f"{path}.video_uid", f"must be a string, got {json_type(uid)}")
            good = False
        if "questions" in item and not isinstance(questions, list):
            rec.error(f"{path}.questions", f"must be a list, got {json_type(questions)}")
            good = False
        if not good:
            return None
        video = VideoItem(f"{path}.video_uid", uid)
        first: dict[str, str] = {}
        for j, raw in enumerate(questions):
            entry = self._parse_entry(rec, f"{path}.questions[{j}]", raw)
            if entry is None:
                continue
            if entry.text in first:
                message = f"duplicate question_text {quote(entry.text)}; first at {first[entry.text]}"
                rec.error(f"{entry.path}.question_text", message)
                continue
            first[entry.text] = entry.path
            video.displays.append(entry)
        return video

    def _parse_entry(self, rec: Record, path: str, raw) -> DisplayEntry | None:
        """SYNC-CD-1: shape and types; which keys a question needs depends on its qtype (checked later)."""
        if not isinstance(raw, dict):
            rec.error(path, f"must be an object, got {json_type(raw)}")
            return None
        good = True
        for key in raw:
            if key not in ENTRY_KEYS:
                rec.error(path, f"unexpected key {quote(key)}")
                good = False
        text = raw.get("question_text", MISSING)
        if text is MISSING:
            rec.error(f"{path}.question_text", "is required")
            good = False
        elif not isinstance(text, str):
            rec.error(f"{path}.question_text", f"must be a string, got {json_type(text)}")
            good = False
        custom_question = raw.get("custom_question")
        if custom_question is not None:
            if not isinstance(custom_question, str):
                rec.error(f"{path}.custom_question", f"must be a string or null, got {json_type(custom_question)}")
                good = False
            elif custom_question == "":
                rec.error(f"{path}.custom_question", "must not be empty; use null to show the question's display text")
                good = False
        custom_option = raw.get("custom_option")
        if custom_option is not None:
            if not isinstance(custom_option, dict):
                rec.error(f"{path}.custom_option", f"must be an object or null, got {json_type(custom_option)}")
                good = False
            else:
                for option, label in custom_option.items():
                    if not isinstance(label, str) or label == "":
                        got = "an empty string" if label == "" else json_type(label)
                        rec.error(f"{path}.custom_option[{quote(option)}]", f"must be a non-empty string, got {got}")
                        good = False
        if not good:
            return None
        return DisplayEntry(path, text, set(raw), custom_question, custom_option)

    # ------------------------------------------------------------------ forward pass

    def forward(self) -> None:
        records = self.parse()
        self.to_archive: list[Project] = []
        if not records:
            return
        existing = load_by(Project.objects.select_related("schema"), "name", [r.name for r in records])
        schemas = load_by(Schema.objects.all(), "name", [r.schema_name for r in records])
        # Videos are needed by the projects to create and by custom displays; an existing project's
        # video list is checked against its links by uid.
        needed = [v.uid for r in records for v in r.videos if r.name not in existing or v.displays]
        videos = load_by(Video.objects.only(*VIDEO_FIELDS), "video_uid", needed)
        project_ids = [p.pk for p in existing.values()]
        memberships = self._memberships(project_ids)
        displays = self._displays(project_ids)
        schema_ids = {p.schema_id for p in existing.values()} | {s.pk for s in schemas.values()}
        self.questions, self.reusable = self._schema_questions(schema_ids)
        self.videos = videos

        creates: list[tuple[ProjectRecord, Project, DisplayPlan]] = []
        updated_projects: list[Project] = []
        moved_links: list[ProjectVideo] = []
        plans: list[DisplayPlan] = []
        for r in records:
            project = existing.get(r.name)
            if project is None:
                planned = self._plan_create(r, schemas.get(r.schema_name), videos)
                if planned is not None:
                    self.intend(r.name, r.is_active)
                    creates.append((r, *planned))
                continue
            planned = self._plan_update(r, project, memberships.get(project.pk, []), displays.get(project.pk, {}))
            if planned is None:
                continue
            fields, moved, plan = planned
            self.intend(r.name, r.is_active)
            action = "updated" if fields else "unchanged"
            if r.is_active and not project.is_active:
                action, project.is_active = "unarchived", True
            elif not r.is_active and project.is_active:
                action = "archived"
                self.to_archive.append(project)
            if "description" in fields:
                project.description = r.description
            if fields or action == "unarchived":
                project.updated_at = self.run.now
                updated_projects.append(project)
            moved_links += moved
            plans.append(plan)
            self.result(action, r.name, fields)
            self._report_displays(r.name, plan)
            self._warn_hidden(r, project.schema, plan)

        # Valid records are written even when other records failed: later tables then see the
        # creation-time state, and the run's single transaction is rolled back anyway.
        self._create(creates)
        Project.objects.bulk_update(
            updated_projects, ["description", "is_active", "updated_at"], batch_size=WRITE_BATCH
        )
        ProjectVideo.objects.bulk_update(moved_links, ["position"], batch_size=WRITE_BATCH)
        for batch in chunks([d.pk for plan in plans for d in plan.removals]):
            CustomDisplay.objects.filter(pk__in=batch).delete()
        display_updates = [d for plan in plans for d, _ in plan.updates]
        for d in display_updates:
            d.updated_at = self.run.now
        CustomDisplay.objects.bulk_update(
            display_updates, ["custom_display_text", "custom_option_display_map", "updated_at"], batch_size=WRITE_BATCH
        )
        display_creates = [d for plan in plans for d in plan.creates]
        display_creates += [d for _, _, plan in creates for d in plan.creates]
        CustomDisplay.objects.bulk_create(display_creates, batch_size=WRITE_BATCH)

    def archive(self) -> None:
        if not getattr(self, "to_archive", None):
            return
        for p in self.to_archive:
            p.is_active, p.updated_at = False, self.run.now
        Project.objects.bulk_update(self.to_archive, ["is_active", "updated_at"], batch_size=WRITE_BATCH)

    # ------------------------------------------------------------------ loading (chunked, constant queries)

    def _memberships(self, project_ids) -> dict[int, list[tuple[int, str, int]]]:
        """Each project's video links as (link id, video uid, position), in list order."""
        found: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
        for batch in chunks(project_ids):
            links = ProjectVideo.objects.filter(project_id__in=batch).order_by()  # sorted below; no join for it
            for project_id, *link in links.values_list("project_id", "pk", "video__video_uid", "position"):
                found[project_id].append(tuple(link))
        for links in found.values():
            links.sort(key=lambda link: (link[2], link[0]))
        return found

    def _displays(self, project_ids) -> dict[int, dict[tuple[str, str], CustomDisplay]]:
        found: dict[int, dict[tuple[str, str], CustomDisplay]] = defaultdict(dict)
        for batch in chunks(project_ids):
            for d in CustomDisplay.objects.filter(project_id__in=batch).select_related("video", "question"):
                found[d.project_id][(d.video.video_uid, d.question.text)] = d
        return found

    def _schema_questions(self, schema_ids) -> tuple[dict[int, SchemaQuestions], dict[int, list[str]]]:
        """Questions of each schema by text, and the active reusable groups of each question (DM-CD-4)."""
        group_schemas: dict[int, set[int]] = defaultdict(set)
        for batch in chunks(schema_ids):
            links = SchemaQuestionGroup.objects.filter(schema_id__in=batch).values_list("schema_id", "group_id")
            for schema_id, group_id in links:
                group_schemas[group_id].add(schema_id)
        questions: dict[int, SchemaQuestions] = defaultdict(SchemaQuestions)
        question_ids = set()
        for batch in chunks(group_schemas):
            for link in QuestionGroupQuestion.objects.filter(group_id__in=batch).select_related("question"):
                question_ids.add(link.question_id)
                for schema_id in group_schemas[link.group_id]:
                    questions[schema_id].by_text[link.question.text] = link.question
        reusable: dict[int, list[str]] = defaultdict(list)
        for batch in chunks(question_ids):
            links = QuestionGroupQuestion.objects.filter(
                question_id__in=batch, group__is_reusable=True, group__is_active=True
            ).values_list("question_id", "group__title")
            for question_id, title in links.order_by("group__title"):
                reusable[question_id].append(title)
        return questions, reusable

    # ------------------------------------------------------------------ create

    def _plan_create(self, r: ProjectRecord, schema: Schema | None, videos) -> tuple[Project, DisplayPlan] | None:
        """SYNC-PRJ-3: schema and videos exist and are active in the creation-time state."""
        if schema is None:
            r.rec.error(".schema_name", f"schema {quote(r.schema_name)} does not exist")
        elif not schema.is_active:
            r.rec.error(".schema_name", f"schema {quote(r.schema_name)} is archived")
        for item in r.videos:
            video = videos.get(item.uid)
            if video is None:
                r.rec.error(item.path, f"video {quote(item.uid)} does not exist")
            elif problem := archived_video_problem(item.uid, video.is_active):
                r.rec.error(item.path, problem)
        plan = self._plan_displays(r, schema, {}) if schema is not None and schema.is_active else None
        if not r.rec.ok or plan is None:
            return None
        return Project(name=r.name, schema=schema, description=r.description, is_active=True), plan

    def _create(self, creates: list[tuple[ProjectRecord, Project, DisplayPlan]]) -> None:
        if not creates:
            return
        projects = [p for _, p, _ in creates]
        Project.objects.bulk_create(projects, batch_size=WRITE_BATCH)
        links = []
        for r, project, plan in creates:
            for position, item in enumerate(r.videos):
                links.append(
                    ProjectVideo(project=project, video=self.videos[item.uid], position=position, added_at=self.run.now)
                )
            for display in plan.creates:
                display.project = project
            self.result("created", r.name, note="" if r.is_active else "(archived)")
            self._report_displays(r.name, plan)
            self._warn_hidden(r, project.schema, plan)
            if not r.is_active:
                self.to_archive.append(project)
            self.run.touched_projects.add(project.pk)
        ProjectVideo.objects.bulk_create(links, batch_size=WRITE_BATCH)
        ensure_global_admin_rows(projects=projects)  # DM-ROLE-5

    # ------------------------------------------------------------------ update

    def _plan_update(self, r: ProjectRecord, project: Project, links: list[tuple[int, str, int]], displays):
        """SYNC-PRJ-4: same schema, same video set; returns (changed fields, moved links, display plan)."""
        if r.schema_name != project.schema.name:
            r.rec.error(
                ".schema_name",
                f"the schema of a project cannot change: the record says {quote(r.schema_name)}, "
                f"the project uses {quote(project.schema.name)}",
            )
        current = [uid for _, uid, _ in links]
        given = [item.uid for item in r.videos]
        if set(current) != set(given):
            add = [uid for uid in given if uid not in set(current)]
            remove = [uid for uid in current if uid not in set(given)]
            parts = [f"would add {names(add)}"] if add else []
            parts += [f"would remove {names(remove)}"] if remove else []
            parts.append("videos cannot be added or removed after creation")
            r.rec.error(".videos", "video list mismatch: " + "; ".join(parts))
        if not r.rec.ok:
            return None
        plan = self._plan_displays(r, project.schema, displays, project)
        if plan is None:
            return None
        fields = []
        if project.description != r.description:
            fields.append("description")
        if current != given:
            fields.append("video order")
        changed = [*fields, *(["custom displays"] if plan.changes else [])]
        if not project.is_active and not r.is_active and (problem := frozen_project_problem(r.name, changed)):
            r.rec.error("", problem)
            return None
        if r.is_active and not project.is_active:
            schema = project.schema
            active = self.run.wants_active("schemas", schema.name, schema.is_active)
            if problem := unarchive_schema_problem(schema.name, active):
                r.rec.error(".is_active", problem)
                return None
        position = {uid: i for i, uid in enumerate(given)}
        moved = [
            ProjectVideo(pk=link_id, position=position[uid]) for link_id, uid, old in links if old != position[uid]
        ]
        return fields, moved, plan

    # ------------------------------------------------------------------ custom displays

    def _plan_displays(self, r: ProjectRecord, schema: Schema, existing, project=None) -> DisplayPlan | None:
        """SYNC-CD-1..4: validate the listed entries against the schema and plan the mirror.

        Keys and the schema reference are checked for every entry; the value rules (DM-CD-2/4) for
        entries that change something (SYNC-GEN-10). None when the record has errors.
        """
        schema_questions = self.questions.get(schema.pk, SchemaQuestions()).by_text
        plan = DisplayPlan()
        listed = set()
        for item in r.videos:
            for entry in item.displays:
                question = schema_questions.get(entry.text)
                if question is None:
                    message = f"question {quote(entry.text)} is not in schema {quote(schema.name)}"
                    r.rec.error(f"{entry.path}.question_text", message)
                    continue
                kind = question_types.find(question.qtype)
                if kind is None:
                    message = f"question {quote(question.text)}: {question_types.unknown_problem(question.qtype)}"
                    r.rec.error(f"{entry.path}.question_text", message)
                    continue
                if not self._entry_keys_ok(r.rec, entry, question, kind):
                    continue
                text = entry.custom_question
                option_map = entry.custom_option if kind.has_options else None
                if text is None and option_map is None:
                    continue  # SYNC-CD-3: both null means no custom display
                key = (item.uid, question.text)
                listed.add(key)
                current = existing.get(key)
                fields = []
                if current is not None:
                    if current.custom_display_text != text:
                        fields.append("custom_question")
                    if not same_json(current.custom_option_display_map, option_map):
                        fields.append("custom_option")
                    if not fields:
                        plan.unchanged.append(current)
                        continue
                if not self._entry_values_ok(r.rec, entry, question, kind):
                    continue
                if current is None:
                    plan.creates.append(
                        CustomDisplay(
                            project=project,
                            video=self.videos.get(item.uid),
                            question=question,
                            custom_display_text=text,
                            custom_option_display_map=option_map,
                        )
                    )
                else:
                    current.custom_display_text, current.custom_option_display_map = text, option_map
                    plan.updates.append((current, fields))
        if not r.rec.ok:
            return None
        plan.removals = [d for key, d in sorted(existing.items()) if key not in listed]
        plan.listed = len(listed)
        return plan

    def _entry_keys_ok(self, rec: Record, entry: DisplayEntry, question: Question, kind: QuestionType) -> bool:
        """SYNC-CD-1: questions with options need all three keys; description questions have no custom_option."""
        required = ENTRY_KEYS if kind.has_options else ENTRY_KEYS[:2]
        good = True
        for key in required:
            if key not in entry.present:
                rec.error(f"{entry.path}.{key}", f"is required for {question.qtype} question {quote(question.text)}")
                good = False
        for key in sorted(entry.present - set(required)):
            message = f"unexpected key {quote(key)}: question {quote(question.text)} is a {question.qtype} question"
            rec.error(entry.path, message)
            good = False
        return good

    def _entry_values_ok(self, rec: Record, entry: DisplayEntry, question: Question, kind: QuestionType) -> bool:
        """DM-CD-2 (option map keys) and DM-CD-4 (no active reusable group)."""
        good = True
        groups = self.reusable.get(question.pk)
        if groups:
            rec.error(
                f"{entry.path}.question_text",
                f"question {quote(question.text)} is in the active reusable group {quote(groups[0])}; "
                "reusable groups look the same everywhere and cannot have custom displays",
            )
            good = False
        if kind.has_options and entry.custom_option is not None:
            options = list(question.options or [])
            missing = [o for o in options if o not in entry.custom_option]
            extra = [o for o in entry.custom_option if o not in options]
            if missing or extra:
                detail = [f"missing: {', '.join(quote(o) for o in missing)}"] if missing else []
                detail += [f"extra: {', '.join(quote(o) for o in extra)}"] if extra else []
                rec.error(
                    f"{entry.path}.custom_option",
                    f"keys must be exactly the options of question {quote(question.text)} "
                    f"({', '.join(options)}); {'; '.join(detail)}",
                )
                good = False
        return good

    def _report_displays(self, project_name: str, plan: DisplayPlan) -> None:
        def key(display):
            return f"{project_name} / {display.video.video_uid} / {display.question.text}"

        for display in plan.creates:
            self.result("created", key(display), table=DISPLAYS)
        for display, fields in plan.updates:
            self.result("updated", key(display), fields, table=DISPLAYS)
        for display in plan.removals:
            self.result("removed", key(display), table=DISPLAYS)
        for display in plan.unchanged:
            self.result("unchanged", key(display), table=DISPLAYS)

    def _warn_hidden(self, r: ProjectRecord, schema: Schema, plan: DisplayPlan) -> None:
        """SYNC-CD-4 / DM-SCH-4: displays are stored, but shown only when the schema asks for them."""
        if schema.has_custom_display or not plan.listed:
            return
        entry = r.rec.entry
        n = plan.listed
        self.report.warnings.append(
            f"{entry.source}[{entry.index}] {quote(r.name)}: {n} custom display{'s are' if n != 1 else ' is'} "
            f"stored but not shown: schema {quote(schema.name)} has has_custom_display false"
        )
