"""How the portal tests drive the annotator and reviewer pages: the cast project's parts, answers and GT rows,
and the POSTs a page sends. Shared by several test modules, so none of them imports another."""

from __future__ import annotations

from django.urls import reverse

from annotation.models import Answer, GroundTruth
from catalog.models import Project


def questions(project: Project):
    group = project.schema.memberships.order_by("position").first().group
    single, description = group.ordered_questions()
    return group, single, description


def videos(project):
    return list(project.videos.order_by("project_links__position"))


def answer(user, project, video, single, description, value="yes", text="A dog.", confidence=None):
    Answer.objects.create(
        project=project, video=video, question=single, user=user, value=value, confidence_score=confidence
    )
    return Answer.objects.create(project=project, video=video, question=description, user=user, value=text)


def submit_url(project, video, group):
    return reverse("annotate:submit", args=[project.pk, video.pk, group.pk])


def post_answers(client, project, video, group, values: dict, htmx=True):
    prefix = f"v{video.pk}g{group.pk}"
    data = {f"{prefix}-q{q.pk}": v for q, v in values.items()}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(submit_url(project, video, group), data, headers=headers)


def set_gt(project, reviewer, value_for):
    """Complete GT for every (video, question) of the project: training mode."""
    group, single, description = questions(project)
    for video in project.videos.all():
        for q in (single, description):
            value = value_for(q, video)
            GroundTruth.objects.create(
                project=project, video=video, question=q, value=value, reviewer_value=value, reviewer=reviewer
            )


def run_defaults(client, project, action, group, **fields):
    data = {"action": action, "scope": "project", "grp": [group.pk], **fields}
    return client.post(reverse("annotate:defaults", args=[project.pk]), data)


def run_auto_submit(client, project, action, pool, **fields):
    data = {"action": action, "scope": "project", "pool": [u.pk for u in pool], **fields}
    return client.post(reverse("review:auto_submit", args=[project.pk]), data)
