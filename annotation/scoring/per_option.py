"""Per-option precision and recall of set-valued answers (multiple-choice questions, issue 15).

An answer and its ground truth are both sets of options. For one option o, over the answered videos that have
ground truth (pairs of answer set A and GT set G):

    precision_o = #{A ∋ o and G ∋ o} / #{A ∋ o}    (of the answers that ticked o, how many the GT agrees with)
    recall_o    = #{A ∋ o and G ∋ o} / #{G ∋ o}    (of the GT sets that hold o, how many the answer caught)

both as percentages, undefined (None) when the denominator is 0. The pairs may be one user's or everyone's
(every answer counts once). Standard library only, like the rest of `scoring`; formulas in docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from annotation.scoring.accuracy import accuracy


@dataclass(frozen=True)
class OptionScore:
    """The counts behind one option's precision and recall."""

    option: str
    answered: int  # answers that hold the option
    truth: int  # GT sets that hold the option
    both: int  # answers that hold it where the GT holds it too

    @property
    def precision(self) -> float | None:
        return accuracy(self.both, self.answered)

    @property
    def recall(self) -> float | None:
        return accuracy(self.both, self.truth)


def option_scores(
    pairs: Iterable[tuple[Collection[str], Collection[str]]], options: Sequence[str]
) -> tuple[OptionScore, ...]:
    """One OptionScore per option, in option order, from (answer set, GT set) pairs.

    A value outside `options` is ignored (an option removed from a question cannot be, DM-Q-3, but the
    arithmetic does not rely on it).
    """
    index = {o: i for i, o in enumerate(options)}
    answered, truth, both = [0] * len(options), [0] * len(options), [0] * len(options)
    for answer, gt in pairs:
        gt = frozenset(gt)
        for o in answer:
            i = index.get(o)
            if i is not None:
                answered[i] += 1
                both[i] += o in gt
        for o in gt:
            i = index.get(o)
            if i is not None:
                truth[i] += 1
    return tuple(OptionScore(o, answered[i], truth[i], both[i]) for i, o in enumerate(options))
