"""The Jinja2 video-card templates (templates/jinja2/annotation/): escaping and precomputed links.

Requirement IDs: SEC-3 (output escaped), PORTAL-GEN-2 (deep links), PORTAL-TRN-3/4 (feedback texts).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotation.models import Answer, GroundTruth
from annotation.url_patterns import UrlPattern

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">'


def test_url_patterns_format_what_reverse_returns():
    assert UrlPattern("annotate:video", 2)(12, 3456) == reverse("annotate:video", args=[12, 3456])
    assert UrlPattern("annotate:submit", 3)(1, 22, 333) == reverse("annotate:submit", args=[1, 22, 333])


def _make_hostile(project):
    group = project.schema.memberships.get().group
    group.display_title = group.description = HOSTILE
    group.save()
    for q in group.ordered_questions():
        q.display_text = HOSTILE
        if q.qtype == "single":
            q.display_values = [HOSTILE, "No"]
        q.save()
    video = project.videos.first()
    video.video_uid = HOSTILE
    video.save()
    return group, video


def test_annotator_cards_escape_every_user_supplied_text(client, annotator, project):
    group, video = _make_hostile(project)
    single, description = group.ordered_questions()
    Answer.objects.create(project=project, video=video, question=description, user=annotator, value=HOSTILE)
    client.force_login(annotator)

    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()

    assert "<img" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page  # titles, texts, labels, the textarea
    assert page.count('class="video-card"') == 2
    assert f'href="{reverse("annotate:video", args=[project.pk, video.pk])}"' in page
    assert f'action="{reverse("annotate:submit", args=[project.pk, video.pk, group.pk])}"' in page


def test_training_feedback_escapes_own_and_ground_truth_text(client, annotator, reviewer, project):
    group, video = _make_hostile(project)
    single, description = group.ordered_questions()
    for v in project.videos.all():
        for q, value in ((single, "yes"), (description, HOSTILE)):
            GroundTruth.objects.create(
                project=project, video=v, question=q, value=value, reviewer_value=value, reviewer=reviewer
            )
    client.force_login(annotator)
    prefix = f"v{video.pk}g{group.pk}"
    response = client.post(
        reverse("annotate:submit", args=[project.pk, video.pk, group.pk]),
        {f"{prefix}-q{single.pk}": "no", f"{prefix}-q{description.pk}": HOSTILE},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<img" not in body
    assert body.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;") >= 3  # own answer, GT, question text
    assert "✗ Incorrect" in body
