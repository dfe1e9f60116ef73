"""Running a question group's verification function on answers (SYNC-VER-5).

The function comes from the registry of catalog.verification. A refusal is a SubmissionRefused, so the
portals, the API and sync report it like every other refused write.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from annotation.refusals import SubmissionRefused
from catalog.verification import Registry

if TYPE_CHECKING:
    from catalog.models import Question

log = logging.getLogger(__name__)


class VerificationFailed(SubmissionRefused):
    """A verification function blocked a submission; the message is ready to show (SYNC-VER-5)."""


BROKEN_MESSAGE = "The answers could not be checked, so they were not saved. Please tell an administrator."


class _Overran(Exception):
    pass


class _Runner:
    """A daemon thread that runs one request thread's verification calls, so a call can be given up on
    after its time limit (signal.alarm works only in the main thread, and runserver and threaded
    workers serve requests in others). A call that overruns abandons its thread, which ends once the
    function returns; at most MAX_ABANDONED such threads exist at a time, after which calls fail at once.
    """

    MAX_ABANDONED = 8
    abandoned = 0  # across threads
    _count_lock = threading.Lock()

    def __init__(self):
        self.jobs: queue.SimpleQueue | None = None

    def _start(self) -> queue.SimpleQueue:
        jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._work, args=(jobs,), name="verification", daemon=True).start()
        return jobs

    @staticmethod
    def _work(jobs: queue.SimpleQueue) -> None:
        # Ends at the None its caller queues when giving up on it, once the overrunning call returns.
        while (job := jobs.get()) is not None:
            fn, arg, done, box = job
            try:
                box["result"] = fn(arg)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, SystemExit included
                box["error"] = exc
            done.set()
        with _Runner._count_lock:
            _Runner.abandoned -= 1

    def call(self, fn, arg, limit: float):
        if _Runner.abandoned >= self.MAX_ABANDONED:
            raise _Overran(f"{_Runner.abandoned} earlier calls are still running")
        if self.jobs is None:
            self.jobs = self._start()
        done, box = threading.Event(), {}
        self.jobs.put((fn, arg, done, box))
        if not done.wait(limit):
            with _Runner._count_lock:
                _Runner.abandoned += 1
            self.jobs.put(None)
            self.jobs = None
            raise _Overran(f"no answer after {limit:g} s")
        if "error" in box:
            raise box["error"]
        return box.get("result")


_runners = threading.local()


def _run(fn, arg, limit: float | None):
    if limit is None:
        return fn(arg)
    runner = getattr(_runners, "runner", None)
    if runner is None:
        runner = _runners.runner = _Runner()
    return runner.call(fn, arg, limit)


def as_given(values: Mapping[Question, str]) -> dict[str, Any]:
    """Stored answers, keyed by question, as a verification function receives them: keyed by question text,
    each value as the workspace writes it (a string, or a list of options for a multiple-choice question)."""
    return {q.text: q.kind.to_external(q, value) for q, value in values.items()}


def verify_answers(registry: Registry, name: str | None, answers: dict[str, Any]) -> None:
    """Run the group's function on its answers (`as_given`); raise VerificationFailed with the spec's message.

    A ValueError is the function's own refusal and its message is shown. Anything else (another
    exception, sys.exit, or no answer within the registry's time limit) is a broken function: sync
    reports the detail, the web app shows a plain message and logs the detail.
    """
    if not name:
        return
    fn = registry.functions.get(name)
    if fn is None:
        raise VerificationFailed(f"verification function {name} is not registered")
    try:
        _run(fn, dict(answers), registry.time_limit)
    except ValueError as exc:
        raise VerificationFailed(f"Answer verification failed: {exc}") from None
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - a broken function must block, not crash
        detail = f"verification function {name} failed unexpectedly: {type(exc).__name__}: {exc}"
        if isinstance(exc, _Overran):
            detail = f"verification function {name} did not finish: {exc}"
        log.error("%s (source %s)", detail, registry.sources.get(name), exc_info=not isinstance(exc, _Overran))
        raise VerificationFailed(BROKEN_MESSAGE if registry.time_limit is not None else detail) from None
