"""The reviewer's own "My performance" page (issue 11 point 13; SCORE-ACC-3/4, SCORE-RPT-1's rows): per project
and question, the share of the GT answers they set that is still the final ground truth."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from annotation.models import GroundTruth
from catalog.models import Assignment
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import AdminFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("review:performance")


def ordered(project):
    group = project.schema.memberships.order_by("position").first().group
    return list(project.videos.order_by("project_links__position")), group.ordered_questions()


def set_gt(project, video, question, value, reviewer, *, overridden_to=None, admin=None):
    row = GroundTruth(project=project, video=video, question=question, value=value, reviewer_value=value)
    row.reviewer = reviewer
    if overridden_to is not None:
        row.value, row.overridden_by, row.overridden_at = overridden_to, admin, timezone.now()
    row.save()
    return row


@pytest.fixture
def other_reviewer(project):
    user = UserFactory(user_id="Other Reviewer")
    Assignment.objects.create(user=user, project=project, role=Assignment.Role.REVIEWER)
    return user


@pytest.fixture
def complete_gt(project, reviewer, other_reviewer):
    """Complete GT (training mode): the reviewer set three rows, one later overridden; the other set one."""
    admin = AdminFactory(user_id="Meta Admin")
    (v1, v2), (single, description) = ordered(project)
    set_gt(project, v1, single, single.options[0], reviewer)
    set_gt(project, v2, single, single.options[0], reviewer, overridden_to=single.options[1], admin=admin)
    set_gt(project, v1, description, "A dog.", reviewer)
    set_gt(project, v2, description, "A cat.", other_reviewer)
    return single, description


def test_reviewer_sees_their_accuracy_against_the_final_ground_truth(client, reviewer, project, complete_gt):
    single, description = complete_gt
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 200
    report = response.context["reports"][0]
    assert report.available and report.project == project
    assert [(r.question, r.correct, r.total, r.status) for r in report.rows] == [
        (single, 1, 2, "50%"),
        (description, 1, 1, "Correct"),
    ]
    page = response.content.decode()
    assert "66.6%" in page and "2 of your 3 ground-truth answers stand unchanged" in page  # shown floored
    assert "Keep learning" in page  # the annotator report's message for < 70%


def test_another_reviewer_sees_only_their_own_rows(client, other_reviewer, project, complete_gt):
    single, description = complete_gt
    client.force_login(other_reviewer)
    report = client.get(URL).context["reports"][0]
    assert [(r.correct, r.total) for r in report.rows] == [(0, 0), (1, 1)]
    assert report.overall.shown == "100%"


def test_before_complete_ground_truth_only_the_count_is_shown(client, reviewer, project):
    (v1, _), (single, _) = ordered(project)
    set_gt(project, v1, single, single.options[0], reviewer)
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    assert "Available once every video has ground truth (now 25%)" in page
    assert "You have set 1 ground-truth answer so far." in page and "Still yours" not in page


def test_outsiders_and_annotators_get_403_and_the_meta_portal_has_no_such_page(client, outsider, annotator, project):
    for user in (outsider, annotator):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    admin = AdminFactory(user_id="Global Admin")
    ensure_global_admin_rows(users=[admin])
    client.force_login(admin)
    assert client.get("/meta-review/performance/").status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page


def test_archived_reviewer_row_hides_the_project(client, reviewer, project, complete_gt):
    Assignment.objects.filter(user=reviewer, role=Assignment.Role.REVIEWER).update(is_active=False)
    client.force_login(reviewer)
    assert client.get(URL).status_code == 403


def test_reviewer_portal_nav_links_to_my_performance(client, reviewer, project):
    client.force_login(reviewer)
    page = client.get(reverse("review:dashboard")).content.decode()
    assert f'<a href="{URL}">My performance</a>' in page


@pytest.mark.parametrize("n_projects", [1, 4])
def test_performance_page_query_count_does_not_grow_with_projects(
    client, reviewer, project, complete_gt, django_assert_num_queries, n_projects
):
    (v1, v2), (single, description) = ordered(project)
    for _ in range(n_projects - 1):
        extra = ProjectFactory(schema=project.schema, videos=[v1, v2])
        Assignment.objects.create(user=reviewer, project=extra, role=Assignment.Role.REVIEWER)
        set_gt(extra, v1, single, single.options[0], reviewer)
    client.force_login(reviewer)
    # session, user, projects, figures (3), layouts (2), own GT rows, nav roles
    with django_assert_num_queries(10):
        response = client.get(URL)
    assert len(response.context["reports"]) == n_projects
