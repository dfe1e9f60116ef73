"""Issue 15 in a real browser: a reviewer sees per-option vote shares on a multiple-choice question (with
"None of these"), starts from the options most annotators ticked, ticks one more, submits, and sees the
ground truth marked on each option; auto-submit suggests and previews the consensus set; an admin searches by
a contained option."""

import pytest
from playwright.sync_api import Page, expect

from annotation.models import Answer, GroundTruth
from catalog.models import Assignment, ProjectVideo
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import (
    AdminFactory,
    MultipleQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    UserFactory,
    VideoFactory,
)
from tests.support.browser import SCREENSHOTS, login, shot


@pytest.fixture
def motions(transactional_db):
    question = MultipleQuestionFactory(text="Which camera motions?")  # pan, tilt, zoom shown Pan, Tilt, Zoom
    group = QuestionGroupFactory(title="Camera", display_title="Camera", questions=[question])
    video = VideoFactory(video_uid="street.mp4")
    project = ProjectFactory(name="Motions", schema=SchemaFactory(groups=[group]), videos=[video])
    reviewer = UserFactory(user_id="Rev Iewer", email="rev@example.com")
    Assignment.objects.create(user=reviewer, project=project, role=Assignment.Role.REVIEWER)
    for name, value in (("Ann A", '["pan","zoom"]'), ("Bob B", '["pan"]'), ("Cy C", "[]")):
        user = UserFactory(user_id=name)
        Assignment.objects.create(user=user, project=project, role=Assignment.Role.ANNOTATOR)
        Answer.objects.create(project=project, video=video, question=question, user=user, value=value)
    return project, question


def test_reviewer_sees_shares_ticks_two_options_and_submits(page: Page, live_server, motions):
    project, question = motions
    login(page, live_server, "rev@example.com", "secret123")
    page.goto(f"{live_server.url}/review/{project.pk}/")
    panel = page.locator(".video-card .group-panel").first
    boxes = panel.locator("input[type=checkbox]")
    expect(boxes).to_have_count(4)  # three options and "None of these"
    pan, tilt, zoom, none = (panel.locator(".option.vote").nth(i) for i in range(4))
    expect(pan).to_have_attribute("title", "Pan — 67%: AA, BB")
    expect(zoom).to_have_attribute("title", "Zoom — 33%: AA")
    expect(none).to_have_attribute("title", "None of these — 33%: CC")
    expect(tilt.locator(".share-bar")).to_have_count(0)  # nobody ticked it
    expect(pan.locator(".share-bar")).to_be_visible()
    # The form starts with what at least half the selected annotators ticked: Pan only.
    expect(pan.locator("input")).to_be_checked()
    expect(zoom.locator("input")).not_to_be_checked()
    expect(none.locator("input")).not_to_be_checked()
    tilt.locator("input").check()
    shot(page, "multiple-choice-review-ticked")
    with page.expect_response(lambda r: r.request.method == "POST" and "/groups/" in r.url):
        panel.get_by_role("button", name="Submit ground truth").click()
    card = page.locator(".video-card").first
    expect(card.locator(".notice[role=status]")).to_contain_text("Ground truth for Motions is complete")
    expect(card.locator(".option.vote").nth(0).locator(".badge.gt")).to_be_visible()
    expect(card.locator(".option.vote").nth(1).locator(".badge.gt")).to_be_visible()
    expect(card.locator(".option.vote").nth(2).locator(".badge.gt")).to_have_count(0)
    assert GroundTruth.objects.get(project=project, question=question).value == '["pan","tilt"]'
    shot(page, "multiple-choice-review-saved")
    # The card on its own too: a full-page shot draws the sticky submit bar over the options.
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(SCREENSHOTS / "multiple-choice-review-card.png"))


def test_auto_submit_suggests_and_previews_the_consensus_set_readably(page: Page, live_server, motions):
    project, question = motions
    login(page, live_server, "rev@example.com", "secret123")
    page.goto(f"{live_server.url}/review/{project.pk}/")
    options = page.locator(".video-card .group-panel").first.locator(".option.vote input")
    options.nth(0).uncheck()
    options.nth(3).check()  # "None of these": Load suggestions must clear it again
    page.locator("#auto-panel summary").click()
    auto = page.locator("#auto-panel")
    auto.get_by_label("Agreement needed for Which camera motions?").select_option("60")
    auto.get_by_role("button", name="Load suggestions").click()
    expect(auto.locator(".auto-summary")).to_contain_text("Filled in 1 suggested answer(s) on this page")
    expect(options.nth(0)).to_be_checked()
    for i in (1, 2, 3):
        expect(options.nth(i)).not_to_be_checked()
    auto.get_by_role("button", name="Show what would be submitted").click()
    expect(auto.locator(".auto-summary")).to_contain_text("Would submit 1 group(s)")
    row = auto.locator(".auto-result table tr").nth(1)
    expect(row).to_contain_text("Pan (2, 66.6%); Tilt (0, 0%); Zoom (1, 33.3%)")
    expect(row).to_contain_text("✓ accepted: Pan")
    expect(row).not_to_contain_text('["')
    auto.scroll_into_view_if_needed()
    auto.screenshot(path=str(SCREENSHOTS / "multiple-choice-auto-preview.png"))
    assert not GroundTruth.objects.filter(project=project).exists()


def test_admin_searches_by_a_contained_option_and_edits_the_matching_gt(page: Page, live_server, motions):
    project, question = motions
    admin = AdminFactory(user_id="Sam Searcher", email="sam@example.com")
    ensure_global_admin_rows(users=[admin])
    other = VideoFactory(video_uid="beach.mp4")
    ProjectVideo.objects.create(project=project, video=other, position=1)
    street = project.videos.get(video_uid="street.mp4")
    for video, value in ((street, '["pan","zoom"]'), (other, '["tilt"]')):
        GroundTruth.objects.create(
            project=project, video=video, question=question, value=value, reviewer_value=value, reviewer=admin
        )
    login(page, live_server, "sam@example.com", "secret123")
    query = f"scope={project.pk}&pick_scope={project.pk}&pick_q={question.pk}"
    page.goto(f"{live_server.url}/search/criteria/project/?{query}")
    builder = page.locator("#criteria-builder")
    builder.get_by_label("How the ground truth must match").select_option("contains")
    builder.get_by_label("Zoom").check()
    builder.screenshot(path=str(SCREENSHOTS / "multiple-choice-search-builder.png"))
    builder.get_by_role("button", name="Add criterion").click()
    expect(builder.locator(".criteria li").first).to_contain_text("Motions → Which camera motions? contains “Zoom”")
    expect(page.get_by_text("Criteria match details (1/1 matched)")).to_have_count(1)
    page.get_by_text("Criteria match details (1/1 matched)").click()
    expect(page.locator(".match-details")).to_contain_text("ground truth “Pan; Zoom”")
    card = page.locator(".video-card").first
    expect(card.locator(".option.vote").nth(0)).to_have_attribute("title", "Pan — 67%: AA, BB | GT")
    shot(page, "multiple-choice-search-contains")
