"""Multiple-choice questions in the annotator portal (issue 15 point 2, 3): checkboxes plus "None of these",
custom labels per video, prefill, submission, training feedback per option and default answers.

Requirement IDs by analogy: PORTAL-PRJ-8/9/10 (form, prefill, submission), DM-CD-5 (custom display),
PORTAL-TRN-3 (feedback), PORTAL-ANN-4 and SCORE-AUTO-2/3 (default answers), SEC-4 (the outsider).
"""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotation.models import Answer, GroundTruth
from annotation.refusals import SubmissionRefused
from annotation.submission import submit_answers
from annotation.tests.portal import post_answers, run_defaults
from catalog.models import Assignment, CustomDisplay
from catalog.tests.factories import (
    MultipleQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    UserFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mc_project(db):
    """One group with one multiple-choice question (pan, tilt, zoom), two videos."""
    group = QuestionGroupFactory(questions=[MultipleQuestionFactory(text="Which camera motions?")])
    return ProjectFactory(schema=SchemaFactory(groups=[group]), videos=[VideoFactory(), VideoFactory()])


@pytest.fixture
def mc_annotator(mc_project):
    user = UserFactory(user_id="Ann Multiple")
    Assignment.objects.create(user=user, project=mc_project, role=Assignment.Role.ANNOTATOR)
    return user


def parts(project):
    group = project.schema.memberships.get().group
    (question,) = group.ordered_questions()
    first, second = project.videos.order_by("project_links__position")
    return group, question, first, second


def page(client, project, video=None) -> str:
    url = (
        reverse("annotate:video", args=[project.pk, video.pk])
        if video
        else reverse("annotate:project", args=[project.pk])
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def ticked(body: str, question, video, group) -> list[str]:
    """The values of the ticked boxes of one question's field on the page."""
    name = f'name="v{video.pk}g{group.pk}-q{question.pk}"'
    boxes = [chunk.split(">")[0] for chunk in body.split("<input")[1:] if name in chunk.split(">")[0]]
    return [b.split('value="')[1].split('"')[0] for b in boxes if " checked" in b]


def set_training_gt(project, reviewer, values):
    group, question, *videos = parts(project)
    for video, value in zip(videos, values, strict=True):
        GroundTruth.objects.create(
            project=project, video=video, question=question, value=value, reviewer_value=value, reviewer=reviewer
        )


# --------------------------------------------------------------------------- the form (PORTAL-PRJ-8/9)


def test_the_form_shows_a_checkbox_per_option_and_none_of_these(client, mc_annotator, mc_project):
    group, question, first, _ = parts(mc_project)
    client.force_login(mc_annotator)
    body = page(client, mc_project, first)
    name = f"v{first.pk}g{group.pk}-q{question.pk}"
    for value, label in (("pan", "Pan"), ("tilt", "Tilt"), ("zoom", "Zoom"), ("", "None of these")):
        assert f'type="checkbox" name="{name}" value="{value}"' in body
        assert f"<span>{label}</span>" in body
    assert ticked(body, question, first, group) == []  # nothing assumed: neither an option nor "None of these"


def test_custom_display_labels_show_per_video_and_values_stay(client, mc_annotator, mc_project):
    group, question, first, second = parts(mc_project)
    mc_project.schema.has_custom_display = True
    mc_project.schema.save()
    CustomDisplay.objects.create(
        project=mc_project,
        video=first,
        question=question,
        custom_display_text="Which motions does the drone make?",
        custom_option_display_map={"pan": "Drone pans", "zoom": "Drone zooms"},
    )
    client.force_login(mc_annotator)
    body = page(client, mc_project, first)
    assert "Which motions does the drone make?" in body
    assert "<span>Drone pans</span>" in body and "<span>Tilt</span>" in body and 'value="pan"' in body
    other = page(client, mc_project, second)
    assert "Drone pans" not in other and "<span>Pan</span>" in other
    assert post_answers(client, mc_project, first, group, {question: ["zoom", "pan"]}).status_code == 200
    assert Answer.objects.get().value == '["pan","zoom"]'


def test_the_form_prefills_the_own_answer_then_the_default_options(client, mc_annotator, mc_project):
    group, question, first, second = parts(mc_project)
    question.default_option = '["tilt","zoom"]'
    question.save()
    Answer.objects.create(project=mc_project, video=first, question=question, user=mc_annotator, value="[]")
    client.force_login(mc_annotator)
    body = page(client, mc_project)
    assert ticked(body, question, first, group) == [""]  # own "None of these"
    assert ticked(body, question, second, group) == ["tilt", "zoom"]  # the default options


# --------------------------------------------------------------------------- submitting (PORTAL-PRJ-10)


def test_ticking_two_boxes_stores_them_in_option_order(client, mc_annotator, mc_project):
    group, question, first, _ = parts(mc_project)
    client.force_login(mc_annotator)
    response = post_answers(client, mc_project, first, group, {question: ["zoom", "pan"]})
    assert response.status_code == 200
    assert Answer.objects.get(user=mc_annotator, video=first).value == '["pan","zoom"]'
    assert "Answers saved." in response.content.decode()
    assert ticked(response.content.decode(), question, first, group) == ["pan", "zoom"]


def test_none_of_these_is_an_answer_and_resubmitting_replaces_the_set(client, mc_annotator, mc_project):
    group, question, first, _ = parts(mc_project)
    client.force_login(mc_annotator)
    post_answers(client, mc_project, first, group, {question: [""]})
    assert Answer.objects.get().value == "[]"
    post_answers(client, mc_project, first, group, {question: ["tilt"]})
    assert Answer.objects.get().value == '["tilt"]'


@pytest.mark.parametrize(
    ("ticked_values", "message"),
    [
        ([], 'Tick the options that apply, or "None of these".'),
        (["", "pan"], '"None of these" cannot be ticked together with an option.'),
        (["roll"], "roll is not one of the options."),
    ],
)
def test_a_refused_set_says_why_next_to_the_question(client, mc_annotator, mc_project, ticked_values, message):
    group, question, first, _ = parts(mc_project)
    client.force_login(mc_annotator)
    response = post_answers(client, mc_project, first, group, {question: ticked_values})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert '<fieldset class="question has-error">' in response.content.decode()
    assert f'<p class="error">{message}</p>' in body
    assert not Answer.objects.exists()


def test_the_write_function_words_a_bad_stored_set_plainly(mc_annotator, mc_project):
    group, question, first, _ = parts(mc_project)
    cases = {
        '["roll"]': '"roll" is not an option (pan, tilt, zoom)',
        '["zoom","pan"]': "the options must be listed in option order",
        "pan": "must be a list of options",
    }
    for value, reason in cases.items():
        with pytest.raises(SubmissionRefused) as excinfo:
            submit_answers(user=mc_annotator, project=mc_project, video=first, group=group, values={question: value})
        assert str(excinfo.value) == f'the answer to "Which camera motions?": {reason}'
    assert not Answer.objects.exists()


def test_the_outsider_can_neither_see_nor_answer(client, outsider, mc_project):
    group, question, first, _ = parts(mc_project)
    client.force_login(outsider)
    assert client.get(reverse("annotate:video", args=[mc_project.pk, first.pk])).status_code == 404
    assert post_answers(client, mc_project, first, group, {question: ["pan"]}).status_code == 404
    assert run_defaults(client, mc_project, "execute", group, **{f"d-{question.pk}": ["pan"]}).status_code == 404
    assert not Answer.objects.exists()


# --------------------------------------------------------------------------- training feedback (PORTAL-TRN-3)


def test_training_feedback_marks_each_option_missed_or_added(client, mc_annotator, reviewer, mc_project):
    group, question, first, _ = parts(mc_project)
    set_training_gt(mc_project, reviewer, ['["pan","tilt"]', "[]"])
    client.force_login(mc_annotator)
    response = post_answers(client, mc_project, first, group, {question: ["pan", "zoom"]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "✗ Incorrect" in body and "Already submitted (0/1 correct)" in body
    rows = [row.split("</li>")[0] for row in body.split('<li class="fb-option')[1:]]
    assert len(rows) == 4  # pan, tilt, zoom, None of these
    pan, tilt, zoom, none = rows
    assert "Pan" in pan and "(Ground truth)" in pan and "(Your answer)" in pan and "missed" not in pan
    assert "Tilt" in tilt and "(Ground truth)" in tilt and "Missed" in tilt and "(Your answer)" not in tilt
    assert "Zoom" in zoom and "Added" in zoom and "(Ground truth)" not in zoom
    assert "None of these" in none and "(Ground truth)" not in none and "(Your answer)" not in none


def test_training_feedback_shows_none_of_these_on_both_sides(client, mc_annotator, reviewer, mc_project):
    group, question, first, second = parts(mc_project)
    set_training_gt(mc_project, reviewer, ['["pan"]', "[]"])
    client.force_login(mc_annotator)
    right = post_answers(client, mc_project, second, group, {question: [""]}).content.decode()
    assert "✓ Correct" in right and "· all correct" in right
    none = [row for row in right.split('<li class="fb-option')[1:] if "None of these" in row][0]
    assert "(Ground truth)" in none and "(Your answer)" in none
    wrong = post_answers(client, mc_project, first, group, {question: [""]}).content.decode()
    rows = [row.split("</li>")[0] for row in wrong.split('<li class="fb-option')[1:]]
    assert "Missed" in rows[0] and "(Your answer)" in rows[3] and "Added" in rows[3]


# --------------------------------------------------------------------------- default answers (PORTAL-ANN-4)


def test_the_defaults_panel_offers_the_options_and_none_of_these(client, mc_annotator, mc_project):
    group, question, *_ = parts(mc_project)
    question.default_option = '["zoom"]'
    question.save()
    client.force_login(mc_annotator)
    body = page(client, mc_project)
    assert f'name="d-{question.pk}" value="zoom" checked' in body
    assert f'name="d-{question.pk}" value="pan">' in body
    assert f'name="d-{question.pk}" value="">' in body  # "None of these"


def test_ticked_default_options_are_submitted_as_one_set(client, mc_annotator, mc_project):
    group, question, first, second = parts(mc_project)
    Answer.objects.create(project=mc_project, video=first, question=question, user=mc_annotator, value='["tilt"]')
    client.force_login(mc_annotator)
    fields = {f"d-{question.pk}": ["zoom", "pan"]}
    preview = run_defaults(client, mc_project, "preview", group, **fields).json()
    assert preview["summary"]["submitted"] == 1 and preview["summary"]["skipped"] == 1
    done = run_defaults(client, mc_project, "execute", group, **fields).json()["summary"]
    assert done["submitted"] == 1
    assert Answer.objects.get(video=first).value == '["tilt"]'  # SCORE-AUTO-3: own answers kept
    assert Answer.objects.get(video=second).value == '["pan","zoom"]'


def test_none_of_these_as_the_default_submits_the_empty_set(client, mc_annotator, mc_project):
    group, question, first, second = parts(mc_project)
    client.force_login(mc_annotator)
    done = run_defaults(client, mc_project, "execute", group, **{f"d-{question.pk}": [""]}).json()["summary"]
    assert done["submitted"] == 2
    assert set(Answer.objects.values_list("value", flat=True)) == {"[]"}


def test_no_default_ticked_is_no_votes_and_a_contradiction_is_refused(client, mc_annotator, mc_project):
    group, question, *_ = parts(mc_project)
    client.force_login(mc_annotator)
    nothing = run_defaults(client, mc_project, "execute", group).json()["summary"]
    assert nothing["submitted"] == 0 and nothing["no_votes"] == 2
    both = run_defaults(client, mc_project, "execute", group, **{f"d-{question.pk}": ["", "pan"]})
    assert both.status_code == 400
    assert both.json()["error"] == ('Which camera motions?: "None of these" cannot be ticked together with an option.')
    assert not Answer.objects.exists()


def test_preload_gives_the_stored_set_for_the_form(client, mc_annotator, mc_project):
    group, question, first, second = parts(mc_project)
    client.force_login(mc_annotator)
    data = {"action": "preload", "grp": [group.pk], "video": [first.pk], f"d-{question.pk}": ["zoom", "tilt"]}
    body = client.post(reverse("annotate:defaults", args=[mc_project.pk]), data).json()
    assert body["preload"] == {f"v{first.pk}g{group.pk}-q{question.pk}": {"value": '["tilt","zoom"]', "tied": False}}


def test_auto_submit_groups_answer_with_the_question_default_options(client, mc_annotator, mc_project):
    group, question, first, second = parts(mc_project)
    group.is_auto_submit = True
    group.save()
    question.default_option = '["pan","tilt"]'
    question.save()
    client.force_login(mc_annotator)
    page(client, mc_project)  # entering the project answers the auto-submit groups (SCORE-AUTO-2)
    assert sorted(Answer.objects.values_list("video_id", "value")) == [
        (first.pk, '["pan","tilt"]'),
        (second.pk, '["pan","tilt"]'),
    ]


def test_default_boxes_that_are_not_options_are_dropped_not_read_as_none_of_these():
    question = MultipleQuestionFactory.build()
    kind = question.kind
    assert kind.default_votes(question, ["roll"]) == []
    assert kind.default_votes(question, ["zoom", "roll", "pan", "pan"]) == [('["pan","zoom"]', 1.0)]
    assert kind.default_votes(question, [""]) == [("[]", 1.0)]
    assert kind.chosen_values('["pan","zoom"]') == {"pan", "zoom"} and kind.chosen_values(None) == frozenset()


def test_the_training_page_with_feedback_costs_the_same_queries_for_more_videos(client, mc_annotator, reviewer):
    """PORTAL-GEN-4: per-option feedback is built from the preloaded rows, with no query per video."""
    counts = []
    for n_videos in (2, 8):
        question = MultipleQuestionFactory()
        group = QuestionGroupFactory(questions=[question])
        videos = [VideoFactory() for _ in range(n_videos)]
        project = ProjectFactory(schema=SchemaFactory(groups=[group]), videos=videos)
        Assignment.objects.create(user=mc_annotator, project=project, role=Assignment.Role.ANNOTATOR)
        for video in videos:
            GroundTruth.objects.create(
                project=project,
                video=video,
                question=question,
                value='["pan"]',
                reviewer_value='["pan"]',
                reviewer=reviewer,
            )
            Answer.objects.create(project=project, video=video, question=question, user=mc_annotator, value="[]")
        client.force_login(mc_annotator)
        with CaptureQueriesContext(connection) as ctx:
            body = page(client, project)
        assert body.count('<strong class="fb-mark">Missed</strong>') == n_videos
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
