"""Annotator manual auto-submit (PORTAL-ANN-4, SCORE-AUTO-3): default answers as virtual responses.

The user's own answers are never votes: a question they answered keeps its value (SCORE-AUTO-1 step 1).
A question's ticked defaults are virtual responses of weight 1 (a multiple-choice question's ticked set is
one response); a description default text is a fixed source (SCORE-VOTE-5). Writes go through
`submit_answers`, one group per transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotation.autosubmit.consensus import GroupEval, Summary, count_outcome, decide, preload_fields, summarize
from annotation.models import Answer
from annotation.progress import GroupLayout
from annotation.refusals import SubmissionRefused
from annotation.scoring import voting
from annotation.submission import submit_answers
from catalog.models import Project, User, Video
from catalog.verification import get_registry


@dataclass
class Settings:
    group_ids: list[int]
    # question with options -> its ticked default boxes as votes (the type's default_votes)
    defaults: dict[int, list[tuple[str, float]]] = field(default_factory=dict)
    default_text: dict[int, str] = field(default_factory=dict)  # description question -> default text
    thresholds: dict[int, float] = field(default_factory=dict)


def evaluate(
    *,
    user: User,
    project: Project,
    layout: list[GroupLayout],
    videos: list[Video],
    settings: Settings,
    break_ties=False,
) -> list[GroupEval]:
    """SCORE-AUTO-1 for the chosen groups on these videos (one query: the user's own answers)."""
    own = {
        (v, q): value
        for v, q, value in Answer.objects.filter(
            project=project, user=user, video_id__in=[v.pk for v in videos]
        ).values_list("video_id", "question_id", "value")
    }
    registry = get_registry()
    chosen = [g for g in layout if g.group.pk in set(settings.group_ids)]

    kinds = {q.pk: q.kind for g in layout for q in g.questions}

    def result(q):
        # The ticked default boxes as the type reads them (a single choice: each option votes once; a
        # multiple choice: the ticked set is one vote); a default text is a fixed source (descriptions).
        votes = settings.defaults.get(q.pk, [])
        text = settings.default_text.get(q.pk)
        fixed = [text] if text is not None else []
        threshold = settings.thresholds.get(q.pk, 100.0)
        return kinds[q.pk].vote(q, votes, threshold=threshold, break_ties=break_ties, fixed=fixed)

    results = []
    for video in videos:
        for g in chosen:
            existing = {q: own.get((video.pk, q.pk)) for q in g.questions}
            results.append(decide(video, g, existing, result, registry=registry, break_ties=break_ties))
    return results


def preview(*, detail_videos: int, **kwargs) -> tuple[Summary, float | None]:
    """SCORE-AUTO-5 plus the consensus score of SCORE-VOTE-6 over the evaluated questions."""
    evals = evaluate(**kwargs)
    summary = summarize(evals, detailed={v.pk for v in kwargs["videos"][:detail_videos]})
    score = voting.consensus_score(r for ev in evals for r in ev.outcome.results.values())
    return summary, score


def execute(*, user: User, project: Project, **kwargs) -> Summary:
    """SCORE-AUTO-7: evaluate afresh, then each passing group through the annotator write path."""
    summary = Summary()
    for ev in evaluate(user=user, project=project, **kwargs):
        if ev.kind != "submit":
            count_outcome(summary, ev)
            continue
        try:
            submit_answers(
                user=user, project=project, video=ev.video, group=ev.layout.group, values=ev.outcome.submission
            )
        except SubmissionRefused as exc:  # a failed verification included
            summary.errors += 1
            summary.add_failure(ev, str(exc))
        else:
            summary.submitted += 1
    return summary


def preload(**kwargs) -> dict[str, dict]:
    """SCORE-AUTO-6 for the annotator's forms (`v<video>g<group>-q<question>` field names)."""
    return preload_fields(evaluate(break_ties=True, **kwargs))
