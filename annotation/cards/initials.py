"""Short labels for the people named on one page, unique within that page (issue 11.8).

DM-DER-10's initials collide easily ("Robot 1" and "Reviewer 1" are both R1), so a page that labels votes
with initials lengthens the colliding ones just enough to tell them apart: "Ro1" and "Re1". The full name is
always shown on hover, and forms and URLs never identify anyone by these labels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol


class Person(Protocol):
    pk: int
    user_id: str
    initials: str


def _candidates(user_id: str, initials: str) -> list[str]:
    """From shortest to longest: the initials, then more of the first word with the last word's first
    letter ("Robot 1" -> "Ro1", "Rob1", …), and finally the whole user id, which the database keeps unique."""
    words = user_id.split()
    first, tail = (words[0], words[-1][0].upper()) if len(words) >= 2 else (user_id, "")
    found = [initials, *(first[:n].capitalize() + tail for n in range(2, len(first) + 1)), user_id]
    seen: set[str] = set()
    return [label for label in found if not (label.casefold() in seen or seen.add(label.casefold()))]


def unique_initials(people: Iterable[Person]) -> dict[int, str]:
    """{user pk: label}: each person's initials, lengthened only where two people on the page share them."""
    unique = {p.pk: p for p in people}
    options = {pk: _candidates(p.user_id, p.initials) for pk, p in unique.items()}
    step = dict.fromkeys(unique, 0)
    while True:
        labels = {pk: options[pk][step[pk]] for pk in unique}
        counts = Counter(label.casefold() for label in labels.values())
        clashing = [pk for pk, label in labels.items() if counts[label.casefold()] > 1]
        movable = [pk for pk in clashing if step[pk] + 1 < len(options[pk])]
        if not movable:
            return labels
        for pk in movable:
            step[pk] += 1
