"""Search portal: video answer editor, criteria by schema and by project, completion status, and GT edits
with the search semantics (PORTAL-SRCH-1..9, PORTAL-NAV-4, SEC-4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotation import search
from annotation.models import GroundTruth, GroundTruthHistory
from catalog.models import Project, ProjectGroupProject
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import AdminFactory, ProjectFactory, ProjectGroupFactory, VideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(project):
    user = AdminFactory(user_id="Sam Searcher")
    ensure_global_admin_rows(users=[user])
    return user


def questions(project):
    group = project.schema.memberships.order_by("position").first().group
    return (group, *group.ordered_questions())


def videos(project):
    return list(project.videos.order_by("project_links__position"))


def gt(project, video, question, value, reviewer):
    return GroundTruth.objects.create(
        project=project, video=video, question=question, value=value, reviewer_value=value, reviewer=reviewer
    )


def crit(scope_id, question, answer):
    return f"{scope_id}~{question.pk}~{answer}"


def text(response) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------- access


def test_non_admins_get_403_everywhere(client, reviewer, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    client.force_login(reviewer)
    for url in (
        reverse("search:editor"),
        reverse("search:criteria_schema"),
        reverse("search:criteria_project"),
        reverse("search:completion"),
        reverse("search:history", args=[project.pk, video.pk]),
    ):
        assert client.get(url).status_code == 403, url
    url = reverse("search:submit", args=[project.pk, video.pk, group.pk])
    assert client.post(url, {}).status_code == 403
    # The root share link opens the video in the reviewer's own portals instead (issue 11.9).
    response = client.get("/", {"video_uid": video.video_uid}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("annotate:video", args=[project.pk, video.pk])


def test_share_link_redirects_admins_to_the_editor(client, admin, project):
    video = videos(project)[0]
    client.force_login(admin)
    response = client.get("/", {"video_uid": video.video_uid})
    assert response.status_code == 302 and response["Location"] == f"/search/video/?video_uid={video.video_uid}"
    assert "Search" in text(client.get(reverse("search:editor")))


# --------------------------------------------------------------------------- video answer editor


def test_uid_search_counts_and_limits_to_twenty(client, admin):
    for i in range(23):
        VideoFactory(video_uid=f"beach-{i:02d}.mp4")
    VideoFactory(video_uid="beach-old.mp4", is_active=False)
    client.force_login(admin)
    page = text(client.get(reverse("search:editor"), {"q": "BEACH"}))
    assert "23 videos match" in page and "Showing 20 of 23. Refine your search." in page
    assert "beach-old" not in page
    assert "24 videos match" in text(client.get(reverse("search:editor"), {"q": "beach", "archived": "1"}))


def test_editor_shows_every_project_with_form_modes(client, admin, reviewer, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    other = ProjectFactory(name="Second look", schema=project.schema, videos=[video])
    ensure_global_admin_rows(projects=[other])
    pg = ProjectGroupFactory(name="Cooking")
    ProjectGroupProject.objects.create(project_group=pg, project=other)
    gt(project, video, single, "yes", reviewer)
    gt(project, video, description, "A dog", reviewer)
    client.force_login(admin)
    page = text(client.get(reverse("search:editor"), {"video_uid": video.video_uid}))
    assert "Cooking" in page and "Unassigned" in page and "Second look" in page and project.name in page
    assert "Override ground truth" in page  # GT by someone else
    assert "Submit ground truth" in page  # no GT in the second project
    assert "complete GT" in page and "no GT" in page
    scoped = text(client.get(reverse("search:editor"), {"video_uid": video.video_uid, "pg": "", "unassigned": "0"}))
    assert "Second look" not in scoped and project.name not in scoped.split("3. Answers")[1]


def test_a_project_in_two_groups_appears_under_each_with_one_form(client, admin, project):
    """PORTAL-SRCH-4: each group in scope lists its projects; the second listing links to the one editable card."""
    video = videos(project)[0]
    for name in ("Cooking", "Outdoor"):
        ProjectGroupProject.objects.create(project_group=ProjectGroupFactory(name=name), project=project)
    client.force_login(admin)
    page = text(client.get(reverse("search:editor"), {"video_uid": video.video_uid}))
    answers = page.split("3. Answers")[1]
    cooking, outdoor = answers.split('<h3 class="section-title">Cooking</h3>')[1].split(
        '<h3 class="section-title">Outdoor</h3>'
    )
    card_id = f"card-p{project.pk}-{video.pk}"
    assert f'id="{card_id}"' in cooking and "Submit ground truth" in cooking
    assert project.name in outdoor and f'href="#{card_id}"' in outdoor and "edit it under Cooking" in outdoor
    assert 'method="post"' not in outdoor.split("</section>")[0]
    assert page.count(f'id="{card_id}"') == 1
    assert "Included: 2 project groups, 1 project" in page


def test_editor_submit_creates_then_resubmits_then_overrides(client, admin, reviewer, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    url = reverse("search:submit", args=[project.pk, video.pk, group.pk])
    prefix = f"v{video.pk}g{group.pk}"
    client.force_login(admin)
    response = client.post(
        url, {f"{prefix}-q{single.pk}": "yes", f"{prefix}-q{description.pk}": "A"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Re-submit ground truth" in text(response)
    assert GroundTruth.objects.get(question=single).reviewer == admin
    assert set(GroundTruthHistory.objects.values_list("source", flat=True)) == {"search"}
    # Someone else's GT: the search form overrides.
    GroundTruth.objects.update(reviewer=reviewer)
    client.post(
        url, {f"{prefix}-q{single.pk}": "no", f"{prefix}-q{description.pk}": "A"}, headers={"HX-Request": "true"}
    )
    row = GroundTruth.objects.get(question=single)
    assert (row.value, row.reviewer_value, row.overridden_by) == ("no", "yes", admin)


def test_archived_project_is_read_only(client, admin, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    Project.objects.filter(pk=project.pk).update(is_active=False)
    client.force_login(admin)
    page = text(client.get(reverse("search:editor"), {"video_uid": video.video_uid, "archived_projects": "1"}))
    assert "Archived project (read-only)" in page
    prefix = f"v{video.pk}g{group.pk}"
    url = reverse("search:submit", args=[project.pk, video.pk, group.pk])
    response = client.post(
        url, {f"{prefix}-q{single.pk}": "yes", f"{prefix}-q{description.pk}": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409 and not GroundTruth.objects.exists()


# --------------------------------------------------------------------------- criteria


@pytest.fixture
def labelled(project, reviewer):
    group, single, description = questions(project)
    first, second = videos(project)
    gt(project, first, single, "yes", reviewer)
    gt(project, first, description, "A dog", reviewer)
    gt(project, second, single, "no", reviewer)
    return first, second, single, description


def test_criteria_by_project_any_and_all(client, admin, project, labelled):
    first, second, single, description = labelled
    client.force_login(admin)
    url = reverse("search:criteria_project")
    base = {"scope": project.pk, "c": [crit(project.pk, single, "yes"), crit(project.pk, description, "A dog")]}
    page = text(client.get(url, base))
    assert f"· {first.video_uid}" in page and f"· {second.video_uid}" not in page
    assert "Criteria match details (2/2 matched)" in page
    any_two = {"scope": project.pk, "c": [crit(project.pk, single, "yes"), crit(project.pk, single, "no")]}
    page = text(client.get(url, any_two))
    assert f"· {first.video_uid}" in page and f"· {second.video_uid}" in page and "(1/2 matched)" in page
    assert "No video matches." in text(client.get(url, {**any_two, "match": "all"}))


@pytest.fixture
def twin_project(project, reviewer, labelled):
    """A second project with the same schema holding only the first video (issue 11 point 11)."""
    first, second, single, description = labelled
    twin = ProjectFactory(name="Twin", schema=project.schema, videos=[first])
    ensure_global_admin_rows(projects=[twin])
    return twin


def test_srch_7_all_never_returns_a_video_failing_a_criterion_in_another_project(
    client, admin, reviewer, project, labelled, twin_project
):
    # PORTAL-SRCH-7: the first video has "yes" in the cast project but "no" in the twin; the second video is
    # not in the twin at all. Under ALL neither may come back as "1/1 matched" through the cast project.
    first, second, single, description = labelled
    # The second video now matches the cast project's criterion too.
    GroundTruth.objects.filter(project=project, video=second, question=single).update(value="yes", reviewer_value="yes")
    gt(twin_project, first, single, "no", reviewer)
    client.force_login(admin)
    url = reverse("search:criteria_project")
    both = {
        "scope": [project.pk, twin_project.pk],
        "c": [crit(project.pk, single, "yes"), crit(twin_project.pk, single, "yes")],
    }
    page = text(client.get(url, {**both, "match": "all"}))
    assert "No video matches." in page and "matched)" not in page
    page = text(client.get(url, both))  # ANY: both videos, each 1 of the 2 criteria
    assert page.count("Criteria match details (1/2 matched)") == 2
    assert "the video is not in this project" in page and "ground truth “No”" in page
    # Now the twin agrees: the first video matches both criteria and shows a GT card per project.
    GroundTruth.objects.filter(project=twin_project).update(value="yes", reviewer_value="yes")
    response = client.get(url, {**both, "match": "all"})
    page = text(response)
    assert page.count("Criteria match details (2/2 matched)") == 1
    assert f"· {first.video_uid}" in page and f"· {second.video_uid}" not in page
    result = response.context["results"][0]
    assert [card.project.name for card in result[2]] == [project.name, "Twin"]


def test_srch_7_matching_is_exact_and_needs_ground_truth(admin, project, labelled, twin_project):
    first, second, single, description = labelled
    criteria = [search.Criterion(project.pk, description.pk, "a dog"), search.Criterion(project.pk, single.pk, "no")]
    matches = search.match_criteria(criteria, match_all=False)
    assert [(m.video_id, m.summary) for m in matches] == [(second.pk, "1/2 matched")]  # "A dog" is not "a dog"
    assert search.match_criteria([search.Criterion(twin_project.pk, single.pk, "yes")], match_all=True) == []


def test_criteria_builder_swaps_in_place_through_htmx(client, admin, project, labelled):
    # Issue 11 point 11: a drop-down change re-renders only the builder (no results, no cards).
    first, second, single, description = labelled
    client.force_login(admin)
    params = {"scope": project.pk, "c": crit(project.pk, single, "yes"), "pick_scope": project.pk}
    response = client.get(
        reverse("search:criteria_project"), params, headers={"HX-Request": "true", "HX-Target": "criteria-builder"}
    )
    page = text(response)
    assert response.status_code == 200 and page.lstrip().startswith('<section class="card" id="criteria-builder">')
    assert f'<option value="{single.pk}"' in page and "Results" not in page and "<html" not in page
    assert response.context["results"] == []
    page = text(client.get(reverse("search:criteria_project"), {**params, "pick_q": single.pk}))
    assert "Add criterion" in page and "Results" in page and "onchange" not in page


@pytest.mark.parametrize("n_projects", [1, 4])
def test_criteria_page_query_count_does_not_grow_with_projects(
    client, admin, reviewer, project, labelled, django_assert_num_queries, n_projects
):
    first, second, single, description = labelled
    extra = [ProjectFactory(schema=project.schema, videos=[first, second]) for _ in range(n_projects)]
    ensure_global_admin_rows(projects=extra)
    for p in extra:
        gt(p, first, single, "yes", reviewer)
    everywhere = [project, *extra]
    params = {"scope": [p.pk for p in everywhere], "c": [crit(p.pk, single, "yes") for p in everywhere]}
    client.force_login(admin)
    # session, user, pickable, chosen, layouts (2), candidates, GT, videos, layouts (2), GT, answers,
    # reviews, customs
    with django_assert_num_queries(15):
        response = client.get(reverse("search:criteria_project"), {**params, "match": "all"})
    assert response.status_code == 200 and len(response.context["results"]) == 1


def test_criteria_by_schema_expand_to_every_project(client, admin, reviewer, project, labelled):
    first, second, single, description = labelled
    twin = ProjectFactory(name="Twin", schema=project.schema, videos=[VideoFactory(video_uid="twin.mp4")])
    gt(twin, twin.videos.get(), single, "no", reviewer)
    ensure_global_admin_rows(projects=[twin])
    client.force_login(admin)
    page = text(
        client.get(
            reverse("search:criteria_schema"), {"scope": project.schema_id, "c": crit(project.schema_id, single, "no")}
        )
    )
    assert "· twin.mp4" in page and f"· {second.video_uid}" in page and f"· {first.video_uid}" not in page
    assert "2 projects use these schemas" in page


def test_adding_a_criterion_redirects_with_it_in_the_url(client, admin, project, labelled):
    first, second, single, description = labelled
    client.force_login(admin)
    response = client.get(
        reverse("search:criteria_project"),
        {"scope": project.pk, "add_scope": project.pk, "add_q": single.pk, "add_a": "yes"},
    )
    assert response.status_code == 302 and f"c={project.pk}~{single.pk}~yes" in response["Location"]


# --------------------------------------------------------------------------- completion status


def test_completion_status_rows_and_counts(client, admin, project, labelled):
    first, second, single, description = labelled
    client.force_login(admin)
    url = reverse("search:completion")
    page = text(client.get(url, {"project": project.pk, "status": "partial"}))
    assert "1 video with status “partial”" in page and f"· {second.video_uid}" in page
    assert "complete (1)" in page.replace("</span>", "").replace('<span class="muted">', "")
    complete = text(client.get(url, {"project": project.pk, "status": "complete"}))
    assert f"· {first.video_uid}" in complete


def test_completion_status_offers_all_videos(client, admin, project, labelled):
    first, second, single, description = labelled
    client.force_login(admin)
    page = text(client.get(reverse("search:completion"), {"project": project.pk, "status": "all"}))
    assert '<input type="radio" name="status" value="all" checked> All videos' in page
    assert "2 videos, every status" in page
    assert f"· {first.video_uid}" in page and f"· {second.video_uid}" in page


@pytest.mark.parametrize("n_projects", [1, 5])
def test_editor_query_count_does_not_grow_with_projects(client, admin, project, django_assert_num_queries, n_projects):
    video = videos(project)[0]
    extra = [ProjectFactory(schema=project.schema, videos=[video]) for _ in range(n_projects)]
    ensure_global_admin_rows(projects=extra)
    client.force_login(admin)
    # session, user, video, scope (2), positions, layouts (2), GT, answers, reviews, customs
    with django_assert_num_queries(12):
        response = client.get(reverse("search:editor"), {"video_uid": video.video_uid})
    assert response.status_code == 200
