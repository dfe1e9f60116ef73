"""Video sort scores (SCORE-SORT): one score per video, then the order, undefined scores last."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from annotation.scoring.numbers import mean_defined

K = TypeVar("K", bound=Hashable)


def completion_rate(done: Iterable[Hashable], selected: Collection[Hashable]) -> float | None:
    """|done ∩ Qsel| ÷ |Qsel| × 100 (SCORE-SORT-2/3). done: questions the user answered on v (annotator) or
    with GT on v (reviewer). None when no question is selected."""
    if not selected:
        return None
    chosen = set(selected)
    return len(chosen.intersection(done)) * 100 / len(chosen)


def accuracy_rate(grades: Iterable[bool | None]) -> float | None:
    """correct ÷ graded × 100, ignoring None (not graded); None when nothing is graded (SCORE-SORT-2/3/4).

    Annotator: grades of the user's answers on v over Qsel (grade_single / grade_description).
    Reviewer: grade_single(answer, gt) for the selected annotators' answers to the chosen single questions.
    """
    graded = [g for g in grades if g is not None]
    return sum(graded) * 100 / len(graded) if graded else None


def model_confidence(scores: Iterable[float | None]) -> float | None:
    """Mean confidence of the chosen models' answers to the chosen single questions on v, nulls ignored."""
    return mean_defined(scores)


def annotator_consensus(answers_by_question: Iterable[Sequence[str]]) -> float | None:
    """Reached ÷ eligible × 100 (SCORE-SORT-3).

    answers_by_question: for each chosen single question, the selected annotators' answers on v. A question
    is eligible with ≥ 2 answers and reaches consensus when its most common answer is ≥ 50% of them. None
    when no question is eligible (which is always the case with fewer than 2 selected annotators).
    """
    eligible = [answers for answers in answers_by_question if len(answers) >= 2]
    if not eligible:
        return None
    reached = sum(2 * Counter(answers).most_common(1)[0][1] >= len(answers) for answers in eligible)
    return reached * 100 / len(eligible)


def sort_videos(
    video_ids: Sequence[K],
    scores: Mapping[K, float | None],
    *,
    descending: bool,
) -> list[K]:
    """Videos by score (SCORE-SORT-4): undefined (None or missing) after all others in both directions;
    ties, and the undefined ones, keep the given default order."""
    defined = [v for v in video_ids if scores.get(v) is not None]
    undefined = [v for v in video_ids if scores.get(v) is None]
    # sorted() is stable, and stays stable with reverse=True.
    return sorted(defined, key=lambda v: scores[v], reverse=descending) + undefined
