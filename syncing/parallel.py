"""Password hashing on every core: PBKDF2 releases the GIL, so threads run default-cost hashes side by side."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor


def in_threads(fn: Callable, items: Iterable) -> list:
    """`[fn(item) for item in items]` on a few threads."""
    items = list(items)
    if len(items) < 2:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(len(items), os.cpu_count() or 1)) as pool:
        return list(pool.map(fn, items))
