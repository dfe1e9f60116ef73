"""Workspaces written by the original Label Pizza: older record shapes we accept, each with one warning (issue 12).

The original's exports and older workspaces differ from our format in a few ways that lose nothing when
translated. This runs on the parsed JSON before the steps validate it, rewrites those records into our shape
(copies: a caller's `*_data` lists are never changed) and returns one warning per kind of deviation, with how
many records had it and where the first one is. Anything else stays an error of the steps. Documented in
docs/sync.md ("Workspaces written by the original").
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog import question_types
from syncing.jsonio import Entry

OPTION_PREFIX = "Option "
NULLABLE_ON_DESCRIPTION = ("options", "display_values", "option_weights")


@dataclass
class Seen:
    count: int = 0
    first: str = ""
    detail: int = 0  # a kind-specific second count (e.g. how many said required: false)

    def add(self, place: str) -> None:
        self.count += 1
        if not self.first:
            self.first = place


MESSAGES = {
    "required": (
        'original shape: {count} question(s) carry a "required" key (first at {first}); it was ignored, since every '
        "question of a group is answered here ({detail} of them said false)"
    ),
    "description_options": (
        "original shape: {count} description question(s) give options, display_values or option_weights as null "
        "(first at {first}); description questions have none, so the null keys were dropped"
    ),
    "model_password": (
        "original shape: {count} model user(s) carry a non-empty password (first at {first}); model users never "
        'log in here, so it was replaced by ""'
    ),
    "user_weight": (
        "original shape: {count} assignment(s) have no user_weight (first at {first}); an existing assignment "
        "keeps its weight and a new one gets 1.0"
    ),
    "option_prefix": (
        'original shape: {count} custom display(s) name their options with an "Option " prefix (first at {first}); '
        "the prefix was removed so the keys are the question's options"
    ),
    "display_keys": (
        "original shape: {count} custom display(s) leave out custom_question or custom_option (first at {first}); "
        "the missing keys were read as null (no custom text, no custom option labels)"
    ),
}


def _place(entry: Entry, path: str = "") -> str:
    return f"{entry.source}[{entry.index}]{path}"


def accept_original_shapes(inputs: dict[str, list[Entry] | None]) -> list[str]:
    """Rewrite the original's shapes in `inputs` in place (entry by entry); one warning per kind found."""
    seen: dict[str, Seen] = {name: Seen() for name in MESSAGES}
    groups = inputs.get("question_groups") or []
    _questions(groups, seen)
    _model_passwords(inputs.get("users") or [], seen)
    _missing_weights(inputs.get("assignments") or [], seen)
    _custom_displays(inputs.get("projects") or [], groups, seen)
    return [MESSAGES[name].format(**vars(s)) for name, s in seen.items() if s.count]


def _questions(entries: list[Entry], seen: dict[str, Seen]) -> None:
    for entry in entries:
        group = entry.data
        if not isinstance(group, dict) or not isinstance(group.get("questions"), list):
            continue
        questions = list(group["questions"])
        changed = False
        for i, question in enumerate(questions):
            if not isinstance(question, dict):
                continue
            fixed = dict(question)
            if "required" in fixed:
                seen["required"].add(_place(entry, f".questions[{i}]"))
                seen["required"].detail += fixed.pop("required") is False
            kind = question_types.find(fixed.get("qtype"))
            if kind is not None and not kind.has_options:
                nulls = [k for k in NULLABLE_ON_DESCRIPTION if k in fixed and fixed[k] is None]
                if nulls:
                    seen["description_options"].add(_place(entry, f".questions[{i}]"))
                    for key in nulls:
                        del fixed[key]
            if fixed != question:
                questions[i] = fixed
                changed = True
        if changed:
            entry.data = {**group, "questions": questions}


def _model_passwords(entries: list[Entry], seen: dict[str, Seen]) -> None:
    for entry in entries:
        user = entry.data
        if isinstance(user, dict) and user.get("user_type") == "model":
            password = user.get("password")
            if isinstance(password, str) and password != "":
                seen["model_password"].add(_place(entry, ".password"))
                entry.data = {**user, "password": ""}


def _missing_weights(entries: list[Entry], seen: dict[str, Seen]) -> None:
    missing = [e for e in entries if isinstance(e.data, dict) and "user_weight" not in e.data]
    if not missing:
        return
    from catalog.models import Assignment

    projects = {e.data.get("project_name") for e in missing if isinstance(e.data.get("project_name"), str)}
    weights: dict[tuple, float] = {}
    rows = Assignment.objects.filter(project__name__in=projects).values_list(
        "user__user_id", "project__name", "role", "user_weight"
    )
    for user, project, role, weight in rows:
        weights[(user, project, role)] = weight
        weights.setdefault((user, project, None), weight)
    for entry in missing:
        data = entry.data
        user, project, role = data.get("user_name"), data.get("project_name"), data.get("role")
        weight = weights.get((user, project, role), weights.get((user, project, None), 1.0))
        seen["user_weight"].add(_place(entry))
        entry.data = {**data, "user_weight": weight}


def _display_entries(projects: list[Entry]):
    """(project entry, video index, question index, display dict) of every custom display given."""
    for entry in projects:
        videos = entry.data.get("videos") if isinstance(entry.data, dict) else None
        for v, video in enumerate(videos if isinstance(videos, list) else []):
            questions = video.get("questions") if isinstance(video, dict) else None
            for q, display in enumerate(questions if isinstance(questions, list) else []):
                if isinstance(display, dict) and isinstance(display.get("question_text"), str):
                    yield entry, v, q, display


def _question_shapes(texts: set[str], groups: list[Entry]) -> dict[str, tuple[str, list | None]]:
    """qtype and options of the named questions: this run's question groups first, else the database."""
    shapes: dict[str, tuple[str, list | None]] = {}
    for entry in groups:
        questions = entry.data.get("questions") if isinstance(entry.data, dict) else None
        for question in questions if isinstance(questions, list) else []:
            if isinstance(question, dict) and question.get("text") in texts:
                shapes[question["text"]] = (question.get("qtype"), question.get("options"))
    unknown = texts - shapes.keys()
    if unknown:
        from catalog.models import Question

        for text, qtype, options in Question.objects.filter(text__in=unknown).values_list("text", "qtype", "options"):
            shapes[text] = (qtype, options)
    return shapes


def _custom_displays(projects: list[Entry], groups: list[Entry], seen: dict[str, Seen]) -> None:
    displays = list(_display_entries(projects))
    if not displays:
        return
    shapes = _question_shapes({d["question_text"] for *_, d in displays}, groups)
    replaced: dict[tuple[int, int, int], dict] = {}
    for entry, v, q, display in displays:
        qtype, options = shapes.get(display["question_text"], (None, None))
        kind = question_types.find(qtype)  # None: sync refuses the question or the entry later
        fixed = dict(display)
        place = _place(entry, f".videos[{v}].questions[{q}]")
        custom_option = fixed.get("custom_option")
        if kind is not None and kind.has_options and isinstance(custom_option, dict) and isinstance(options, list):
            stripped = _without_prefix(custom_option, options)
            if stripped is not None:
                seen["option_prefix"].add(place)
                fixed["custom_option"] = stripped
        needed = ("custom_question", "custom_option") if kind is not None and kind.has_options else ("custom_question",)
        if kind is not None and any(k not in fixed for k in needed):
            seen["display_keys"].add(place)
            for key in needed:
                fixed.setdefault(key, None)
        if fixed != display:
            replaced[(id(entry), v, q)] = fixed
    if replaced:
        _write_back(projects, replaced)


def _without_prefix(custom_option: dict, options: list) -> dict | None:
    """The map with "Option " cut from every key, when that (and only that) makes the keys options."""
    keys = list(custom_option)
    if all(k in options for k in keys) or not all(isinstance(k, str) and k.startswith(OPTION_PREFIX) for k in keys):
        return None
    stripped = {k[len(OPTION_PREFIX) :]: label for k, label in custom_option.items()}
    return stripped if all(k in options for k in stripped) and len(stripped) == len(keys) else None


def _write_back(projects: list[Entry], replaced: dict[tuple[int, int, int], dict]) -> None:
    for entry in projects:
        mine = {(v, q): d for (eid, v, q), d in replaced.items() if eid == id(entry)}
        if not mine:
            continue
        videos = list(entry.data["videos"])
        for v in sorted({v for v, _ in mine}):
            questions = list(videos[v]["questions"])
            for (vv, q), display in mine.items():
                if vv == v:
                    questions[q] = display
            videos[v] = {**videos[v], "questions": questions}
        entry.data = {**entry.data, "videos": videos}
