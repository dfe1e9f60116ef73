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
from collections import Counter

from syncing.jsonio import Entry
from syncing.records import Record

NAME_FIELDS = ("project_name", "video_uid", "question_group_title", "user_name")
REVIEWED = ("approved", "rejected")


def _names_and_keys(entries: list[Entry], extra_key: str, key_parts) -> tuple[tuple[set, set, set, set], Counter]:
    """Every name the entries mention (to load once), and how often each record key occurs."""
    projects, videos, groups, users = set(), set(), set(), set()
    keys = Counter()
    for entry in entries:
        data = entry.data
        if type(data) is not dict:
            continue
        names = (
            data.get("project_name"),
            data.get("video_uid"),
            data.get("question_group_title"),
            data.get("user_name"),
        )
        project, video, group, user = names
        if type(project) is str and type(video) is str and type(group) is str and type(user) is str:
            projects.add(project)
            videos.add(video)
            groups.add(group)
            users.add(user)
            keys[key_parts(*names)] += 1
        else:
            for value, into in zip(names, (projects, videos, groups, users), strict=True):
                if isinstance(value, str):
                    into.add(value)
        extra = data.get(extra_key)
        if extra:
            if type(extra) is not dict:
                continue
            for item in extra.values():
                if type(item) is dict:
                    for field in ("reviewer_name", "admin_name"):
                        if isinstance(item.get(field), str):
                            users.add(item[field])
    return (projects, videos, groups, users), keys


def _score(value) -> float | None | bool:
    """The score as stored, or False when the full checks must look at it."""
    if value is None:
        return None
    if type(value) is float or type(value) is int:
        return float(value) if math.isfinite(value) else False
    return False


def split_fast_records(step) -> tuple[list, list[Entry]]:
    """(records built on the fast path, in input order; the entries left for the full checks)."""
    from syncing.steps.annotations import GroupRecord, Review

    entries = step.entries
    key_parts, key_text = step.key_parts, step.key_text
    # A key given twice anywhere is a duplicate error on the later one: all its records take the full path.
    names, keys = _names_and_keys(entries, step.extra_key, key_parts)
    step.load_named(*names)
    projects, videos, groups, users = step.projects, step.videos, step.groups, step.users
    members, schema_groups, by_text_of = step.members, step.schema_groups, step.by_text
    required = {*NAME_FIELDS, "answers", "is_ground_truth"}
    allowed = required | {"confidence_scores", step.extra_key}
    is_gt, extra_key, table, problems = step.is_ground_truth, step.extra_key, step.table, step.problems

    def build(data: dict, entry: Entry):
        """The resolved record, or None when anything needs the full checks."""
        names = project_name, video_uid, group_title, user_name = (
            data["project_name"],
            data["video_uid"],
            data["question_group_title"],
            data["user_name"],
        )
        if not (type(project_name) is str and type(video_uid) is str and type(group_title) is str):
            return None
        if type(user_name) is not str or keys[key_parts(*names)] != 1:
            return None
        project, video, group, user = (
            projects.get(project_name),
            videos.get(video_uid),
            groups.get(group_title),
            users.get(user_name),
        )
        if project is None or video is None or group is None or user is None:
            return None
        if (project.id, video.id) not in members or (project.schema_id, group.id) not in schema_groups:
            return None
        if data["is_ground_truth"] is not is_gt or (is_gt and user.is_model):
            return None
        answers, by_text = data["answers"], by_text_of.get(group.id, {})
        if type(answers) is not dict or answers.keys() != by_text.keys():
            return None
        for text, value in answers.items():
            if type(value) is not str:
                return None
            question = by_text[text]
            if question.is_single and value not in question.options:
                return None
        scores = {}
        raw_scores = data.get("confidence_scores", {})
        if type(raw_scores) is not dict:
            return None
        for text, value in raw_scores.items():
            score = _score(value)
            if score is False or text not in by_text:
                return None
            scores[text] = score
        extra = {}
        raw_extra = data.get(extra_key, {})
        if type(raw_extra) is not dict or (is_gt and raw_extra):
            return None  # admin overrides take the full checks
        for text, review in raw_extra.items():
            question = by_text.get(text)
            if question is None or question.is_single or type(review) is not dict or len(review) != 2:
                return None
            status, reviewer = review.get("status", 0), review.get("reviewer_name", 0)
            if status in REVIEWED and type(status) is str and type(reviewer) is str and reviewer in users:
                extra[text] = Review(status, reviewer)
            elif status == "pending" and reviewer is None:
                extra[text] = Review(status, None)
            else:
                return None
        rec = Record(entry, table, problems)
        rec.key = key_text(key_parts(*names))
        return GroupRecord(
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

    fast, slow = [], []
    for entry in entries:
        data = entry.data
        r = None
        if type(data) is dict and required <= data.keys() and data.keys() <= allowed:
            r = build(data, entry)
        if r is None:
            slow.append(entry)
        else:
            fast.append(r)
    return fast, slow
