"""A search-and-pick list shared by bulk assignment and project creation: the selection travels in the form,
so it builds up across searches (PORTAL-ADM-4, PORTAL-ADM-9)."""

from __future__ import annotations

from dataclasses import dataclass

FOUND_LIMIT = 100  # rows shown per search; "select all found" takes every match


def ids(values) -> list[int]:
    out = []
    for value in values:
        try:
            out.append(int(value))
        except (TypeError, ValueError):
            continue
    return list(dict.fromkeys(out))


@dataclass
class Picker:
    """One picker: a search, its matches and the selection built up across searches."""

    q: str
    found: list
    found_count: int
    selected: list

    @property
    def unselected_found(self) -> list:
        chosen = {obj.pk for obj in self.selected}
        return [obj for obj in self.found if obj.pk not in chosen]
