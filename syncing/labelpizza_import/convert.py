"""The original's rows -> this project's rows, keyed by natural keys, checked against this project's rules.

Pure apart from the verification registry: no ORM. Every source row becomes a target row, an invalid row
(table, key, reason), or a note saying what of it is not kept. A row that refers to an invalid or missing
row is invalid too, naming it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from catalog.validation import is_number, natural_key_problem

ROLES = ("annotator", "reviewer", "admin", "model")
# Our timestamp columns are required; a null in the source gets this fixed, recognisable value (and a note),
# so a re-import compares equal.
MISSING_TIME = datetime(1970, 1, 1, tzinfo=UTC)
USER_TYPES = ("human", "admin", "model")


@dataclass(frozen=True)
class Invalid:
    table: str  # the original's table name
    key: str
    reason: str

    def line(self) -> str:
        return f"{self.table} {self.key}: {self.reason}"


@dataclass
class Plan:
    """Target rows per our table (natural keys as references), in write order; invalid rows; notes."""

    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    invalid: list[Invalid] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # video tags, which are reported, not kept
    source_counts: dict[str, int] = field(default_factory=dict)


def _q(value) -> str:
    return f'"{value}"'


class Converter:
    def __init__(self, source: dict[str, list[dict]], registered_functions: set[str]):
        self.src = source
        self.functions = registered_functions
        self.plan = Plan(source_counts={t: len(rows) for t, rows in source.items()})
        self.users: dict[int, str] = {}  # source id -> user_id, for imported users
        self.user_types: dict[str, str] = {}
        self.videos: dict[int, str] = {}
        self.questions: dict[int, dict] = {}  # source id -> our question row
        self.groups: dict[int, str] = {}
        self.schemas: dict[int, str] = {}
        self.projects: dict[int, tuple[str, int]] = {}  # source id -> (name, source schema id)
        self.project_videos: set[tuple[int, int]] = set()
        self.schema_questions: dict[int, set[int]] = defaultdict(set)  # source schema id -> question ids
        self.answers: dict[int, tuple] = {}  # source answer id -> our answer key
        self.tags = self.plan.tags
        self.missing_times = 0
        self.description_texts: set[str] = set()

    def at(self, value):
        """A timestamp our column requires; a null in the source becomes MISSING_TIME, counted in a note."""
        if value is None:
            self.missing_times += 1
            return MISSING_TIME
        return value

    def bad(self, table: str, key: str, reason: str) -> None:
        self.plan.invalid.append(Invalid(table, key, reason))

    def add(self, target: str, row: dict) -> None:
        self.plan.rows[target].append(row)

    def run(self) -> Plan:
        for step in (
            self.users_,
            self.videos_,
            self.video_tags_,
            self.questions_,
            self.question_groups_,
            self.group_questions_,
            self.schemas_,
            self.schema_groups_,
            self.projects_,
            self.project_videos_,
            self.roles_,
            self.project_groups_,
            self.custom_displays_,
            self.answers_,
            self.reviews_,
            self.ground_truths_,
        ):
            step()
        if self.missing_times:
            self.plan.notes.append(
                f"{self.missing_times} timestamp(s) are null in the source; they are set to {MISSING_TIME.isoformat()}"
            )
        return self.plan

    # ------------------------------------------------------------------ people and videos

    def users_(self):
        seen_emails: dict[str, str] = {}
        for r in sorted(self.src["users"], key=lambda r: r["id"]):
            key, user_type, email = r["user_id_str"], r["user_type"] or "human", r["email"]
            problem = natural_key_problem(key, 128) if isinstance(key, str) else "user_id_str is null"
            if problem:
                self.bad("users", f"id {r['id']}", f"user_id_str {problem}")
                continue
            if user_type not in USER_TYPES:
                self.bad("users", _q(key), f"user_type {_q(user_type)} is not one of {', '.join(USER_TYPES)}")
                continue
            if user_type == "model" and email:
                self.bad("users", _q(key), "model users have no email here; clear it in the source first")
                continue
            if user_type != "model" and not email:
                self.bad("users", _q(key), f"{user_type} users need an email here")
                continue
            if email and email.lower() in seen_emails:
                self.bad("users", _q(key), f"email {email} is also used by {_q(seen_emails[email.lower()])}")
                continue
            if email:
                seen_emails[email.lower()] = key
            if user_type != "model" and not (r["password_hash"] or "").strip():
                self.bad("users", _q(key), "has an empty password; set one in the source first")
                continue
            self.users[r["id"]] = key
            self.user_types[key] = user_type
            self.add(
                "users",
                {
                    "user_id": key,
                    "email": email if user_type != "model" else None,
                    "password": r["password_hash"] if user_type != "model" else None,
                    "user_type": user_type,
                    "is_active": not r["is_archived"],
                    "created_at": self.at(r["created_at"]),
                    "updated_at": self.at(r["updated_at"] or r["created_at"]),
                },
            )

    def videos_(self):
        urls: dict[str, str] = {}
        for r in sorted(self.src["videos"], key=lambda r: r["id"]):
            key = r["video_uid"]
            problem = natural_key_problem(key, 255) if isinstance(key, str) else "video_uid is null"
            if problem:
                self.bad("videos", f"id {r['id']}", f"video_uid {problem}")
                continue
            if not r["url"]:
                self.bad("videos", _q(key), "has no url; every video needs one here")
                continue
            if len(r["url"]) > 2048:
                self.bad("videos", _q(key), "url is longer than 2048 characters")
                continue
            if r["url"] in urls:
                self.bad("videos", _q(key), f"url is also the url of {_q(urls[r['url']])}")
                continue
            metadata = r["video_metadata"]
            if metadata is not None and not isinstance(metadata, dict):
                self.bad("videos", _q(key), "video_metadata is not a JSON object")
                continue
            urls[r["url"]] = key
            self.videos[r["id"]] = key
            self.add(
                "videos",
                {
                    "video_uid": key,
                    "url": r["url"],
                    "metadata": metadata or {},
                    "is_active": not r["is_archived"],
                    "created_at": self.at(r["created_at"]),
                    "updated_at": self.at(r["updated_at"] or r["created_at"]),
                },
            )

    def video_tags_(self):
        """This project keeps no video tags: each one is reported, never dropped silently."""
        for r in sorted(self.src["video_tags"], key=lambda r: (r["video_id"], r["tag"])):
            uid = self.videos.get(r["video_id"], f"id {r['video_id']}")
            source, at = r["tag_source"] or "model", r["created_at"]
            self.tags.append(f"video_tags {_q(uid)} / {_q(r['tag'])} ({source}, {at}): not kept, no video tags here")

    # ------------------------------------------------------------------ questions, groups, schemas

    def questions_(self):
        for r in sorted(self.src["questions"], key=lambda r: r["id"]):
            text, qtype = r["text"], r["type"]
            problem = natural_key_problem(text) if isinstance(text, str) else "text is null"
            if problem:
                self.bad("questions", f"id {r['id']}", f"text {problem}")
                continue
            where = _q(text)
            if not r["display_text"]:
                self.bad("questions", where, "display_text is empty")
                continue
            row = {
                "text": text,
                "display_text": r["display_text"],
                "qtype": qtype,
                "options": None,
                "display_values": None,
                "option_weights": None,
                "default_option": r["default_option"],
                "is_active": not r["is_archived"],
                "created_at": self.at(r["created_at"]),
                "updated_at": self.at(r["created_at"]),
            }
            if qtype == "single":
                reason = self._single_question(r, row)
                if reason:
                    self.bad("questions", where, reason)
                    continue
            elif qtype == "description":
                given = [k for k in ("options", "display_values", "option_weights") if r[k] not in (None, [])]
                if given:
                    self.bad("questions", where, f"a description question with {', '.join(given)}")
                    continue
            else:
                self.bad("questions", where, f"type {_q(qtype)} is not single or description")
                continue
            self.questions[r["id"]] = row
            if qtype == "description":
                self.description_texts.add(text)
            self.add("questions", row)

    @staticmethod
    def _single_question(r: dict, row: dict) -> str | None:
        options = r["options"]
        if not isinstance(options, list) or not options or not all(isinstance(o, str) and o for o in options):
            return "options must be a non-empty list of non-empty strings"
        if len(set(options)) != len(options):
            return "options repeat a value"
        values = r["display_values"] if r["display_values"] is not None else list(options)
        if not isinstance(values, list) or len(values) != len(options) or not all(isinstance(v, str) for v in values):
            return "display_values must be strings, one per option"
        weights = r["option_weights"] if r["option_weights"] is not None else [1.0] * len(options)
        if not isinstance(weights, list) or len(weights) != len(options):
            return "option_weights must give one weight per option"
        if not all(is_number(w) and w >= 0 for w in weights):
            return "option_weights must be numbers ≥ 0"
        if r["default_option"] is not None and r["default_option"] not in options:
            return f"default_option {_q(r['default_option'])} is not an option"
        row.update(options=options, display_values=values, option_weights=[float(w) for w in weights])
        return None

    def question_groups_(self):
        display_titles: dict[str, str] = {}
        for r in sorted(self.src["question_groups"], key=lambda r: r["id"]):
            title = r["title"]
            problem = natural_key_problem(title, 255) if isinstance(title, str) else "title is null"
            if problem:
                self.bad("question_groups", f"id {r['id']}", f"title {problem}")
                continue
            where = _q(title)
            display = r["display_title"] or ""
            if not display or len(display) > 255:
                self.bad("question_groups", where, "display_title must be 1 to 255 characters")
                continue
            if display in display_titles:
                self.bad("question_groups", where, f"display_title is also that of {_q(display_titles[display])}")
                continue
            function = r["verification_function"] or None
            if function and function not in self.functions:
                self.bad(
                    "question_groups",
                    where,
                    f"verification function {_q(function)} is not registered here; register the verify.py that "
                    "defines it (python manage.py verification --add FOLDER) and import again",
                )
                continue
            display_titles[display] = title
            self.groups[r["id"]] = title
            self.add(
                "question_groups",
                {
                    "title": title,
                    "display_title": display,
                    "description": r["description"] or "",
                    "is_reusable": bool(r["is_reusable"]),
                    "is_auto_submit": bool(r["is_auto_submit"]),
                    "verification_function": function,
                    "is_active": not r["is_archived"],
                },
            )

    def group_questions_(self):
        self.group_of_question: dict[int, list[int]] = defaultdict(list)
        by_group = defaultdict(list)
        for r in self.src["question_group_questions"]:
            by_group[r["question_group_id"]].append(r)
        for group_id, links in sorted(by_group.items()):
            for position, r in enumerate(sorted(links, key=lambda r: (r["display_order"], r["question_id"]))):
                key = f"group {group_id} / question {r['question_id']}"
                if group_id not in self.groups or r["question_id"] not in self.questions:
                    self.bad("question_group_questions", key, "its question group or question is not imported")
                    continue
                self.group_of_question[r["question_id"]].append(group_id)
                self.add(
                    "group_questions",
                    {
                        "group": self.groups[group_id],
                        "question": self.questions[r["question_id"]]["text"],
                        "position": position,
                    },
                )

    def schemas_(self):
        for r in sorted(self.src["schemas"], key=lambda r: r["id"]):
            name = r["name"]
            problem = natural_key_problem(name, 255) if isinstance(name, str) else "name is null"
            if problem:
                self.bad("schemas", f"id {r['id']}", f"name {problem}")
                continue
            if r["instructions_url"] and len(r["instructions_url"]) > 2048:
                self.bad("schemas", _q(name), "instructions_url is longer than 2048 characters")
                continue
            self.schemas[r["id"]] = name
            self.add(
                "schemas",
                {
                    "name": name,
                    "instructions_url": r["instructions_url"] or None,
                    "has_custom_display": bool(r["has_custom_display"]),
                    "is_active": not r["is_archived"],
                    "created_at": self.at(r["created_at"]),
                    "updated_at": self.at(r["updated_at"] or r["created_at"]),
                },
            )

    def schema_groups_(self):
        by_schema = defaultdict(list)
        for r in self.src["schema_question_groups"]:
            by_schema[r["schema_id"]].append(r)
        questions_of_group = defaultdict(set)
        for question_id, group_ids in self.group_of_question.items():
            for group_id in group_ids:
                questions_of_group[group_id].add(question_id)
        for schema_id, links in sorted(by_schema.items()):
            for position, r in enumerate(sorted(links, key=lambda r: (r["display_order"], r["question_group_id"]))):
                key = f"schema {schema_id} / group {r['question_group_id']}"
                if schema_id not in self.schemas or r["question_group_id"] not in self.groups:
                    self.bad("schema_question_groups", key, "its schema or question group is not imported")
                    continue
                self.schema_questions[schema_id] |= questions_of_group[r["question_group_id"]]
                self.add(
                    "schema_groups",
                    {
                        "schema": self.schemas[schema_id],
                        "group": self.groups[r["question_group_id"]],
                        "position": position,
                    },
                )

    # ------------------------------------------------------------------ projects

    def projects_(self):
        for r in sorted(self.src["projects"], key=lambda r: r["id"]):
            name = r["name"]
            problem = natural_key_problem(name, 255) if isinstance(name, str) else "name is null"
            if problem:
                self.bad("projects", f"id {r['id']}", f"name {problem}")
                continue
            if r["schema_id"] not in self.schemas:
                self.bad("projects", _q(name), f"its schema (id {r['schema_id']}) is not imported")
                continue
            self.projects[r["id"]] = (name, r["schema_id"])
            self.add(
                "projects",
                {
                    "name": name,
                    "schema": self.schemas[r["schema_id"]],
                    "description": r["description"] or "",
                    "is_active": not r["is_archived"],
                    "created_at": self.at(r["created_at"]),
                    "updated_at": self.at(r["updated_at"] or r["created_at"]),
                },
            )

    def project_videos_(self):
        by_project = defaultdict(list)
        for r in self.src["project_videos"]:
            by_project[r["project_id"]].append(r)
        for project_id, links in sorted(by_project.items()):
            # The original keeps no order column: videos are in the order they were added.
            links.sort(key=lambda r: (r["added_at"] is None, r["added_at"] or 0, r["video_id"]))
            for position, r in enumerate(links):
                key = f"project {project_id} / video {r['video_id']}"
                if project_id not in self.projects or r["video_id"] not in self.videos:
                    self.bad("project_videos", key, "its project or video is not imported")
                    continue
                self.project_videos.add((project_id, r["video_id"]))
                self.add(
                    "project_videos",
                    {
                        "project": self.projects[project_id][0],
                        "video": self.videos[r["video_id"]],
                        "position": position,
                        "added_at": self.at(r["added_at"]),
                    },
                )

    def roles_(self):
        for r in sorted(self.src["project_user_roles"], key=lambda r: (r["project_id"], r["user_id"], r["role"])):
            key = f"project {r['project_id']} / user {r['user_id']} / {r['role']}"
            if r["project_id"] not in self.projects or r["user_id"] not in self.users:
                self.bad("project_user_roles", key, "its project or user is not imported")
                continue
            if r["role"] not in ROLES:
                self.bad("project_user_roles", key, f"role {_q(r['role'])} is not one of {', '.join(ROLES)}")
                continue
            weight = 1.0 if r["user_weight"] is None else r["user_weight"]
            if not is_number(weight) or weight < 0:
                self.bad("project_user_roles", key, "user_weight must be a number ≥ 0")
                continue
            self.add(
                "assignments",
                {
                    "project": self.projects[r["project_id"]][0],
                    "user": self.users[r["user_id"]],
                    "role": r["role"],
                    "user_weight": float(weight),
                    "is_active": not r["is_archived"],
                    "assigned_at": self.at(r["assigned_at"]),
                    "completed_at": r["completed_at"],
                },
            )

    def project_groups_(self):
        names: dict[int, str] = {}
        for r in sorted(self.src["project_groups"], key=lambda r: r["id"]):
            name = r["name"]
            problem = natural_key_problem(name, 255) if isinstance(name, str) else "name is null"
            if problem:
                self.bad("project_groups", f"id {r['id']}", f"name {problem}")
                continue
            names[r["id"]] = name
            self.add(
                "project_groups",
                {
                    "name": name,
                    "description": r["description"] or "",
                    "is_active": not r["is_archived"],
                    "created_at": self.at(r["created_at"]),
                    "updated_at": self.at(r["created_at"]),
                },
            )
        for r in sorted(self.src["project_group_projects"], key=lambda r: (r["project_group_id"], r["project_id"])):
            if r["project_group_id"] not in names or r["project_id"] not in self.projects:
                key = f"project group {r['project_group_id']} / project {r['project_id']}"
                self.bad("project_group_projects", key, "its project group or project is not imported")
                continue
            self.add(
                "project_group_projects",
                {"project_group": names[r["project_group_id"]], "project": self.projects[r["project_id"]][0]},
            )

    def custom_displays_(self):
        for r in sorted(
            self.src["project_video_question_displays"],
            key=lambda r: (r["project_id"], r["video_id"], r["question_id"]),
        ):
            key = f"project {r['project_id']} / video {r['video_id']} / question {r['question_id']}"
            question = self.questions.get(r["question_id"])
            if (r["project_id"], r["video_id"]) not in self.project_videos or question is None:
                self.bad("project_video_question_displays", key, "its project video or question is not imported")
                continue
            text, option_map = r["custom_display_text"] or None, r["custom_option_display_map"] or None
            if option_map is not None:
                if question["qtype"] != "single" or not isinstance(option_map, dict):
                    self.bad("project_video_question_displays", key, "custom options on a description question")
                    continue
                unknown = [o for o in option_map if o not in question["options"]]
                if unknown:
                    self.bad("project_video_question_displays", key, f"custom options for unknown options {unknown}")
                    continue
            if text is None and option_map is None:
                self.plan.notes.append(f"project_video_question_displays {key}: empty (no text, no options); skipped")
                continue
            self.add(
                "custom_displays",
                {
                    "project": self.projects[r["project_id"]][0],
                    "video": self.videos[r["video_id"]],
                    "question": question["text"],
                    "custom_display_text": text,
                    "custom_option_display_map": option_map,
                    "created_at": self.at(r["created_at"]),
                    "updated_at": self.at(r["updated_at"] or r["created_at"]),
                },
            )

    # ------------------------------------------------------------------ answers, reviews, ground truth

    def _scope_problem(self, r: dict) -> str | None:
        if r["project_id"] not in self.projects or (r["project_id"], r["video_id"]) not in self.project_videos:
            return "its project or the video's membership in it is not imported"
        question = self.questions.get(r["question_id"])
        if question is None:
            return f"its question (id {r['question_id']}) is not imported"
        if r["question_id"] not in self.schema_questions[self.projects[r["project_id"]][1]]:
            return f"question {_q(question['text'])} is not in the project's schema"
        return None

    def _value_problem(self, question: dict, value) -> str | None:
        if not isinstance(value, str):
            return "the answer is null"
        if question["qtype"] == "single" and value not in question["options"]:
            return f"{_q(value)} is not an option of {_q(question['text'])}"
        return None

    def answers_(self):
        notes = 0
        for r in sorted(self.src["annotator_answers"], key=lambda r: r["id"]):
            key = f"id {r['id']}"
            problem = self._scope_problem(r) or (None if r["user_id"] in self.users else "its user is not imported")
            question = self.questions.get(r["question_id"])
            problem = problem or self._value_problem(question, r["answer_value"])
            if problem is None and r["confidence_score"] is not None and not is_number(r["confidence_score"]):
                problem = "confidence_score is not a number"
            if problem:
                self.bad("annotator_answers", key, problem)
                continue
            notes += bool(r["notes"])
            answer_key = (self.projects[r["project_id"]][0], self.videos[r["video_id"]], question["text"])
            answer_key += (self.users[r["user_id"]],)
            self.answers[r["id"]] = answer_key
            self.add(
                "answers",
                {
                    "key": answer_key,
                    "value": r["answer_value"],
                    "confidence_score": r["confidence_score"],
                    "created_at": self.at(r["created_at"]),
                    "modified_at": self.at(r["modified_at"] or r["created_at"]),
                },
            )
        if notes:
            self.plan.notes.append(
                f"annotator_answers: {notes} answer note(s) are not kept (answers have no notes here)"
            )

    def reviews_(self):
        pending = comments = 0
        for r in sorted(self.src["answer_reviews"], key=lambda r: r["id"]):
            key = f"id {r['id']}"
            answer_key = self.answers.get(r["answer_id"])
            if answer_key is None:
                self.bad("answer_reviews", key, f"its answer (id {r['answer_id']}) is not imported")
                continue
            if r["reviewer_id"] not in self.users:
                self.bad("answer_reviews", key, "its reviewer is not imported")
                continue
            status = r["status"] or "pending"
            if status == "pending":
                pending += 1  # no review row means pending here
                continue
            if status not in ("approved", "rejected"):
                self.bad("answer_reviews", key, f"status {_q(status)} is not pending, approved or rejected")
                continue
            if answer_key[2] not in self.description_texts:
                self.bad("answer_reviews", key, "reviews are kept for description answers only here")
                continue
            comments += bool(r["comment"])
            self.add(
                "reviews",
                {
                    "answer": answer_key,
                    "status": status,
                    "reviewer": self.users[r["reviewer_id"]],
                    "reviewed_at": self.at(r["reviewed_at"]),
                },
            )
        if pending:
            self.plan.notes.append(
                f"answer_reviews: {pending} pending review(s) need no row here (pending = no review)"
            )
        if comments:
            self.plan.notes.append(
                f"answer_reviews: {comments} review comment(s) are not kept (reviews have none here)"
            )

    def ground_truths_(self):
        notes = same = 0
        for r in sorted(
            self.src["reviewer_ground_truth"], key=lambda r: (r["project_id"], r["video_id"], r["question_id"])
        ):
            key = f"project {r['project_id']} / video {r['video_id']} / question {r['question_id']}"
            problem = self._scope_problem(r)
            question = self.questions.get(r["question_id"])
            problem = problem or self._value_problem(question, r["answer_value"])
            original = r["original_answer_value"] if r["original_answer_value"] is not None else r["answer_value"]
            problem = problem or self._value_problem(question, original)
            reviewer = self.users.get(r["reviewer_id"])
            admin = self.users.get(r["modified_by_admin_id"]) if r["modified_by_admin_id"] is not None else None
            if problem is None and (reviewer is None or self.user_types[reviewer] == "model"):
                problem = "its reviewer is not imported or is a model user"
            if problem is None and r["modified_by_admin_id"] is not None and admin is None:
                problem = f"the admin who overrode it (user id {r['modified_by_admin_id']}) is not imported"
            if problem:
                self.bad("reviewer_ground_truth", key, problem)
                continue
            notes += bool(r["notes"])
            overridden = admin is not None and original != r["answer_value"]
            same += admin is not None and not overridden
            stamps = [t for t in (r["created_at"], r["modified_at"], r["modified_by_admin_at"]) if t is not None]
            stamps = stamps or [self.at(None)]
            self.add(
                "ground_truths",
                {
                    "key": (self.projects[r["project_id"]][0], self.videos[r["video_id"]], question["text"]),
                    "value": r["answer_value"],
                    "reviewer": reviewer,
                    "reviewer_value": original,
                    "overridden_by": admin if overridden else None,
                    "overridden_at": (r["modified_by_admin_at"] or max(stamps)) if overridden else None,
                    "confidence_score": r["confidence_score"],
                    "created_at": self.at(r["created_at"]),
                    "modified_at": max(stamps),
                },
            )
        if notes:
            self.plan.notes.append(
                f"reviewer_ground_truth: {notes} note(s) are not kept (ground truth has no notes here)"
            )
        if same:
            self.plan.notes.append(
                f"reviewer_ground_truth: {same} admin override(s) kept the reviewer's value; imported as not overridden"
            )


def convert(source: dict[str, list[dict]], registered_functions: set[str]) -> Plan:
    return Converter(source, registered_functions).run()
