"""Real-browser tests of the reviewer and meta-reviewer portals on the demo workspace (PORTAL-REV, PORTAL-META,
SCORE-AUTO-5/7, PORTAL-PRJ-12)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotation.models import GroundTruth
from syncing.helpers import sync_from_folder
from tests.support.browser import login, shot

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"
REVIEWER = ("reviewer1@example.com", "reviewer111")
ADMIN = ("admin1@example.com", "admin111")


@pytest.fixture
def demo(transactional_db):
    sync_from_folder(DEMO, quiet=True)


def open_project(page: Page, live_server, who, portal: str, name: str) -> None:
    login(page, live_server, *who)
    page.goto(f"{live_server.url}/{portal}/")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)


def submit(page: Page, button) -> None:
    with page.expect_response(lambda r: r.request.method == "POST" and "/groups/" in r.url):
        button.click()


def test_reviewer_sets_ground_truth_and_reviews_a_description(page: Page, live_server, demo):
    open_project(page, live_server, REVIEWER, "review", "Pizza Test 0")
    expect(page.locator(".banner")).to_have_text("Review mode – help create the ground truth")
    card = page.locator(".video-card").first
    panel = card.locator(".group-panel").first
    option = panel.locator(".option").nth(1)  # vote share of the selected annotator (PORTAL-REV-3, issue 11.8)
    expect(option).to_have_attribute("title", "1 — 100%: U1")
    expect(option.locator(".share-bar")).to_be_visible()
    expect(option.locator(".voter")).to_have_attribute("title", "User 1")
    panel.locator(".option").nth(1).locator("input").check()
    panel.get_by_role("button", name="Use this text").first.click()
    panel.locator(".review-control").first.get_by_label("approved").check()
    submit(page, panel.get_by_role("button", name="Submit ground truth"))
    expect(card.locator(".notice[role=status]")).to_have_text("Ground truth saved.")
    expect(card.locator(".card-head")).to_contain_text("Progress: 1/2 complete")
    expect(card.get_by_text("Reviewed by Reviewer 1 (Re1) (approved)")).to_be_visible()
    expect(card.get_by_role("button", name="Re-submit ground truth")).to_be_visible()
    shot(page, "review-gt-saved")


def test_auto_submit_preview_then_execute(page: Page, live_server, demo):
    open_project(page, live_server, REVIEWER, "review", "Pizza Test 0")
    page.locator("#auto-panel summary").click()
    auto = page.locator("#auto-panel")
    # SCORE-AUTO-6 "Preload", in plain words (issue 11 point 6): fills the forms, submits nothing.
    auto.get_by_role("button", name="Load suggestions").click()
    expect(auto.locator(".auto-summary")).to_contain_text("Filled in 9 suggested answer(s) on this page")
    expect(page.locator(".video-card").first.locator(".option").nth(1).locator("input")).to_be_checked()
    auto.get_by_role("button", name="Show what would be submitted").click()
    expect(auto.locator(".auto-summary")).to_contain_text("Would submit 6 group(s)")
    expect(auto.locator(".auto-result th", has_text="Agreement needed")).to_be_visible()
    expect(auto.locator(".auto-result table")).to_be_visible()
    shot(page, "review-auto-preview")
    assert not GroundTruth.objects.filter(project__name="Pizza Test 0").exists()  # preview writes nothing
    auto.get_by_role("button", name="Submit ground truth (6 groups)").click()
    expect(auto.locator(".auto-summary")).to_contain_text("Submitted 6 group(s)")
    page.wait_for_load_state("load")
    expect(page.locator("#project-progress")).to_contain_text("100%", timeout=15000)
    shot(page, "review-auto-executed")


def test_override_shows_in_history_and_locks_the_reviewer(page: Page, live_server, demo):
    open_project(page, live_server, ADMIN, "meta-review", "Human Test 0")
    expect(page.locator(".banner")).to_have_text("Meta-reviewer mode – override ground truth; no completion tracking")
    card = page.locator(".video-card").first
    panel = card.locator(".group-panel").first
    panel.locator(".option").nth(2).locator("input").check()  # GT said 1 person; the admin says 2
    panel.locator("textarea").fill("Two men, one with a beard.")
    submit(page, panel.get_by_role("button", name="Override ground truth"))
    expect(card.locator(".notice[role=status]")).to_have_text("Override saved.")
    card.get_by_role("button", name="History").click()
    dialog = page.locator("#history-dialog")
    expect(dialog).to_contain_text("Overridden")
    expect(dialog).to_contain_text("1 → 2")
    shot(page, "meta-history")
    dialog.get_by_role("button", name="Close").click()

    page.get_by_role("button", name="Log out").click()
    open_project(page, live_server, REVIEWER, "review", "Human Test 0")
    card = page.locator(".video-card").first
    expect(card.get_by_role("button", name="Overridden by admin")).to_be_disabled()
    expect(card.locator(".lock-note")).to_contain_text("Overridden by Admin 1 (A1)")
    shot(page, "review-locked")


def test_reviewer_opens_my_performance_from_the_portal_nav(page: Page, live_server, demo):
    # Issue 11 point 13: the reviewer's own GT accuracy against the final ground truth, per question.
    login(page, live_server, *REVIEWER)
    page.goto(f"{live_server.url}/review/")
    page.get_by_role("navigation", name="Reviewer portal").get_by_role("link", name="My performance").click()
    expect(page.locator("h1")).to_have_text("My performance as a reviewer")
    section = page.locator("section.performance", has_text="Human Test 0")
    expect(section.locator(".report-score")).to_have_text("100%")
    # A meta-reviewer overrides one of the reviewer's answers: it no longer counts as theirs.
    row = GroundTruth.objects.filter(project__name="Human Test 0", question__text="Number of people?").first()
    admin = type(row.reviewer).objects.get(email=ADMIN[0])
    GroundTruth.objects.filter(pk=row.pk).update(value="3 or more", overridden_by=admin, overridden_at=row.modified_at)
    page.reload()
    expect(section.locator("tr", has_text="Number of people?")).to_contain_text("2/3")
    expect(section).to_contain_text("8 of your 9 ground-truth answers stand unchanged")
    shot(page, "review-my-performance")
