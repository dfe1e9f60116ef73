"""Annotator portal views: dashboard, project page, submit, training mode, auto-submit, layout, report.

Requirement IDs: PORTAL-DASH, PORTAL-PRJ, PORTAL-ANN, PORTAL-TRN, SCORE-AUTO-2, SCORE-RPT-1, SEC-4.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from annotation.autosubmit import on_entry
from annotation.models import Answer, AnswerReview, GroundTruth
from annotation.tests.portal import post_answers, questions, run_defaults, set_gt, submit_url
from catalog.models import Assignment, CustomDisplay, Project, ProjectGroupProject
from catalog.tests.factories import (
    AdminFactory,
    DescriptionQuestionFactory,
    ProjectFactory,
    ProjectGroupFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- access (SEC-4, PORTAL-NAV)


def test_anonymous_is_sent_to_login(client, project):
    response = client.get(reverse("annotate:project", args=[project.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_outsider_gets_404_on_every_annotator_page(client, outsider, project, annotator):
    client.force_login(outsider)
    group, single, description = questions(project)
    video = project.videos.first()
    for url in (
        reverse("annotate:project", args=[project.pk]),
        reverse("annotate:video", args=[project.pk, video.pk]),
        reverse("annotate:report", args=[project.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        submit_url(project, video, group),
        reverse("annotate:auto_submit", args=[project.pk]),
        reverse("annotate:layout", args=[project.pk]),
    ):
        assert client.post(url, {}).status_code == 404, url
    assert post_answers(client, project, video, group, {single: "yes", description: ""}).status_code == 404
    assert not Answer.objects.exists()


def test_outsider_with_no_portal_sees_whom_to_ask(client, outsider):
    client.force_login(outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert "No portals available. Please contact an administrator." in response.content.decode()


def test_annotator_lands_on_annotator_dashboard(client, annotator, project):
    client.force_login(annotator)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("annotate:dashboard")


def test_global_admin_lands_on_admin_and_sees_every_portal_link(client, project):
    admin = AdminFactory()
    client.force_login(admin)
    assert client.get("/")["Location"] == reverse("admin:index")
    page = client.get(reverse("annotate:dashboard")).content.decode()
    assert "Global admin" in page and 'href="/admin/"' in page


def test_archived_project_is_hidden_and_404(client, annotator, project):
    Project.objects.filter(pk=project.pk).update(is_active=False)
    client.force_login(annotator)
    assert project.name not in client.get(reverse("annotate:dashboard")).content.decode()
    assert client.get(reverse("annotate:project", args=[project.pk])).status_code == 404


def test_archived_video_is_hidden_and_404(client, annotator, project):
    video = project.videos.order_by("project_links__position").first()
    video.is_active = False
    video.save()
    client.force_login(annotator)
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert video.video_uid not in page and "Showing videos 1–1 of 1" in page
    assert client.get(reverse("annotate:video", args=[project.pk, video.pk])).status_code == 404


def test_archived_assignment_loses_access(client, annotator, project):
    Assignment.objects.filter(user=annotator).update(is_active=False)
    client.force_login(annotator)
    assert client.get(reverse("annotate:project", args=[project.pk])).status_code == 404


# --------------------------------------------------------------------------- dashboard (PORTAL-DASH)


def test_dashboard_groups_projects_and_puts_unassigned_last(client, annotator, project):
    grouped = ProjectFactory(name="Alpha project", videos=[VideoFactory()])
    Assignment.objects.create(user=annotator, project=grouped, role=Assignment.Role.ANNOTATOR)
    pg = ProjectGroupFactory(name="Cooking", description="Food clips")
    ProjectGroupProject.objects.create(project_group=pg, project=grouped)
    client.force_login(annotator)
    page = client.get(reverse("annotate:dashboard")).content.decode()
    assert page.index("Cooking") < page.index("Alpha project") < page.index("Unassigned") < page.index(project.name)
    assert "Food clips" in page and "Assigned: " in page and "Annotation" in page


def test_dashboard_search_highlights_and_escapes(client, annotator, project):
    Project.objects.filter(pk=project.pk).update(name="Cats <b>& dogs</b>")
    client.force_login(annotator)
    page = client.get(reverse("annotate:dashboard"), {"q": "dogs"}).content.decode()
    assert "<mark>dogs</mark>" in page and "&lt;b&gt;&amp; " in page and "<b>&" not in page
    assert "No project matches" in client.get(reverse("annotate:dashboard"), {"q": "zebra"}).content.decode()


def test_dashboard_paginates_six_cards_per_group(client, annotator):
    for i in range(8):
        p = ProjectFactory(name=f"P{i:02d}", videos=[VideoFactory()])
        Assignment.objects.create(user=annotator, project=p, role=Assignment.Role.ANNOTATOR)
    client.force_login(annotator)
    first = client.get(reverse("annotate:dashboard")).content.decode()
    assert "P00" in first and "P05" in first and "P06" not in first and "Page 1 of 2" in first
    second = client.get(reverse("annotate:dashboard"), {"page_none": 2}).content.decode()
    assert "P06" in second and "P00" not in second


def test_dashboard_sorts_by_completion(client, annotator, project):
    other = ProjectFactory(name="AAA first by name", schema=project.schema, videos=[VideoFactory()])
    Assignment.objects.create(user=annotator, project=other, role=Assignment.Role.ANNOTATOR)
    group, single, description = questions(project)
    for video in project.videos.all():
        post_answers_direct(annotator, project, video, single, description)
    client.force_login(annotator)
    page = client.get(reverse("annotate:dashboard"), {"sort": "completion", "dir": "desc"}).content.decode()
    assert page.index(project.name) < page.index("AAA first by name")
    assert "100%" in page


def post_answers_direct(user, project, video, single, description, value="yes"):
    Answer.objects.create(project=project, video=video, question=single, user=user, value=value)
    Answer.objects.create(project=project, video=video, question=description, user=user, value="text")


def test_dashboard_says_so_when_empty(client, db):
    user = UserFactory()
    project = ProjectFactory(videos=[VideoFactory()])
    Assignment.objects.create(user=user, project=project, role=Assignment.Role.ANNOTATOR, is_active=True)
    Project.objects.filter(pk=project.pk).update(is_active=False)
    client.force_login(user)
    assert "You have no annotation projects yet" in client.get(reverse("annotate:dashboard")).content.decode()


# --------------------------------------------------------------------------- project page and submit


def test_project_page_shows_cards_with_forms_prefilled(client, annotator, project):
    group, single, description = questions(project)
    single.default_option = "no"
    single.save()
    client.force_login(annotator)
    response = client.get(reverse("annotate:project", args=[project.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Annotation mode" in page and "Your overall progress: <strong>0%</strong>" in page
    assert page.count('class="video-card"') == 2 and "Submit answers" in page
    checked = re.findall(r'<input type="radio" name="v\d+g\d+-q\d+" value="(\w+)"[^>]*checked', page)
    assert checked == ["no", "no"]  # PORTAL-PRJ-9: default_option before the first option
    assert "No instructions provided for this project" in page


def test_submit_saves_answers_and_rerenders_only_the_group(client, annotator, project):
    group, single, description = questions(project)
    video = project.videos.first()
    client.force_login(annotator)
    response = post_answers(client, project, video, group, {single: "yes", description: "A dog runs."})
    assert response.status_code == 200
    assert {a.question_id: a.value for a in Answer.objects.filter(user=annotator)} == {
        single.pk: "yes",
        description.pk: "A dog runs.",
    }
    body = response.content.decode()
    assert "Re-submit answers" in body and "<html" not in body
    assert 'hx-swap-oob="true"' in body and "Progress: 1/1 complete" in body
    assert "Your overall progress: <strong>50%</strong>" in body


def test_resubmit_writes_only_changed_values_and_resets_their_reviews(client, annotator, reviewer, project):
    group, single, description = questions(project)
    video = project.videos.first()
    client.force_login(annotator)
    post_answers(client, project, video, group, {single: "yes", description: "A dog."})
    desc_answer = Answer.objects.get(question=description, user=annotator)
    AnswerReview.objects.create(answer=desc_answer, status="approved", reviewer=reviewer)
    single_modified = Answer.objects.get(question=single, user=annotator).modified_at
    response = post_answers(client, project, video, group, {single: "yes", description: "Two dogs."})
    assert response.status_code == 200 and "Answers saved." in response.content.decode()
    assert Answer.objects.get(question=single, user=annotator).modified_at == single_modified
    assert Answer.objects.get(question=description, user=annotator).value == "Two dogs."
    assert not AnswerReview.objects.exists()  # DM-REV-3
    again = post_answers(client, project, video, group, {single: "yes", description: "Two dogs."})
    assert "No changes." in again.content.decode()


def test_submit_with_invalid_option_saves_nothing(client, annotator, project):
    group, single, description = questions(project)
    client.force_login(annotator)
    response = post_answers(client, project, project.videos.first(), group, {single: "maybe", description: "x"})
    assert response.status_code == 400
    assert "maybe is not one of the options" in response.content.decode()
    assert not Answer.objects.exists()


def test_verification_failure_shows_message_and_keeps_input(client, annotator, project):
    group, single, description = questions(project)
    group.verification_function = "check_human_description"
    group.save()
    single.text, description.text = "Number of people?", "If there are people, describe them."
    single.options, single.display_values, single.option_weights = ["0", "1"], ["0", "1"], [1.0, 1.0]
    single.save()
    description.save()
    client.force_login(annotator)
    response = post_answers(client, project, project.videos.first(), group, {single: "1", description: ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Answer verification failed: Description must be provided when there are people" in body
    assert 'value="1"' in body and "checked" in body
    assert not Answer.objects.exists()


def test_submit_without_javascript_redirects_back_to_the_card(client, annotator, project):
    group, single, description = questions(project)
    video = project.videos.first()
    client.force_login(annotator)
    response = post_answers(client, project, video, group, {single: "no", description: ""}, htmx=False)
    assert response.status_code == 302 and response["Location"].endswith(f"#card-{video.pk}")
    assert Answer.objects.filter(user=annotator).count() == 2


def test_completion_notice_appears_when_progress_reaches_100(client, annotator, project):
    group, single, description = questions(project)
    first, second = project.videos.order_by("project_links__position")
    client.force_login(annotator)
    assert (
        "You have completed"
        not in post_answers(client, project, first, group, {single: "no", description: ""}).content.decode()
    )
    last = post_answers(client, project, second, group, {single: "no", description: ""}).content.decode()
    assert f"You have completed every question on every video in {project.name}." in last
    assert Assignment.objects.get(user=annotator, role="annotator").completed_at is not None  # DM-DER-7


def test_custom_display_changes_text_and_labels_but_not_values(client, annotator, project):
    group, single, description = questions(project)
    video = project.videos.first()
    project.schema.has_custom_display = True
    project.schema.save()
    CustomDisplay.objects.create(
        project=project,
        video=video,
        question=single,
        custom_display_text="Is the chef smiling?",
        custom_option_display_map={"yes": "Smiling", "no": "Not smiling"},
    )
    client.force_login(annotator)
    page = client.get(reverse("annotate:video", args=[project.pk, video.pk])).content.decode()
    assert "Is the chef smiling?" in page and "Not smiling" in page and 'value="no"' in page
    post_answers(client, project, video, group, {single: "no", description: ""})
    assert Answer.objects.get(question=single).value == "no"


def test_deep_link_shows_one_card(client, annotator, project):
    video = project.videos.order_by("project_links__position").last()
    client.force_login(annotator)
    page = client.get(reverse("annotate:video", args=[project.pk, video.pk])).content.decode()
    assert page.count('class="video-card"') == 1 and f"#2 · {video.video_uid}" in page


# --------------------------------------------------------------------------- training mode (PORTAL-TRN)


def test_training_mode_submits_once_and_shows_feedback(client, annotator, reviewer, project):
    group, single, description = questions(project)
    set_gt(project, reviewer, lambda q, v: "yes" if q.qtype == "single" else "A brown dog")
    video = project.videos.first()
    client.force_login(annotator)
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert "Training mode – immediate feedback after each submission" in page
    response = post_answers(client, project, video, group, {single: "no", description: " a brown DOG "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Incorrect" in body and "(Ground truth)" in body and "(Your answer)" in body
    assert "Matches the ground truth exactly" in body
    assert "Already submitted (0/1 correct, 1 pending)" in body
    locked = post_answers(client, project, video, group, {single: "yes", description: "x"})
    assert locked.status_code == 409 and "already submitted in training mode" in locked.content.decode()
    assert Answer.objects.get(question=single, user=annotator).value == "no"


def test_training_summary_marks_all_correct(client, annotator, reviewer, project):
    group, single, description = questions(project)
    set_gt(project, reviewer, lambda q, v: "yes" if q.qtype == "single" else "A dog")
    client.force_login(annotator)
    body = post_answers(client, project, project.videos.first(), group, {single: "yes", description: ""}).content
    text = body.decode()
    assert "Already submitted (1/1 correct, 1 pending) · all correct" in text
    assert "Please provide an answer next time" in text


def test_report_needs_training_mode_and_full_progress(client, annotator, reviewer, project):
    group, single, description = questions(project)
    client.force_login(annotator)
    assert client.get(reverse("annotate:report", args=[project.pk])).status_code == 409
    set_gt(project, reviewer, lambda q, v: "yes" if q.qtype == "single" else "A dog")
    first, second = project.videos.order_by("project_links__position")
    post_answers(client, project, first, group, {single: "yes", description: "A dog"})
    post_answers(client, project, second, group, {single: "no", description: "A cat"})
    AnswerReview.objects.create(
        answer=Answer.objects.get(video=first, question=description), status="approved", reviewer=reviewer
    )
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert "View my accuracy" in page
    report = client.get(reverse("annotate:report", args=[project.pk]))
    text = report.content.decode()
    assert report.status_code == 200 and "You answered 2 of 3 correctly" in text and "66.6%" in text
    assert "Keep learning" in text
    csv = client.get(reverse("annotate:report", args=[project.pk]), {"format": "csv"}).content.decode()
    assert csv.splitlines()[0] == "question_text,display_text,correct,total,accuracy_percent"
    assert f"{single.text},{single.display_text},1,2,50.0" in csv


# --------------------------------------------------------------------------- auto-submit on entry (SCORE-AUTO-2)


# session, user, project+role, layout (2), figures (3), videos, pending; one batch: savepoint, role check,
# own answers, insert, completion (6), release; then the page (figures, videos, cards, nav roles)
ENTRY_QUERIES = 31


@pytest.fixture
def auto_project(annotator, project):
    """The cast project plus an auto-submit NSFW group with a default."""
    nsfw = SingleQuestionFactory(text="Is the video not safe for work?", options=["no", "yes"], default_option="no")
    auto = QuestionGroupFactory(title="NSFW", is_auto_submit=True, questions=[nsfw])
    project.schema.memberships.create(group=auto, position=1)
    return project, auto, nsfw


def test_entering_the_project_submits_defaults_on_the_server_and_says_what(client, annotator, auto_project):
    # Issue 11 point 14: the plain client runs no JavaScript, yet entering the project answers the group.
    project, auto, nsfw = auto_project
    client.force_login(annotator)
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert set(Answer.objects.filter(question=nsfw).values_list("value", flat=True)) == {"no"}
    assert Answer.objects.filter(question=nsfw).count() == 2
    assert "Submitted for you on entering this project:" in page
    assert "2 groups answered with default answers: NSFW on 2 videos." in page
    assert "Auto-submitting default answers" not in page and "data-url" not in page.split('id="auto-submit"')[1][:200]
    assert "✓ NSFW" in page  # the cards already show the answered group
    again = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert 'id="auto-submit"' not in again and Answer.objects.filter(question=nsfw).count() == 2


def test_entering_a_large_project_answers_the_first_videos_then_a_button_does_the_rest(
    client, annotator, auto_project, monkeypatch
):
    project, auto, nsfw = auto_project
    monkeypatch.setattr(on_entry, "ENTRY_VIDEOS", on_entry.BATCH)
    project.video_links.bulk_create(
        [project.video_links.model(project=project, video=VideoFactory(), position=10 + i) for i in range(60)]
    )
    client.force_login(annotator)
    url = reverse("annotate:project", args=[project.pk])
    page = client.get(url).content.decode()
    assert Answer.objects.filter(question=nsfw).count() == 50
    assert "50 groups answered with default answers: NSFW on 50 videos." in page
    assert 'Auto-submitting default answers: <span data-role="done">0</span>/12 videos' in page
    assert '<input type="hidden" name="after" value="49">' in page  # positions 0..49 were just done
    assert "Submit default answers for the other 12 videos" in page
    response = client.post(reverse("annotate:auto_submit", args=[project.pk]), {"after": 49, "then": "page"})
    assert response.status_code == 302 and response["Location"] == url
    assert Answer.objects.filter(question=nsfw).count() == 62
    page = client.get(url).content.decode()
    assert "12 groups answered with default answers: NSFW on 12 videos." in page  # the message, once
    assert 'id="auto-submit"' not in page


@pytest.mark.parametrize("n_videos", [2, 40])
def test_entry_auto_submit_query_count_does_not_grow_with_videos(
    client, annotator, auto_project, django_assert_num_queries, n_videos
):
    project, auto, nsfw = auto_project
    project.video_links.bulk_create(
        [project.video_links.model(project=project, video=VideoFactory(), position=10 + i) for i in range(n_videos - 2)]
    )
    client.force_login(annotator)
    with django_assert_num_queries(ENTRY_QUERIES):
        client.get(reverse("annotate:project", args=[project.pk]))
    assert Answer.objects.filter(question=nsfw).count() == n_videos


def test_auto_submit_answers_defaults_in_batches(client, annotator, auto_project):
    project, auto, nsfw = auto_project
    client.force_login(annotator)
    response = client.post(reverse("annotate:auto_submit", args=[project.pk]), {"after": -1})
    data = response.json()
    assert data["done"] and data["submitted"] == 2 and data["processed"] == 2
    assert set(Answer.objects.filter(question=nsfw).values_list("value", flat=True)) == {"no"}
    # Re-opening submits nothing new and shows no progress box.
    assert "Auto-submitting" not in client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert client.post(reverse("annotate:auto_submit", args=[project.pk]), {"after": -1}).json()["submitted"] == 0


def test_auto_submit_batches_of_fifty(client, annotator, auto_project):
    project, auto, nsfw = auto_project
    project.video_links.bulk_create(
        [project.video_links.model(project=project, video=VideoFactory(), position=10 + i) for i in range(60)]
    )
    client.force_login(annotator)
    first = client.post(reverse("annotate:auto_submit", args=[project.pk]), {"after": -1}).json()
    assert first["processed"] == 50 and not first["done"]
    second = client.post(reverse("annotate:auto_submit", args=[project.pk]), {"after": first["after"]}).json()
    assert second["processed"] == 12 and second["done"]
    assert Answer.objects.filter(question=nsfw).count() == 62


def test_auto_submit_never_runs_in_training_mode(client, annotator, reviewer, auto_project):
    project, auto, nsfw = auto_project
    set_gt(project, reviewer, lambda q, v: "yes" if q.qtype == "single" else "")
    for video in project.videos.all():
        GroundTruth.objects.create(
            project=project, video=video, question=nsfw, value="no", reviewer_value="no", reviewer=reviewer
        )
    client.force_login(annotator)
    assert client.post(reverse("annotate:auto_submit", args=[project.pk])).json()["submitted"] == 0
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert 'id="auto-submit"' not in page
    assert not Answer.objects.exists()


def test_auto_submit_skips_groups_failing_verification(client, annotator, auto_project):
    project, auto, nsfw = auto_project
    auto.verification_function = "check_human_description"  # needs a description the group lacks
    auto.save()
    client.force_login(annotator)
    data = client.post(reverse("annotate:auto_submit", args=[project.pk])).json()
    assert data["submitted"] == 0 and data["failed_verification"] == 2
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert "2 auto-submit groups could not be submitted (verification failed)." in page
    assert "Auto-submitting default answers" not in page  # nothing left to try after what entry tried
    assert not Answer.objects.exists()


# --------------------------------------------------------------------------- layout and sort


def test_layout_settings_are_kept_per_project_in_the_session(client, annotator, project):
    client.force_login(annotator)
    url = reverse("annotate:layout", args=[project.pk])
    client.post(url, {"per_row": "2", "per_page": "1", "loop": "on"})
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert page.count('class="video-card"') == 1 and "cards layout-2" in page
    assert "Showing videos 1–1 of 2" in page and 'data-autoplay="false"' in page
    second = client.get(reverse("annotate:project", args=[project.pk]), {"page": 2}).content.decode()
    assert "Showing videos 2–2 of 2" in second
    client.post(url, {"reset": "1"})
    assert client.get(reverse("annotate:project", args=[project.pk])).content.decode().count('class="video-card"') == 2


def test_sort_by_completion_puts_answered_videos_last_ascending(client, annotator, project):
    group, single, description = questions(project)
    first, second = project.videos.order_by("project_links__position")
    post_answers_direct(annotator, project, first, single, description)
    client.force_login(annotator)
    page = client.get(reverse("annotate:project", args=[project.pk]), {"sort": "completion"}).content.decode()
    assert page.index(f"· {second.video_uid}") < page.index(f"· {first.video_uid}")
    assert "active: Completion rate" in page
    assert "Accuracy rate" not in page  # training mode only (PORTAL-ANN-6)


# --------------------------------------------------------------------------- query budget (PORTAL-GEN-4)


def _bigger_project(annotator, n_videos):
    groups = [QuestionGroupFactory(questions=[SingleQuestionFactory(), DescriptionQuestionFactory()]) for _ in range(2)]
    project = ProjectFactory(schema=SchemaFactory(groups=groups), videos=[VideoFactory() for _ in range(n_videos)])
    Assignment.objects.create(user=annotator, project=project, role=Assignment.Role.ANNOTATOR)
    return project


@pytest.mark.parametrize("n_videos", [3, 20])
def test_project_page_query_count_does_not_grow_with_videos(client, annotator, django_assert_num_queries, n_videos):
    project = _bigger_project(annotator, n_videos)
    client.force_login(annotator)
    client.post(reverse("annotate:layout", args=[project.pk]), {"per_page": "20", "per_row": "1"})
    # session, user, nav roles, assignment, layout (2), figures (4), video ids, videos, own answers
    with django_assert_num_queries(13):
        response = client.get(reverse("annotate:project", args=[project.pk]))
    assert response.content.decode().count('class="video-card"') == n_videos


@pytest.mark.parametrize("n_projects", [2, 9])
def test_dashboard_query_count_does_not_grow_with_projects(client, annotator, django_assert_num_queries, n_projects):
    for _ in range(n_projects):
        _bigger_project(annotator, 2)
    client.force_login(annotator)
    # session, user, nav roles, assignments, figures (4), group memberships
    with django_assert_num_queries(9):
        assert client.get(reverse("annotate:dashboard")).status_code == 200


# --------------------------------------------------------------------------- manual auto-submit (PORTAL-ANN-4)


def test_default_answers_preview_execute_and_own_answers_kept(client, annotator, project):
    group, single, description = questions(project)
    first, second = project.videos.order_by("project_links__position")
    Answer.objects.create(project=project, video=first, question=single, user=annotator, value="no")
    client.force_login(annotator)
    fields = {f"d-{single.pk}": ["yes"], f"dt-{description.pk}": "Nothing to say."}
    preview = run_defaults(client, project, "preview", group, **fields).json()
    assert preview["summary"]["submitted"] == 2 and preview["consensus"] == 100
    assert Answer.objects.count() == 1
    done = run_defaults(client, project, "execute", group, **fields).json()["summary"]
    assert done["submitted"] == 2
    assert Answer.objects.get(video=first, question=single).value == "no"  # SCORE-AUTO-3: own answers kept
    assert Answer.objects.get(video=second, question=single).value == "yes"
    assert Answer.objects.get(video=second, question=description).value == "Nothing to say."


def test_default_answers_threshold_and_no_votes(client, annotator, project):
    group, single, description = questions(project)
    client.force_login(annotator)
    # Two defaults for one question split the vote 50/50: a tie fails; no description default: no votes.
    s = run_defaults(client, project, "execute", group, **{f"d-{single.pk}": ["yes", "no"]}).json()["summary"]
    assert s["submitted"] == 0 and s["tie"] == 2
    assert not Answer.objects.exists()


def test_default_answers_preload_fills_only_missing(client, annotator, project):
    group, single, description = questions(project)
    first, second = project.videos.order_by("project_links__position")
    Answer.objects.create(project=project, video=first, question=single, user=annotator, value="no")
    client.force_login(annotator)
    data = {"action": "preload", "grp": [group.pk], "video": [first.pk, second.pk], f"d-{single.pk}": ["yes"]}
    body = client.post(reverse("annotate:defaults", args=[project.pk]), data).json()
    assert f"v{first.pk}g{group.pk}-q{single.pk}" not in body["preload"]
    assert body["preload"][f"v{second.pk}g{group.pk}-q{single.pk}"] == {"value": "yes", "tied": False}


def test_default_answers_are_off_in_training_mode_and_for_outsiders(client, annotator, reviewer, outsider, project):
    group, single, description = questions(project)
    client.force_login(outsider)
    assert run_defaults(client, project, "execute", group).status_code == 404
    set_gt(project, reviewer, lambda q, v: "yes" if q.qtype == "single" else "")
    client.force_login(annotator)
    assert run_defaults(client, project, "execute", group).status_code == 409
    assert "Auto-submit" not in client.get(reverse("annotate:project", args=[project.pk])).content.decode()


def test_verify_non_empty_refuses_a_blank_description_in_the_portal(client, annotator, project):
    # Issue 11 point 12: the built-in carried over from the original system runs on portal submissions.
    group, single, description = questions(project)
    group.verification_function = "verify_non_empty"
    group.save()
    client.force_login(annotator)
    video = project.videos.first()
    response = post_answers(client, project, video, group, {single: single.options[0], description: "   "})
    assert response.status_code == 400
    assert f'"{description.text}" is blank; give it an answer' in html.unescape(response.content.decode())
    assert not Answer.objects.exists()
    response = post_answers(client, project, video, group, {single: single.options[0], description: "Two cooks."})
    assert response.status_code == 200
    assert Answer.objects.filter(user=annotator).count() == 2
