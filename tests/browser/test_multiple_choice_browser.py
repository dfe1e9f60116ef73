"""Issue 15 in a real browser: a trainee ticks two boxes of a multiple-choice question, submits and reads the
training feedback per option (which they missed, which they added). "None of these" and the options untick
each other (static/js/forms.js). Requirement IDs by analogy: PORTAL-PRJ-8, PORTAL-TRN-3."""

import pytest
from playwright.sync_api import Page, expect

from annotation.models import Answer, GroundTruth
from catalog.models import Assignment
from catalog.tests.factories import (
    MultipleQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    UserFactory,
    VideoFactory,
)
from tests.support.browser import login, shot

EMAIL, PASSWORD = "tara@example.com", "tara-pass-1"
GT = '["pan","tilt"]'


@pytest.fixture
def training(transactional_db):
    """A training project: one multiple-choice question whose ground truth is Pan and Tilt on its one video."""
    question = MultipleQuestionFactory(
        text="Which camera motions?",
        options=["pan", "tilt", "zoom"],
        display_values=["Pan", "Tilt", "Zoom"],
    )
    group = QuestionGroupFactory(title="Camera", questions=[question])
    video = VideoFactory(video_uid="pizza.mp4", url="/static/demo/pizza.mp4")
    project = ProjectFactory(name="Camera training", schema=SchemaFactory(groups=[group]), videos=[video])
    trainee = UserFactory(user_id="Tara Trainee", email=EMAIL, password=PASSWORD)
    reviewer = UserFactory(user_id="Rhea Reviewer")
    Assignment.objects.create(user=trainee, project=project, role=Assignment.Role.ANNOTATOR)
    GroundTruth.objects.create(
        project=project, video=video, question=question, value=GT, reviewer_value=GT, reviewer=reviewer
    )
    return trainee


def submit(page: Page) -> None:
    """Click the group's submit button and wait for the htmx answer, whatever its status."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/groups/" in r.url):
        page.locator(".video-card").get_by_role("button", name="Submit answers").click()


def test_trainee_ticks_two_boxes_and_reads_feedback_per_option(page: Page, live_server, training):
    login(page, live_server, EMAIL, PASSWORD)
    page.get_by_role("link", name="Camera training", exact=True).click()
    expect(page.locator(".banner")).to_contain_text("Training mode")
    question = page.locator(".video-card fieldset.question").first
    expect(question.locator("input[type=checkbox]:checked")).to_have_count(0)  # nothing assumed
    submit(page)  # nothing ticked is unanswered, not "None of these": refused next to the question
    question = page.locator(".video-card fieldset.question").first
    expect(question.locator("p.error")).to_have_text('Tick the options that apply, or "None of these".')
    shot(page, "multiple-choice-refused")

    # "None of these" and the options exclude each other in the browser.
    question.get_by_label("None of these").check()
    question.get_by_label("Pan").check()
    expect(question.get_by_label("None of these")).not_to_be_checked()
    question.get_by_label("Zoom").check()
    expect(question.get_by_label("Pan")).to_be_checked()
    shot(page, "multiple-choice-ticked")

    submit(page)
    feedback = page.locator(".video-card .feedback")
    expect(feedback.locator(".verdict")).to_have_text("✗ Incorrect")
    rows = feedback.locator("li.fb-option")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Pan (Ground truth) (Your answer)")
    expect(rows.nth(1)).to_contain_text("Tilt (Ground truth) Missed")
    expect(rows.nth(2)).to_contain_text("Zoom (Your answer) Added")
    expect(rows.nth(3)).to_have_text("None of these")
    expect(feedback.locator("button.summary")).to_have_text("Already submitted (0/1 correct)")
    assert Answer.objects.get(user=training).value == '["pan","zoom"]'
    shot(page, "multiple-choice-feedback")


def test_default_options_load_as_ticked_boxes(page: Page, live_server, training):
    """PORTAL-ANN-4: in annotation mode, ticked default boxes are one suggested set, loaded into the form."""
    GroundTruth.objects.all().delete()  # no ground truth: annotation mode, where the auto-submit panel shows
    login(page, live_server, EMAIL, PASSWORD)
    page.get_by_role("link", name="Camera training", exact=True).click()
    panel = page.locator("#auto-panel")
    panel.locator("summary").click()
    defaults = panel.locator(".default-options")
    defaults.get_by_label("None of these").check()
    defaults.get_by_label("Zoom").check()
    expect(defaults.get_by_label("None of these")).not_to_be_checked()
    defaults.get_by_label("Tilt").check()
    panel.get_by_role("button", name="Load suggestions").click()
    expect(panel.locator(".auto-result")).to_contain_text("Filled in 1 suggested answer(s)")
    question = page.locator(".video-card fieldset.question").first
    expect(question).to_have_class("question preloaded")
    expect(question.locator("input[type=checkbox]:checked")).to_have_count(2)
    expect(question.get_by_label("Tilt")).to_be_checked()
    expect(question.get_by_label("Zoom")).to_be_checked()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the sticky submit bar sits under the form
    shot(page, "multiple-choice-default-suggestions")
    submit(page)
    assert Answer.objects.get(user=training).value == '["tilt","zoom"]'
