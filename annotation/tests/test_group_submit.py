"""The shared group submit flow and the scope rules it reads through (issue 14 points 4 and 5): the posted
`next` page only when it is on this site, the search portal's set-or-override choice in the write layer, and
the QuerySet methods for V(P), rows in scope and held roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotation.ground_truth import set_or_override_ground_truth
from annotation.models import Answer, GroundTruth, GroundTruthHistory
from catalog.models import Assignment, ProjectVideo
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def group_of(project):
    group = project.schema.memberships.order_by("position").first().group
    return group, *group.ordered_questions()


def post_without_javascript(client, project, video, **extra):
    group, single, description = group_of(project)
    prefix = f"v{video.pk}g{group.pk}"
    data = {f"{prefix}-q{single.pk}": "no", f"{prefix}-q{description.pk}": "", **extra}
    return client.post(reverse("annotate:submit", args=[project.pk, video.pk, group.pk]), data)


@pytest.mark.parametrize("target", ["https://evil.example/annotate/", "//evil.example/", "javascript:alert(1)"])
def test_an_off_site_next_page_falls_back_to_the_project(client, annotator, project, target):
    video = project.videos.first()
    client.force_login(annotator)
    response = post_without_javascript(client, project, video, next=target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('annotate:project', args=[project.pk])}#card-{video.pk}"
    assert Answer.objects.filter(user=annotator).count() == 2


def test_an_on_site_next_page_is_where_the_user_goes_back_to(client, annotator, project):
    video = project.videos.first()
    client.force_login(annotator)
    back = reverse("annotate:project", args=[project.pk]) + "?page=2"
    response = post_without_javascript(client, project, video, next=back)
    assert response.status_code == 302 and response["Location"] == f"{back}#card-{video.pk}"


@pytest.fixture
def admin(project):
    user = AdminFactory(user_id="Sam Searcher")
    ensure_global_admin_rows(users=[user])
    return user


def test_search_write_sets_ground_truth_when_there_is_none(admin, project):
    group, single, description = group_of(project)
    video = project.videos.first()
    set_or_override_ground_truth(
        user=admin, project=project, video=video, group=group, values={single: "yes", description: "fine"}
    )
    rows = GroundTruth.objects.filter(project=project, video=video)
    assert {(r.reviewer_id, r.overridden_by_id) for r in rows} == {(admin.pk, None)}
    assert set(GroundTruthHistory.objects.values_list("source", flat=True)) == {GroundTruthHistory.Source.SEARCH}


def test_search_write_overrides_another_reviewers_ground_truth(admin, reviewer, project):
    group, single, description = group_of(project)
    video = project.videos.first()
    for q, value in ((single, "no"), (description, "fine")):
        GroundTruth.objects.create(
            project=project, video=video, question=q, value=value, reviewer_value=value, reviewer=reviewer
        )
    set_or_override_ground_truth(
        user=admin, project=project, video=video, group=group, values={single: "yes", description: "fine"}
    )
    changed = GroundTruth.objects.get(question=single)
    assert (changed.value, changed.reviewer_id, changed.overridden_by_id) == ("yes", reviewer.pk, admin.pk)


def test_scope_methods_leave_out_archived_videos_and_projects(annotator, project):
    group, single, description = group_of(project)
    kept, archived = project.videos.order_by("project_links__position")
    for video in (kept, archived):
        Answer.objects.create(project=project, video=video, question=single, user=annotator, value="no")
    archived.is_active = False
    archived.save()
    assert list(ProjectVideo.objects.of_active_videos().filter(project=project).values_list("video", flat=True)) == [
        kept.pk
    ]
    assert list(Answer.objects.for_project(project).in_scope().values_list("video", flat=True)) == [kept.pk]
    assert list(Answer.objects.on_member_videos().values_list("video", flat=True)) == [kept.pk]
    assert Assignment.objects.for_user(annotator).held().count() == 1
    project.is_active = False
    project.save()
    assert not Assignment.objects.for_user(annotator).held().exists()
