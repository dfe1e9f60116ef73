"""The one submit flow of a question group's form, shared by the annotate, review and search portals.

A view authorises, picks its write function (submission.submit_answers, ground_truth.set_ground_truth,
override_ground_truth or set_or_override_ground_truth) and renders; this module validates the posted form,
calls the write and turns every refusal into a status and a message, so the three portals cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from annotation.forms import QuestionGroupForm, posted_group_form, posted_reviews
from annotation.progress import GroupLayout
from annotation.refusals import SubmissionRefused
from catalog.models import Project, Video

INCOMPLETE = "Please answer every question."


@dataclass(frozen=True)
class Submitted:
    """What one submit came to: the write's result, or the status and message of its refusal."""

    form: QuestionGroupForm
    status: int = 200
    error: str = ""
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def refused_form(self) -> QuestionGroupForm | None:
        """The bound form when the submit was refused, so the panel keeps what the user entered."""
        return None if self.ok else self.form


def group_in(layout: list[GroupLayout], group_id: int) -> GroupLayout | None:
    return next((g for g in layout if g.group.pk == group_id), None)


def no_such_group() -> HttpResponse:
    return HttpResponse("No such question group in this project", status=404)


def submit_group_form(
    request,
    *,
    project: Project,
    video: Video,
    group: GroupLayout,
    write: Callable[..., Any],
    with_reviews: bool = False,
    refused: str = "",
    **write_kwargs,
) -> Submitted:
    """Validate the posted form of `group` on `video`, then `write` its answers (PORTAL-PRJ-10).

    `with_reviews`: a ground-truth write, which also takes the form's description reviews and its version
    token (PORTAL-REV-5/12). `refused`: a 409 the view decided before any write (an archived project).
    """
    form = posted_group_form(project, video, group, request.POST)
    if refused:
        return Submitted(form, 409, refused)
    if not form.is_valid():
        return Submitted(form, 400, INCOMPLETE)
    if with_reviews:
        write_kwargs["reviews"] = posted_reviews(request.POST, form.prefix)
        write_kwargs["version"] = request.POST.get(f"{form.prefix}-version") or None
    try:
        result = write(
            user=request.user, project=project, video=video, group=group.group, values=form.answers(), **write_kwargs
        )
    except SubmissionRefused as exc:
        return Submitted(form, exc.status, str(exc))
    return Submitted(form, result=result)


def back_to(request, default: str) -> str:
    """The posted `next` page when it is on this site (no open redirect), else `default`."""
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
