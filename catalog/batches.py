"""Reading rows by id in chunks, so an IN (...) list stays below SQLite's parameter limit (SYNC-GEN-13)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

READ_CHUNK = 2000  # ids per IN (...) query


def chunks(items: Iterable, size: int = READ_CHUNK) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
