"""Issue 11 point 9: the player's copy-link gives a role-neutral /v/<video>/ link that opens the video in the
portal the receiver may use (annotators got 403 on the search portal's link); outsiders get 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotation.player import share_link
from catalog.models import Assignment, Project, Video
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import AdminFactory, ProjectFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def first_video(project):
    return project.videos.order_by("project_links__position").first()


def follow(client, url) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get("Location", "")


def test_share_link_names_video_project_and_portal():
    assert share_link(7, 3, "review") == "/v/7/?project=3&portal=review"
    assert share_link(7) == "/v/7/"


def test_annotator_opens_a_link_shared_by_an_annotator_in_their_portal(client, annotator, project):
    video = first_video(project)
    client.force_login(annotator)
    assert follow(client, share_link(video.pk, project.pk, "annotate")) == (
        302,
        reverse("annotate:video", args=[project.pk, video.pk]),
    )
    # A reviewer's link still opens for an annotator: in the portal they have.
    assert follow(client, share_link(video.pk, project.pk, "review"))[1] == reverse(
        "annotate:video", args=[project.pk, video.pk]
    )
    assert client.get(share_link(video.pk, project.pk, "annotate"), follow=True).status_code == 200


def test_reviewer_lands_in_the_portal_the_link_came_from(client, reviewer, project):
    video = first_video(project)
    client.force_login(reviewer)
    assert follow(client, share_link(video.pk, project.pk, "review"))[1] == reverse(
        "review:video", args=[project.pk, video.pk]
    )
    assert follow(client, share_link(video.pk, project.pk, "annotate"))[1] == reverse(
        "annotate:video", args=[project.pk, video.pk]
    )


def test_link_from_a_project_the_receiver_is_not_in_opens_their_own_project(client, project):
    video = first_video(project)
    mine = ProjectFactory(schema=project.schema, videos=[video])
    user = UserFactory()
    Assignment.objects.create(user=user, project=mine, role=Assignment.Role.ANNOTATOR)
    client.force_login(user)
    assert follow(client, share_link(video.pk, project.pk, "annotate"))[1] == reverse(
        "annotate:video", args=[mine.pk, video.pk]
    )


def test_global_admin_opens_meta_review_or_search(client, project):
    video = first_video(project)
    admin = AdminFactory()
    ensure_global_admin_rows(users=[admin])
    client.force_login(admin)
    assert follow(client, share_link(video.pk, project.pk, "meta"))[1] == reverse(
        "meta:video", args=[project.pk, video.pk]
    )
    assert (
        follow(client, share_link(video.pk, project.pk, "search"))[1] == f"/search/video/?video_uid={video.video_uid}"
    )
    assert follow(client, share_link(video.pk))[1] == f"/search/video/?video_uid={video.video_uid}"


def test_outsider_unknown_and_archived_get_403_and_anonymous_must_log_in(client, outsider, annotator, project):
    video = first_video(project)
    assert follow(client, share_link(video.pk, project.pk))[1].startswith("/login/")
    client.force_login(outsider)
    denied = client.get(share_link(video.pk, project.pk, "annotate"))
    assert denied.status_code == 403 and "Not allowed" in denied.content.decode()
    client.force_login(annotator)
    assert client.get(share_link(VideoFactory().pk, project.pk)).status_code == 403  # not in any project of theirs
    assert client.get("/v/999999/").status_code == 403  # unknown: the same answer
    Video.objects.filter(pk=video.pk).update(is_active=False)
    assert client.get(share_link(video.pk, project.pk)).status_code == 403
    Video.objects.filter(pk=video.pk).update(is_active=True)
    Project.objects.filter(pk=project.pk).update(is_active=False)
    assert client.get(share_link(video.pk, project.pk)).status_code == 403


def test_root_video_uid_link_opens_the_video_for_annotators(client, annotator, project):
    video = first_video(project)
    client.force_login(annotator)
    response = client.get("/", {"video_uid": video.video_uid}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("annotate:video", args=[project.pk, video.pk])
    assert response.status_code == 200


def test_cards_copy_the_role_neutral_link(client, annotator, reviewer, project):
    video = first_video(project)
    client.force_login(annotator)
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert f'"share_url": "/v/{video.pk}/?project={project.pk}\\u0026portal=annotate"' in page
    client.force_login(reviewer)
    page = client.get(reverse("review:project", args=[project.pk])).content.decode()
    assert f'"share_url": "/v/{video.pk}/?project={project.pk}\\u0026portal=review"' in page
