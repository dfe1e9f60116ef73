"""Password hashing on every core: PBKDF2 releases the GIL, so threads run default-cost hashes side by side."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor


def in_threads(fn: Callable, items: Iterable) -> list:
    """`[fn(item) for item in items]` on a few threads."""
    items = list(items)
    if len(items) < 2:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(len(items), os.cpu_count() or 1)) as pool:
        return list(pool.map(fn, items))


class InBackground:
    """`[fn(item) for item in items]` on a few threads, started now; `results()` waits for them.

    The caller goes on meanwhile: sync plans and writes every later table while the hashes run.
    """

    def __init__(self, fn: Callable, items: Iterable):
        items = list(items)
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(len(items), os.cpu_count() or 1)))
        self._futures: list[Future] = [self._pool.submit(fn, item) for item in items]

    def results(self) -> list:
        try:
            return [future.result() for future in self._futures]
        finally:
            self._pool.shutdown()

    def cancel(self) -> None:
        """Drop what has not started (a failed or dry run needs no result); running calls end on their own."""
        self._pool.shutdown(wait=False, cancel_futures=True)
