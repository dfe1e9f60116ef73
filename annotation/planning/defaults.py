"""Auto-submit on entry: which default answers to create for a user's unanswered auto-submit groups.

The decision behind annotation.autosubmit.on_entry.submit_defaults (SCORE-AUTO-1 and SCORE-AUTO-2), as plain
data: the groups as (title, verification function, [(question id, text, default option)]), the user's
stored values as {(video_id, question_id): value}, and a `verify(function, values) -> bool` the caller
supplies (the verification registry). Answers the user already gave are kept (SCORE-AUTO-1 step 1); a
question without a default fails its group ("no default answer"), and so does a failed verification
(step 5).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class DefaultsPlan:
    creates: list[tuple] = field(default_factory=list)  # (video_id, question_id, value)
    submitted: int = 0  # (video, group) pairs answered
    failed_verification: int = 0
    failed_no_default: int = 0
    by_group: dict[str, int] = field(default_factory=dict)  # group title -> videos answered
    video_ids: list[int] = field(default_factory=list)  # videos that got answers, in order


def plan_defaults(
    *,
    groups: Sequence[tuple[str, str | None, Sequence[tuple[int, str, str | None]]]],
    video_ids: Sequence[int],
    have: Mapping[tuple[int, int], str],
    verify: Callable[[str | None, dict[str, str]], bool],
) -> DefaultsPlan:
    """Per video and group: answer the missing questions with their defaults, or count why not."""
    plan = DefaultsPlan()
    for video_id in video_ids:
        touched = False
        for title, function, questions in groups:
            missing = [(q, default) for q, _, default in questions if (video_id, q) not in have]
            if not missing:
                continue
            if any(default is None for _, default in missing):
                plan.failed_no_default += 1
                continue
            values = {text: have.get((video_id, q), default) for q, text, default in questions}
            if not verify(function, values):
                plan.failed_verification += 1
                continue
            plan.creates += [(video_id, q, default) for q, default in missing]
            plan.submitted += 1
            plan.by_group[title] = plan.by_group.get(title, 0) + 1
            touched = True
        if touched:
            plan.video_ids.append(video_id)
    return plan
