"""Reviewer GT auto-submit by weighted consensus (PORTAL-REV-11, SCORE-AUTO-4..7).

`evaluate` decides, for a batch of videos, what would be submitted, skipped or failed (the preview);
`execute` evaluates afresh and writes each passing group through `set_ground_truth` in its own
transaction, guarded by the group's version token (PORTAL-REV-12). Batches are at most BATCH videos.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from annotation.forms import form_prefix
from annotation.ground_truth import GT_TOKEN_FIELDS, REVIEW_TOKEN_FIELDS, Conflict, digest, set_ground_truth
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.progress import GroupLayout
from annotation.refusals import SubmissionRefused
from annotation.scoring import formatting, voting
from annotation.verification import VerificationFailed, as_given, verify_answers
from catalog.models import Project, User, Video
from catalog.verification import get_registry

BATCH = 50
PREVIEW_VIDEOS = 5
LISTED_FAILURES = 10


@dataclass
class Settings:
    """What the reviewer chose on the auto-submit panel; anything missing takes the spec's default."""

    annotator_ids: list[int]
    user_weights: dict[int, float] = field(default_factory=dict)  # default: assignment weight, else 1.0
    option_weights: dict[int, dict[str, float]] = field(default_factory=dict)  # question -> option -> ow
    description_source: dict[int, int] = field(default_factory=dict)  # question -> annotator id ("use X's answer")
    thresholds: dict[int, float] = field(default_factory=dict)  # question -> t_q, default 100


@dataclass
class GroupEval:
    video: Video
    layout: GroupLayout
    outcome: voting.GroupOutcome
    verification_error: str = ""
    version: str = ""
    preloaded: dict = field(default_factory=dict)  # question -> voting.Preloaded (Preload only)

    @property
    def kind(self) -> str:
        """submitted / skipped / threshold / no_votes / tie / verification."""
        if self.outcome.status == voting.GroupStatus.SKIPPED:
            return "skipped"
        if self.outcome.status == voting.GroupStatus.FAILED:
            failure = self.outcome.failure
            return "no_votes" if failure in (voting.Failure.NO_VOTES, voting.Failure.ZERO_WEIGHT) else str(failure)
        return "verification" if self.verification_error else "submit"

    @property
    def reason(self) -> str:
        if self.verification_error:
            return f"verification failed: {self.verification_error}"
        if self.outcome.reason:
            return self.outcome.reason
        return "; ".join(f"{q.text}: {why}" for q, why in self.outcome.reasons.items())


def evaluate(
    *,
    project: Project,
    layout: list[GroupLayout],
    videos: list[Video],
    settings: Settings,
    weights: dict[int, float],
    break_ties: bool = False,
) -> list[GroupEval]:
    """SCORE-AUTO-1 for every (video, group) of the batch; reads only (three queries).

    `weights` holds the assignment weights of the pool, used where the reviewer entered none. With
    `break_ties` (Preload) a tie picks a value instead of failing.
    """
    video_ids = [v.pk for v in videos]
    gt = {
        (row[0], row[1]): row
        for row in GroundTruth.objects.filter(project=project, video_id__in=video_ids).values_list(
            "video_id", *GT_TOKEN_FIELDS
        )
    }
    votes: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for video_id, question_id, user_id, value in Answer.objects.filter(
        project=project, video_id__in=video_ids, user_id__in=settings.annotator_ids
    ).values_list("video_id", "question_id", "user_id", "value"):
        votes[(video_id, question_id)].append((user_id, value))
    reviews = defaultdict(list)
    for video_id, question_id, *review in AnswerReview.objects.filter(
        answer__project=project, answer__video_id__in=video_ids
    ).values_list("answer__video_id", "answer__question_id", *REVIEW_TOKEN_FIELDS):
        reviews[(video_id, question_id)].append(tuple(review))
    registry = get_registry()
    kinds = {q.pk: q.kind for g in layout for q in g.questions}

    def weight(user_id: int) -> float:
        return settings.user_weights.get(user_id, weights.get(user_id, 1.0))

    results = []
    for video in videos:
        for g in layout:
            rows = {q.pk: gt.get((video.pk, q.pk)) for q in g.questions}
            existing = {q: (rows[q.pk][2] if rows[q.pk] else None) for q in g.questions}

            def result(q, video=video):
                cast = [(value, weight(u)) for u, value in votes[(video.pk, q.pk)]]
                threshold = settings.thresholds.get(q.pk, 100.0)
                # "Use X's answer" (descriptions only, SCORE-VOTE-5) is a fixed source replacing the votes.
                source = settings.description_source.get(q.pk)
                fixed = () if source is None else [next((v for u, v in votes[(video.pk, q.pk)] if u == source), None)]
                return kinds[q.pk].vote(
                    q,
                    cast,
                    threshold=threshold,
                    break_ties=break_ties,
                    option_weights=settings.option_weights.get(q.pk),
                    fixed=fixed,
                )

            ev = decide(video, g, existing, result, registry=registry, break_ties=break_ties)
            ev.version = digest(
                [row[1:] for row in rows.values() if row],
                [r for q in g.questions for r in reviews[(video.pk, q.pk)]],
            )
            results.append(ev)
    return results


def decide(video, g: GroupLayout, existing, result, *, registry, break_ties: bool) -> GroupEval:
    """One (video, group): the preload values, or the outcome plus the verification of a passing group."""
    outcome = voting.evaluate_group(existing, result)
    ev = GroupEval(video=video, layout=g, outcome=outcome)
    if break_ties:
        ev.preloaded = voting.preload(existing, result)
    elif outcome.status == voting.GroupStatus.SUBMIT:
        try:
            verify_answers(registry, g.group.verification_function, as_given(outcome.submission))
        except VerificationFailed as exc:
            ev.verification_error = str(exc).removeprefix("Answer verification failed: ")
    return ev


@dataclass
class Summary:
    """SCORE-AUTO-5/7 counts, merged across batches by the page."""

    submitted: int = 0
    skipped: int = 0
    threshold: int = 0
    no_votes: int = 0
    tie: int = 0
    verification: int = 0
    errors: int = 0
    failures: list[dict] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)

    def add_failure(self, ev: GroupEval, reason: str | None = None) -> None:
        if len(self.failures) < LISTED_FAILURES:
            self.failures.append(
                {"video": ev.video.video_uid, "group": ev.layout.group.display_title, "reason": reason or ev.reason}
            )

    def as_dict(self) -> dict:
        return dict(vars(self))


def count_outcome(summary: Summary, ev: GroupEval) -> None:
    kind = ev.kind
    if kind == "submit":
        summary.submitted += 1
        return
    setattr(summary, kind, getattr(summary, kind) + 1)
    if kind != "skipped":
        summary.add_failure(ev)


def preview(*, project, layout, videos, settings, weights, detail_videos: int) -> Summary:
    """SCORE-AUTO-5: evaluate and write nothing; full vote breakdowns for the first `detail_videos` videos."""
    evals = evaluate(project=project, layout=layout, videos=videos, settings=settings, weights=weights)
    return summarize(evals, detailed={v.pk for v in videos[:detail_videos]})


def summarize(evals: list[GroupEval], *, detailed: set[int]) -> Summary:
    """The preview's counts, with vote breakdowns for the videos in `detailed`."""
    summary = Summary()
    for ev in evals:
        count_outcome(summary, ev)
        if ev.video.pk in detailed:
            summary.details.append(detail_of(ev))
    return summary


def detail_of(ev: GroupEval) -> dict:
    """The preview's vote breakdown of one group: per question, each voted value (a multiple choice: each option)
    with its label, weight and share, and the outcome as people read it (`chosen`: the type's shown value of
    the winner, e.g. "Pan; Zoom" or "None of these"; never the stored text)."""
    questions = []
    for q, r in ev.outcome.results.items():
        labels = q.labels()
        questions.append(
            {
                "question": q.display_text,
                "threshold": formatting.format_percent(r.threshold),
                "accepted": r.accepted,
                "reason": r.reason or "",
                "chosen": "" if r.winner is None else q.kind.shown_value(r.winner, labels),
                "values": [
                    {
                        "value": v,
                        "label": labels.get(v, v),
                        "weight": round(w, 4),
                        "share": formatting.format_percent(r.share_of(v)),
                    }
                    for v, w in r.weights.items()
                ],
            }
        )
    return {
        "video": ev.video.video_uid,
        "group": ev.layout.group.display_title,
        "outcome": ev.kind,
        "reason": "" if ev.kind == "submit" else ev.reason,
        "questions": questions,
    }


def execute(*, user: User, project, layout, videos, settings, weights) -> Summary:
    """SCORE-AUTO-7: evaluate afresh; each passing group is one transaction through the reviewer write path."""
    summary = Summary()
    for ev in evaluate(project=project, layout=layout, videos=videos, settings=settings, weights=weights):
        if ev.kind != "submit":
            count_outcome(summary, ev)
            continue
        try:
            set_ground_truth(
                user=user,
                project=project,
                video=ev.video,
                group=ev.layout.group,
                values=ev.outcome.submission,
                version=ev.version,
                source=GroundTruthHistory.Source.AUTO_SUBMIT,
            )
        except Conflict:
            summary.skipped += 1  # PORTAL-REV-12: it gained GT meanwhile, so it counts as already complete
        except SubmissionRefused as exc:  # a failed verification included
            summary.errors += 1
            summary.add_failure(ev, str(exc))
        else:
            summary.submitted += 1
    return summary


def preload(*, project, layout, videos, settings, weights) -> dict[str, dict]:
    """SCORE-AUTO-6: per form field, the existing GT or else the winner ignoring thresholds; writes nothing.

    Keys are the GT form's field names (`v<video>g<group>-q<question>`), so the page can fill its forms.
    """
    return preload_fields(
        evaluate(project=project, layout=layout, videos=videos, settings=settings, weights=weights, break_ties=True)
    )


def preload_fields(evals: list[GroupEval]) -> dict[str, dict]:
    """Voted values of preloaded evaluations by form field name (`v<video>g<group>-q<question>`)."""
    values = {}
    for ev in evals:
        prefix = form_prefix(ev.video.pk, ev.layout.group.pk)
        for q, p in ev.preloaded.items():
            if p.from_vote and p.value is not None:
                values[f"{prefix}-q{q.pk}"] = {"value": p.value, "tied": p.tied}
    return values
