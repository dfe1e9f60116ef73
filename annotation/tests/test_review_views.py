"""Reviewer and meta-reviewer portals: GT forms with vote shares, reviews, submit, override, history,
conflicts and permissions (PORTAL-REV, PORTAL-META, PORTAL-PRJ-12, DM-GT, DM-HIST, SEC-4)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from annotation.ground_truth import version_token
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.tests.portal import answer, questions, videos
from catalog.models import Assignment
from catalog.tests.factories import AdminFactory, ModelUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_gt(client, project, video, group, values, *, ns="review", reviews=None, version=None, htmx=True):
    prefix = f"v{video.pk}g{group.pk}"
    data = {f"{prefix}-q{q.pk}": v for q, v in values.items()}
    for answer_id, status in (reviews or {}).items():
        data[f"{prefix}-review-{answer_id}"] = status
    if version is not None:
        data[f"{prefix}-version"] = version
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse(f"{ns}:submit", args=[project.pk, video.pk, group.pk]), data, headers=headers)


@pytest.fixture
def admin(project):
    from catalog.roles import ensure_global_admin_rows

    user = AdminFactory(user_id="Meta Admin")
    ensure_global_admin_rows(users=[user])
    return user


# --------------------------------------------------------------------------- access


def test_outsider_and_plain_annotator_get_404_on_reviewer_pages(client, outsider, annotator, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    for user in (outsider, annotator):
        client.force_login(user)
        for url in (
            reverse("review:project", args=[project.pk]),
            reverse("review:video", args=[project.pk, video.pk]),
            reverse("review:history", args=[project.pk, video.pk]),
        ):
            assert client.get(url).status_code == 404, url
        assert post_gt(client, project, video, group, {single: "yes", description: ""}).status_code == 404
        assert client.post(reverse("review:layout", args=[project.pk])).status_code == 404
    assert not GroundTruth.objects.exists()


def test_non_admin_gets_403_on_every_meta_review_page(client, reviewer, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    client.force_login(reviewer)
    assert client.get(reverse("meta:dashboard")).status_code == 403
    assert client.get(reverse("meta:project", args=[project.pk])).status_code == 403
    assert client.get(reverse("meta:history", args=[project.pk, video.pk])).status_code == 403
    assert post_gt(client, project, video, group, {single: "yes", description: ""}, ns="meta").status_code == 403


def test_reviewer_gets_reviewer_portal_link_and_dashboard(client, reviewer, project):
    client.force_login(reviewer)
    page = client.get(reverse("review:dashboard")).content.decode()
    assert project.name in page and "Annotator · Reviewer" in page and 'href="/review/"' in page
    assert "Ground truth" in page  # cards show GT progress (PORTAL-DASH-6)


# --------------------------------------------------------------------------- the page


def test_gt_form_shows_vote_shares_captions_and_answers(client, reviewer, annotator, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    robot = ModelUserFactory(user_id="Robot")
    Assignment.objects.create(user=robot, project=project, role=Assignment.Role.MODEL)
    answer(annotator, project, video, single, description, value="yes", text="A <b>dog</b>.")
    answer(robot, project, video, single, description, value="no", text="A cat.", confidence=0.873)
    client.force_login(reviewer)
    ids = [annotator.pk, robot.pk]
    page = client.get(reverse("review:project", args=[project.pk]), {"ann": ids}).content.decode()
    assert "Review mode – help create the ground truth" in page
    assert "Yes — 50%: AO" in page and "No — 50%: RO (0.87)" in page  # PORTAL-REV-3
    assert "Answered: Ann Otator (AO), Robot (RO) | Missing: — | No GT" in page  # PORTAL-REV-4
    assert "A &lt;b&gt;dog&lt;/b&gt;." in page  # SEC-3
    assert "2 selected • 0 completed • 2 total" in page


def test_default_selection_is_first_three_completed(client, reviewer, project):
    group, single, description = questions(project)
    people = [UserFactory(user_id=f"Zed {c}") for c in "DCBA"]
    for user in people:
        Assignment.objects.create(user=user, project=project, role=Assignment.Role.ANNOTATOR)
        for video in videos(project):
            answer(user, project, video, single, description)
    client.force_login(reviewer)
    page = client.get(reverse("review:project", args=[project.pk])).content.decode()
    assert "3 selected • 4 completed • 4 total" in page
    assert "Answered: Zed A (ZA), Zed B (ZB), Zed C (ZC)" in page
    none = client.get(reverse("review:project", args=[project.pk]), {"ann": ""}).content.decode()
    assert "0 selected" in none


# --------------------------------------------------------------------------- submit (PORTAL-REV-6)


def test_submit_creates_gt_with_history_and_reviews(client, reviewer, annotator, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    desc = answer(annotator, project, video, single, description)
    client.force_login(reviewer)
    response = post_gt(
        client, project, video, group, {single: "yes", description: "A dog."}, reviews={desc.pk: "approved"}
    )
    assert response.status_code == 200
    assert {(g.question_id, g.value, g.reviewer_id) for g in GroundTruth.objects.all()} == {
        (single.pk, "yes", reviewer.pk),
        (description.pk, "A dog.", reviewer.pk),
    }
    assert list(GroundTruthHistory.objects.values_list("kind", "source", "old_value", "new_value").order_by("id")) == [
        ("created", "review", None, "yes"),
        ("created", "review", None, "A dog."),
    ]
    assert AnswerReview.objects.get(answer=desc).status == "approved"
    body = response.content.decode()
    assert "Re-submit ground truth" in body and "Ground truth saved." in body
    again = post_gt(
        client, project, video, group, {single: "yes", description: "A dog."}, reviews={desc.pk: "approved"}
    )
    assert "No changes" in again.content.decode() and GroundTruthHistory.objects.count() == 2


def test_changing_one_value_reattributes_the_group(client, reviewer, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    other = UserFactory(user_id="Other Reviewer")
    Assignment.objects.create(user=other, project=project, role=Assignment.Role.ANNOTATOR)
    Assignment.objects.create(user=other, project=project, role=Assignment.Role.REVIEWER)
    client.force_login(other)
    post_gt(client, project, video, group, {single: "yes", description: "x"})
    client.force_login(reviewer)
    post_gt(client, project, video, group, {single: "no", description: "x"})
    assert set(GroundTruth.objects.values_list("reviewer_id", flat=True)) == {reviewer.pk}  # DM-GT-3
    kinds = list(GroundTruthHistory.objects.order_by("id").values_list("kind", flat=True))
    assert kinds[2:] == ["changed", "reattributed"]


def test_completion_notice_when_gt_reaches_100(client, reviewer, project):
    group, single, description = questions(project)
    first, second = videos(project)
    client.force_login(reviewer)
    assert (
        "is complete" not in post_gt(client, project, first, group, {single: "yes", description: ""}).content.decode()
    )
    last = post_gt(client, project, second, group, {single: "yes", description: ""}).content.decode()
    assert f"Ground truth for {project.name} is complete. Please notify an administrator." in last
    assert Assignment.objects.get(user=reviewer, role="reviewer").completed_at is not None


def test_stale_form_is_refused_with_who_and_nothing_saved(client, reviewer, project):
    """PORTAL-REV-12: two reviewers load the same form; the second submit loses with a 409."""
    group, single, description = questions(project)
    video = videos(project)[0]
    token = version_token(project, video, [single, description])
    other = AdminFactory(user_id="Quick Admin")
    from catalog.roles import ensure_global_admin_rows

    ensure_global_admin_rows(users=[other])
    client.force_login(other)
    assert (
        post_gt(client, project, video, group, {single: "yes", description: "first"}, version=token).status_code == 200
    )
    client.force_login(reviewer)
    stale = post_gt(client, project, video, group, {single: "no", description: "second"}, version=token)
    body = stale.content.decode()
    assert stale.status_code == 409
    assert f"Ground truth for '{group.display_title}' on '{video.video_uid}' was changed by" in html.unescape(body)
    assert "Quick Admin (QA)" in body and "Your answers were not saved." in body
    assert "second" in body  # the attempted values are shown for re-submission
    assert GroundTruth.objects.get(question=description).value == "first"


def test_verification_failure_saves_nothing(client, reviewer, project):
    group, single, description = questions(project)
    group.verification_function = "check_human_description"
    group.save()
    client.force_login(reviewer)
    response = post_gt(client, project, videos(project)[0], group, {single: "yes", description: ""})
    assert response.status_code == 400 and "Answer verification failed" in response.content.decode()
    assert not GroundTruth.objects.exists()


# --------------------------------------------------------------------------- override (PORTAL-META, PORTAL-REV-7)


def test_override_keeps_original_locks_reviewer_and_can_be_cleared(client, reviewer, admin, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    client.force_login(reviewer)
    post_gt(client, project, video, group, {single: "yes", description: "A dog."})
    client.force_login(admin)
    page = client.get(reverse("meta:project", args=[project.pk])).content.decode()
    assert "Meta-reviewer mode – override ground truth; no completion tracking" in page
    assert "Override ground truth" in page and "No ground truth yet" in page  # second video has none
    response = post_gt(client, project, video, group, {single: "no", description: "A dog."}, ns="meta")
    assert response.status_code == 200 and "Override saved." in response.content.decode()
    row = GroundTruth.objects.get(question=single)
    assert (row.value, row.reviewer_value, row.overridden_by_id, row.reviewer_id) == (
        "no",
        "yes",
        admin.pk,
        reviewer.pk,
    )
    assert GroundTruthHistory.objects.latest("id").kind == "overridden"

    client.force_login(reviewer)
    page = client.get(reverse("review:video", args=[project.pk, video.pk])).content.decode()
    assert "Overridden by admin" in page and "GT by: Rev Iewer (RI) (overridden by Meta Admin (MA))" in page
    locked = post_gt(client, project, video, group, {single: "yes", description: "A dog."})
    assert locked.status_code == 409 and GroundTruth.objects.get(question=single).value == "no"

    client.force_login(admin)
    post_gt(client, project, video, group, {single: "yes", description: "A dog."}, ns="meta")
    row.refresh_from_db()
    assert row.overridden_by_id is None and GroundTruthHistory.objects.latest("id").kind == "override_cleared"


def test_override_needs_gt_on_every_question(client, reviewer, admin, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    GroundTruth.objects.create(
        project=project, video=video, question=single, value="yes", reviewer_value="yes", reviewer=reviewer
    )
    client.force_login(admin)
    response = post_gt(client, project, video, group, {single: "no", description: "x"}, ns="meta")
    assert response.status_code == 400
    assert "Every question needs ground truth before it can be overridden" in response.content.decode()


def test_history_lists_changes_newest_first(client, reviewer, admin, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    client.force_login(reviewer)
    post_gt(client, project, video, group, {single: "yes", description: "A"})
    client.force_login(admin)
    post_gt(client, project, video, group, {single: "no", description: "A"}, ns="meta")
    client.force_login(reviewer)
    page = client.get(reverse("review:history", args=[project.pk, video.pk])).content.decode()
    assert page.index("Overridden") < page.index("Created")
    assert "Yes → No" in page and "Meta Admin (MA)" in page  # option labels, not stored values


# --------------------------------------------------------------------------- query budget (PORTAL-GEN-4)


@pytest.mark.parametrize("n_annotators", [1, 6])
def test_reviewer_page_query_count_does_not_grow(client, reviewer, project, django_assert_num_queries, n_annotators):
    group, single, description = questions(project)
    people = [UserFactory() for _ in range(n_annotators)]
    for user in people:
        Assignment.objects.create(user=user, project=project, role=Assignment.Role.ANNOTATOR)
        for video in videos(project):
            desc = answer(user, project, video, single, description)
            AnswerReview.objects.create(answer=desc, status="approved", reviewer=reviewer)
    client.force_login(reviewer)
    # session, user, nav roles, assignment, layout (2), figures (3), video ids, answerers (2), videos,
    # GT, answers, reviews, GT writers (for page-unique initials), pool weights: 18 whatever the number of
    # annotators or videos
    with django_assert_num_queries(18):
        response = client.get(reverse("review:project", args=[project.pk]), {"ann": [u.pk for u in people]})
    assert response.status_code == 200


# --------------------------------------------------------------------------- sort, filter, order (PORTAL-REV-8..10)


def test_filter_keeps_videos_whose_gt_matches_every_choice(client, reviewer, project):
    group, single, description = questions(project)
    first, second = videos(project)
    GroundTruth.objects.create(
        project=project, video=first, question=single, value="no", reviewer_value="no", reviewer=reviewer
    )
    client.force_login(reviewer)
    page = client.get(reverse("review:project", args=[project.pk]), {f"f-{single.pk}": "no"}).content.decode()
    assert f"· {first.video_uid}" in page and f"· {second.video_uid}" not in page
    assert "1 filter (1/2 videos)" in page
    assert (
        client.get(reverse("review:project", args=[project.pk]), {f"f-{single.pk}": "yes"})
        .content.decode()
        .count('class="video-card"')
        == 0
    )


def test_sort_by_gt_completion_descending(client, reviewer, project):
    group, single, description = questions(project)
    first, second = videos(project)
    GroundTruth.objects.create(
        project=project, video=second, question=single, value="no", reviewer_value="no", reviewer=reviewer
    )
    client.force_login(reviewer)
    page = client.get(
        reverse("review:project", args=[project.pk]), {"sort": "completion", "dir": "desc"}
    ).content.decode()
    assert page.index(f"· {second.video_uid}") < page.index(f"· {first.video_uid}")
    assert "active: Completion rate" in page


def test_sort_by_model_confidence_puts_unscored_last(client, reviewer, project):
    group, single, description = questions(project)
    first, second = videos(project)
    robot = ModelUserFactory(user_id="Robot")
    Assignment.objects.create(user=robot, project=project, role=Assignment.Role.MODEL)
    Answer.objects.create(project=project, video=second, question=single, user=robot, value="yes", confidence_score=0.4)
    client.force_login(reviewer)
    for direction in ("asc", "desc"):
        page = client.get(
            reverse("review:project", args=[project.pk]), {"sort": "confidence", "dir": direction}
        ).content.decode()
        assert page.index(f"· {second.video_uid}") < page.index(f"· {first.video_uid}")  # SCORE-SORT-4


def test_group_order_is_kept_in_the_session(client, reviewer, project):
    from catalog.tests.factories import QuestionGroupFactory, SingleQuestionFactory

    extra = QuestionGroupFactory(title="Zeta", display_title="Zeta group", questions=[SingleQuestionFactory()])
    project.schema.memberships.create(group=extra, position=5)
    client.force_login(reviewer)
    url = reverse("review:project", args=[project.pk])
    page = client.get(url).content.decode()
    assert page.index('data-tab="card-') < page.index(">Zeta group</button>")
    client.post(reverse("review:order", args=[project.pk]), {"group": extra.pk, "step": "up"})
    page = client.get(url).content.decode()
    tabs = page[page.index('role="tablist"') :]
    assert tabs.index("Zeta group") < tabs.index(project.schema.memberships.get(position=0).group.display_title)
    client.post(reverse("review:order", args=[project.pk]), {"step": "reset"})
    tabs = client.get(url).content.decode()
    tabs = tabs[tabs.index('role="tablist"') :]
    assert tabs.index("Zeta group") > tabs.index(project.schema.memberships.get(position=0).group.display_title)
