"""The fast path of annotation and ground-truth checks (SYNC-GEN-13, issue 13).

A large sync is mostly records that are perfectly well formed. `split_fast_records` recognises those
with plain dict and set operations and builds their `GroupRecord` directly, already resolved; every
other record goes back to the step's full checks (`parse`, `resolve`), which find and word each
problem exactly as before. So the fast path only ever accepts a record the full checks would accept
without a problem: any doubt (a missing or extra key, a name that does not resolve, an override, a
duplicate key anywhere in the input, ...) sends the record down the full path.

References are loaded once, for the names of every entry, before either path runs.
"""

from __future__ import annotations

import math
from functools import partial

from annotation.models import MAX_ANSWER_LENGTH
from syncing.jsonio import Entry
from syncing.records import Record

NAME_FIELDS = ("project_name", "video_uid", "question_group_title", "user_name")
REVIEWED = ("approved", "rejected")


def _names(entries: list[Entry], extra_key: str) -> tuple[set, set, set, set]:
    """Every name the entries mention, to load once."""
    projects, videos, groups, users = set(), set(), set(), set()
    for entry in entries:
        data = entry.data
        if type(data) is not dict:
            continue
        for value, into in (
            (data.get("project_name"), projects),
            (data.get("video_uid"), videos),
            (data.get("question_group_title"), groups),
            (data.get("user_name"), users),
        ):
            if isinstance(value, str):
                into.add(value)
        extra = data.get(extra_key)
        if extra and type(extra) is dict:
            for item in extra.values():
                if type(item) is dict:
                    for field in ("reviewer_name", "admin_name"):
                        if isinstance(item.get(field), str):
                            users.add(item[field])
    return projects, videos, groups, users


def _score(value) -> float | None | bool:
    """The score as stored, or False when the full checks must look at it."""
    if value is None:
        return None
    if type(value) is float or type(value) is int:
        return float(value) if math.isfinite(value) else False
    return False


def _group_tables(step) -> tuple[dict, dict, dict]:
    """Per group: per question text the values its type allows (None: any text); the texts whose answers
    are reviewed; and, only for a group with a question whose workspace value is not its stored text (a
    list for multiple choice), per such text the type's `to_stored` for that question.

    Built once per question, so the per-record checks read plain dicts instead of model properties. A
    group holding a question of no known type is left out, so its entries take the full checks, which
    refuse them.
    """
    kinds = step.kinds
    known = {
        group_id: by_text
        for group_id, by_text in step.by_text.items()
        if all(kinds[q.pk] is not None for q in by_text.values())
    }
    options_of = {
        group_id: {text: kinds[q.pk].allowed_values(q) for text, q in by_text.items()}
        for group_id, by_text in known.items()
    }
    reviewed_of = {
        group_id: frozenset(text for text, q in by_text.items() if kinds[q.pk].is_reviewed)
        for group_id, by_text in known.items()
    }
    convert_of = {}
    for group_id, by_text in known.items():
        convert = {
            text: partial(kinds[q.pk].to_stored, q) for text, q in by_text.items() if not kinds[q.pk].value_is_text
        }
        if convert:
            convert_of[group_id] = convert
    return options_of, reviewed_of, convert_of


class _FastPath:
    """One step's lookup tables, prepared once, and the fast build of one record from them.

    `key_count` counts record keys over every entry that has one, fast or not: a key given twice is a
    duplicate error on the later record, so all its records take the full checks.
    """

    __slots__ = (
        "record_class",
        "review_class",
        "key_parts",
        "key_text",
        "projects",
        "videos",
        "groups",
        "users",
        "members",
        "schema_groups",
        "options_of",
        "reviewed_of",
        "convert_of",
        "required",
        "allowed",
        "is_gt",
        "extra_key",
        "table",
        "problems",
        "key_count",
    )

    def __init__(self, step):
        from syncing.steps.annotations import GroupRecord, Review

        self.record_class, self.review_class = GroupRecord, Review
        self.key_parts, self.key_text = step.key_parts, step.key_text
        self.projects, self.videos, self.groups, self.users = step.projects, step.videos, step.groups, step.users
        self.members, self.schema_groups = step.members, step.schema_groups
        self.options_of, self.reviewed_of, self.convert_of = _group_tables(step)
        self.required = {*NAME_FIELDS, "answers", "is_ground_truth"}
        self.allowed = self.required | {"confidence_scores", step.extra_key}
        self.is_gt, self.extra_key = step.is_ground_truth, step.extra_key
        self.table, self.problems = step.table, step.problems
        self.key_count: dict[tuple, int] = {}

    def count_key(self, names: tuple) -> tuple:
        """Count the key of a record that the fast path does not build (build counts its own, inline)."""
        key = self.key_parts(*names)
        key_count = self.key_count
        key_count[key] = key_count.get(key, 0) + 1
        return key

    def build(self, data: dict, entry: Entry):
        """The resolved record, or None when anything needs the full checks."""
        names = project_name, video_uid, group_title, user_name = (
            data["project_name"],
            data["video_uid"],
            data["question_group_title"],
            data["user_name"],
        )
        if not (
            type(project_name) is str and type(video_uid) is str and type(group_title) is str and type(user_name) is str
        ):
            return None
        key = self.key_parts(*names)
        key_count = self.key_count
        key_count[key] = key_count.get(key, 0) + 1
        project, video, group, user = (
            self.projects.get(project_name),
            self.videos.get(video_uid),
            self.groups.get(group_title),
            self.users.get(user_name),
        )
        if project is None or video is None or group is None or user is None:
            return None
        if (project.id, video.id) not in self.members or (project.schema_id, group.id) not in self.schema_groups:
            return None
        is_gt = self.is_gt
        if data["is_ground_truth"] is not is_gt or (is_gt and user.is_model):
            return None
        answers, by_text = data["answers"], self.options_of.get(group.id, {})
        convert = self.convert_of.get(group.id)
        if convert is not None:  # a group with list answers: they are stored converted
            answers = _converted_answers(answers, by_text, convert)
            if answers is None:
                return None
        elif not _answers_ok(answers, by_text):
            return None
        scores = _scores(data.get("confidence_scores", {}), by_text)
        if scores is None:
            return None
        extra = self._reviews(data.get(self.extra_key, {}), self.reviewed_of.get(group.id, ()))
        if extra is None:
            return None
        rec = Record(entry, self.table, self.problems)
        rec.key = self.key_text(key)
        return self.record_class(
            rec,
            *names,
            answers=answers,
            scores=scores,
            extra=extra,
            project=project,
            video=video,
            group=group,
            user=user,
        )

    def _reviews(self, raw_extra, reviewed) -> dict | None:
        """The reviews as stored, or None when the full checks must look at them."""
        if type(raw_extra) is not dict or (self.is_gt and raw_extra):
            return None  # admin overrides take the full checks
        extra = {}
        users, review_class = self.users, self.review_class
        for text, review in raw_extra.items():
            if text not in reviewed or type(review) is not dict or len(review) != 2:
                return None  # a review of an unknown question, or of one whose answers are not reviewed
            status, reviewer = review.get("status", 0), review.get("reviewer_name", 0)
            if status in REVIEWED and type(status) is str and type(reviewer) is str and reviewer in users:
                extra[text] = review_class(status, reviewer)
            elif status == "pending" and reviewer is None:
                extra[text] = review_class(status, None)
            else:
                return None
        return extra


def _answers_ok(answers, by_text: dict) -> bool:
    """Whether the answers are exactly the group's questions, each a text its type allows."""
    if type(answers) is not dict or answers.keys() != by_text.keys():
        return False
    for text, value in answers.items():
        if type(value) is not str or len(value) > MAX_ANSWER_LENGTH:
            return False  # the full checks word the problem
        options = by_text[text]
        if options is not None and value not in options:
            return False
    return True


def _converted_answers(answers, by_text: dict, convert: dict) -> dict | None:
    """The answers with every list value in its stored form, when they are exactly the group's questions and
    each value is of its type and allowed; None when the full checks must look at them."""
    if type(answers) is not dict or answers.keys() != by_text.keys():
        return None
    stored = {}
    for text, value in answers.items():
        to_stored = convert.get(text)
        if to_stored is None:
            if type(value) is not str or len(value) > MAX_ANSWER_LENGTH:
                return None
            options = by_text[text]
            if options is not None and value not in options:
                return None
        else:
            if type(value) is not list:
                return None  # a string for a list question is refused by the full checks
            try:
                value = to_stored(value)
            except ValueError:
                return None
            if len(value) > MAX_ANSWER_LENGTH:
                return None
        stored[text] = value
    return stored


def _scores(raw_scores, by_text: dict) -> dict | None:
    """The confidence scores as stored, or None when the full checks must look at them."""
    if type(raw_scores) is not dict:
        return None
    scores = {}
    for text, value in raw_scores.items():
        score = _score(value)
        if score is False or text not in by_text:
            return None
        scores[text] = score
    return scores


def split_fast_records(step) -> tuple[list, list[Entry]]:
    """(records built on the fast path, in input order; the entries left for the full checks)."""
    step.load_named(*_names(step.entries, step.extra_key))
    path = _FastPath(step)
    fast, slow = _split(step.entries, path)
    fast, slow = _unfast_duplicates(fast, slow, path)
    return [r for _, r in fast], [entry for _, entry in slow]


def _split(entries: list[Entry], path: _FastPath) -> tuple[list, list]:
    """(position, record) built on the fast path, and (position, entry) left for the full checks."""
    required, allowed, build, count_key = path.required, path.allowed, path.build, path.count_key
    fast, slow = [], []
    for position, entry in enumerate(entries):
        data = entry.data
        r = None
        if type(data) is dict and entry.unstorable is None and required <= data.keys() and data.keys() <= allowed:
            r = build(data, entry)
        elif type(data) is dict:
            names = tuple(data.get(name) for name in NAME_FIELDS)
            if all(type(n) is str for n in names):
                count_key(names)
        if r is None:
            slow.append((position, entry))
        else:
            fast.append((position, r))
    return fast, slow


def _unfast_duplicates(fast: list, slow: list, path: _FastPath) -> tuple[list, list]:
    """Every fast record whose key was given more than once goes back to the full checks, in input order."""
    key_count, key_parts = path.key_count, path.key_parts
    if any(n > 1 for n in key_count.values()):
        again = [(p, r.rec.entry) for p, r in fast if key_count[key_parts(*_name_values(r))] > 1]
        if again:
            fast = [(p, r) for p, r in fast if key_count[key_parts(*_name_values(r))] == 1]
            slow = sorted(slow + again, key=lambda item: item[0])
    return fast, slow


def _name_values(r) -> tuple:
    return r.project_name, r.video_uid, r.group_title, r.user_name
