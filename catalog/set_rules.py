"""The catalog's set rules, shared by the admin forms and sync: one implementation and one message each.

Each rule takes plain values and returns its problem, a message with neither subject nor final period,
or None. Each caller reports it its own way: sync names the file, entry and field; the admin shows it on
a form field as a sentence (`sentence`). ProjectOverlap reads what DM-PG-2 needs in a few chunked queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from catalog.batches import chunks
from catalog.models import Project, ProjectVideo, QuestionGroupQuestion, User
from catalog.validation import is_number, removed_options
from catalog.wording import count, json_type, listing, names, quote


def sentence(problem: str) -> str:
    """A problem as the admin shows it: capitalised, with a final period."""
    return f"{problem[:1].upper()}{problem[1:]}."


def _quoted(values: Iterable) -> str:
    return ", ".join(quote(v) for v in values)


# --------------------------------------------------------------------------- users (DM-USR-2)

PERSON_TYPES = (User.UserType.HUMAN, User.UserType.ADMIN)  # log in with email and password; models use API tokens


def user_email_problem(user_type: str, has_email: bool) -> str | None:
    """DM-USR-2: humans and admins log in with their email; model users have none."""
    if user_type == User.UserType.MODEL and has_email:
        return "model users have no email"
    if user_type in PERSON_TYPES and not has_email:
        return f"{user_type} users need an email"
    return None


def user_password_problem(user_type: str, has_password: bool) -> str | None:
    """DM-USR-2: humans and admins have a password; model users have none."""
    if user_type == User.UserType.MODEL and has_password:
        return "model users have no password"
    if user_type in PERSON_TYPES and not has_password:
        return f"{user_type} users need a non-empty password"
    return None


# --------------------------------------------------------------------------- questions (DM-Q-3/4)


def qtype_change_problem(text: str, old_qtype: str, new_qtype: str) -> str | None:
    """DM-Q-4: a question's type never changes."""
    if old_qtype == new_qtype:
        return None
    return f"question {quote(text)} is a {old_qtype} question; its qtype cannot change to {new_qtype}"


def removed_options_problem(text: str, old_options: Sequence[str] | None, new_options: Sequence[str]) -> str | None:
    """DM-Q-4: options are append-only, so a stored answer's value always remains an option."""
    removed = removed_options(list(old_options or []), list(new_options))
    if not removed:
        return None
    return f"question {quote(text)} cannot remove existing options: {_quoted(removed)}"


def moved_options_problem(text: str, old_options: Sequence[str] | None, new_options: Sequence[str]) -> str | None:
    """Issue 15: a multiple-choice question's stored sets list options in option order, so the stored options
    keep their order; new ones are appended after them."""
    old = list(old_options or [])
    if list(new_options[: len(old)]) == old:
        return None
    return (
        f"question {quote(text)} keeps its stored options in their order ({', '.join(old)}): stored answers "
        "list them in that order; new options can only be appended"
    )


def distinct_values_problems(values: Sequence) -> list[tuple[int, str]]:
    """DM-Q-2: a question's options, and their labels, are non-empty strings given once each.
    Returns (index, problem) for each value that breaks the rule."""
    problems, seen = [], set()
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value:
            got = "an empty string" if value == "" else json_type(value)
            problems.append((i, f"must be a non-empty string, got {got}"))
        elif value in seen:
            problems.append((i, f"duplicate value {quote(value)}"))
        else:
            seen.add(value)
    return problems


def weight_problem(weight) -> str | None:
    """DM-Q-2: an option's weight is a finite number ≥ 0."""
    if is_number(weight) and weight >= 0:
        return None
    if is_number(weight):
        shown = weight
    elif isinstance(weight, float):
        shown = "a non-finite number"  # NaN or infinity
    else:
        shown = json_type(weight)
    return f"must be a finite number ≥ 0, got {shown}"


def kept_weights(
    options: Sequence[str], given: Sequence[float | None] | None, stored: Mapping[str, float]
) -> list[float]:
    """DM-Q-4: each option's weight: the one given, else the option's stored weight, else 1.0 for a new option.

    `given` is None when no weight is given at all (sync's omitted option_weights), or one entry per option
    with None where that option's weight is left empty (the admin's blank weight cell)."""
    given = list(given) if given is not None else [None] * len(options)
    return [
        float(stored.get(option, 1.0) if weight is None else weight)
        for option, weight in zip(options, given, strict=True)
    ]


def default_option_problem(text: str | None, default: str | None, options: Sequence[str]) -> str | None:
    """DM-Q-3: a single question's default option is one of its options."""
    if default is None or default in options:
        return None
    name = quote(text) if text else "this question"
    return f"{quote(default)} is not an option of question {name} ({', '.join(options)})"


def lost_default_problem(text: str, auto_submit_groups: Iterable[str]) -> str | None:
    """DM-QG-4 from the question's side: it keeps a default while an auto-submit group contains it."""
    groups = sorted(auto_submit_groups)
    if not groups:
        return None
    return f"question {quote(text)} needs a default option: auto-submit groups contain it: {', '.join(groups)}"


# --------------------------------------------------------------------------- question groups (DM-QG-4..7)


def auto_submit_problem(without_default: Sequence[str]) -> str | None:
    """DM-QG-4: every question of an auto-submit group has a default option ("" counts)."""
    if not without_default:
        return None
    return f"auto-submit requires a default option on every question; none on: {_quoted(without_default)}"


def custom_display_problem(displays: Sequence[str]) -> str | None:
    """DM-QG-5: a reusable group looks the same everywhere, so none of its questions has a custom display.

    `displays` names each custom display as "project / video / question"."""
    if not displays:
        return None
    return f"a reusable group cannot contain questions with custom displays: {listing(sorted(displays))}"


def non_reusable_problem(schemas: Iterable[str]) -> str | None:
    """DM-QG-6: a group that several schemas (active or archived) contain stays reusable."""
    using = sorted(set(schemas))
    if len(using) < 2:
        return None
    return f"cannot make the group non-reusable: {len(using)} schemas contain it: {', '.join(using)}"


def verification_problem(name: str | None, registered: Iterable[str]) -> str | None:
    """DM-QG-7: a group names a registered verification function, or none."""
    registered = sorted(registered)
    if not name or name in registered:
        return None
    return f"verification function {quote(name)} is not registered (registered: {', '.join(registered) or 'none'})"


# --------------------------------------------------------------------------- schemas (DM-SCH-3, DM-QG-6)


def archived_group_problem(title: str, is_active: bool) -> str | None:
    """SYNC-SCH-2: a new schema is made of active groups."""
    return None if is_active else f"question group {quote(title)} is archived"


def taken_group_problem(title: str, is_reusable: bool, other_schemas: Iterable[str]) -> str | None:
    """DM-QG-6: a non-reusable group belongs to one schema at most."""
    others = sorted(set(other_schemas))
    if is_reusable or not others:
        return None
    return f"question group {quote(title)} is not reusable and already belongs to schema {_quoted(others)}"


def shared_question_problems(groups: Sequence[tuple[str, Iterable[str]]]) -> list[tuple[int, str]]:
    """DM-SCH-3: no two groups of a schema share a question. `groups` holds (title, question texts) in the
    schema's order; each problem comes with the index of the later group."""
    seen: dict[str, str] = {}  # question text -> the first group containing it
    problems = []
    for index, (title, texts) in enumerate(groups):
        for text in texts:
            if text in seen:
                problems.append(
                    (index, f"question groups {quote(seen[text])} and {quote(title)} share question {quote(text)}")
                )
            else:
                seen[text] = title
    return problems


# --------------------------------------------------------------------------- projects (DM-PRJ-3, DM-ARCH-3)


def archived_video_problem(uid: str, is_active: bool) -> str | None:
    """DM-PRJ-3: a new project lists active videos."""
    return None if is_active else f"video {quote(uid)} is archived"


def frozen_project_problem(name: str, changed: Sequence[str]) -> str | None:
    """DM-ARCH-3: an archived project's description, video order and custom displays stay as they are, unless
    the same change unarchives it. `changed` names what would change."""
    if not changed:
        return None
    return (
        f"project {quote(name)} is archived: its description, video order and custom displays cannot "
        f"change unless the same record unarchives it (would change: {', '.join(changed)})"
    )


# --------------------------------------------------------------------------- archiving (DM-ARCH-1)


def archive_problem(users: str, using: Iterable[str]) -> str | None:
    """DM-ARCH-1: a schema or group is archived only when nothing active uses it (`users`: "projects", …)."""
    blocking = sorted(using)
    if not blocking:
        return None
    return f"cannot archive: active {users} use it: {', '.join(blocking)}"


def unarchive_groups_problem(archived_groups: Iterable[str]) -> str | None:
    """DM-ARCH-1: a schema comes back only with all its groups active."""
    archived = list(archived_groups)
    if not archived:
        return None
    return f"cannot unarchive: its question groups are archived: {', '.join(archived)}"


def unarchive_schema_problem(schema: str, schema_active: bool) -> str | None:
    """DM-ARCH-1: a project comes back only with its schema active."""
    return None if schema_active else f"cannot unarchive: schema {quote(schema)} is archived"


# --------------------------------------------------------------------------- project groups (DM-PG-2)


@dataclass
class ProjectOverlap:
    """DM-PG-2: projects whose schemas share a question may share no video (archived videos count)."""

    questions: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # schema id -> question ids
    videos: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # project id -> video uids

    @classmethod
    def load(cls, projects: Iterable[Project]) -> ProjectOverlap:
        projects = list(projects)
        overlap = cls()
        for batch in chunks([p.pk for p in projects]):
            rows = ProjectVideo.objects.filter(project_id__in=batch).values_list("project_id", "video__video_uid")
            for project_id, uid in rows:
                overlap.videos[project_id].add(uid)
        for batch in chunks({p.schema_id for p in projects}):
            rows = QuestionGroupQuestion.objects.filter(group__schema_memberships__schema_id__in=batch).values_list(
                "group__schema_memberships__schema_id", "question_id"
            )
            for schema_id, question_id in rows:
                overlap.questions[schema_id].add(question_id)
        return overlap

    def problems(self, members: Iterable[Project]) -> list[str]:
        """One message for each pair of these projects that may not be in one group."""
        members = list({p.pk: p for p in members}.values())
        messages = []
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if not self.questions[a.schema_id] & self.questions[b.schema_id]:
                    continue
                shared = sorted(self.videos[a.pk] & self.videos[b.pk])
                if shared:
                    messages.append(
                        f"Cannot group projects {quote(a.name)} and {quote(b.name)}: "
                        f"they share questions and {count(len(shared), 'video')}: {names(shared)}"
                    )
        return messages
