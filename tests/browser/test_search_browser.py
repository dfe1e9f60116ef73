"""Real-browser test of the search portal on the demo workspace (PORTAL-SRCH-2..4, PORTAL-NAV-4)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotation.models import GroundTruth
from syncing.helpers import sync_from_folder
from tests.support.browser import login, shot

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"


@pytest.fixture
def demo(transactional_db):
    sync_from_folder(DEMO, quiet=True)


def test_find_a_video_and_fix_its_ground_truth(page: Page, live_server, demo):
    login(page, live_server, "admin1@example.com", "admin111")
    page.goto(f"{live_server.url}/annotate/")  # global admins land on the admin site; the portals have the nav
    page.get_by_role("navigation", name="Portals").get_by_role("link", name="Search").click()
    page.get_by_label("Video uid contains").fill("pizza2")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 video match")).to_be_visible()
    page.get_by_role("link", name="pizza2.mp4").click()
    expect(page.get_by_role("heading", name="3. Answers for pizza2.mp4")).to_be_visible()
    section = page.locator(".search-result", has_text="Pizza Test 0")
    expect(section.locator(".status")).to_have_text("no GT")
    panel = section.locator(".group-panel").first
    panel.locator(".option").nth(3).locator("input").check()
    panel.get_by_role("button", name="Use this text").first.click()
    with page.expect_response(lambda r: r.request.method == "POST" and "/groups/" in r.url):
        panel.get_by_role("button", name="Submit ground truth").click()
    expect(section.locator(".notice[role=status]")).to_have_text("Ground truth saved.")
    expect(section.get_by_role("button", name="Re-submit ground truth")).to_be_visible()
    assert GroundTruth.objects.filter(project__name="Pizza Test 0", video__video_uid="pizza2.mp4").count() == 2
    shot(page, "search-video-fixed")

    # The share link opens the same editor (PORTAL-NAV-4).
    page.goto(f"{live_server.url}/?video_uid=pizza2.mp4")
    expect(page.get_by_role("heading", name="2. Project scope for pizza2.mp4")).to_be_visible()


def choose(page: Page, label: str, option: str) -> None:
    """Pick from a builder drop-down and wait until htmx has swapped the new builder in.

    The response arriving is not enough: the swap runs after it, and a second pick made in between
    lands on the old, soon-detached drop-down and sends nothing. So the old builder is marked and we
    wait for a builder without the mark.
    """
    page.evaluate("document.getElementById('criteria-builder').dataset.replaced = 'pending'")
    with page.expect_response(
        lambda r: "criteria" in r.url and r.request.headers.get("hx-target") == "criteria-builder"
    ):
        page.locator("#criteria-builder").get_by_label(label).select_option(label=option)
    page.locator("#criteria-builder:not([data-replaced])").wait_for()
    expect(page.locator("#criteria-builder")).to_have_count(1)


def test_criteria_builder_updates_in_place_and_all_spans_projects(page: Page, live_server, demo):
    # Issue 11 point 11: the drop-downs swap the builder through htmx (no page load), and ALL over two
    # projects returns only videos meeting both projects' criteria (PORTAL-SRCH-6/7).
    login(page, live_server, "admin1@example.com", "admin111")
    page.goto(f"{live_server.url}/search/video/")
    page.get_by_role("navigation", name="Search areas").get_by_role("link", name="Criteria by project").click()
    for name in ("Human Test 0", "Human Test 1"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="2. Criteria")).to_be_visible()

    page.evaluate("window.__samePage = true")  # survives htmx swaps, lost on any page load
    choose(page, "Project", "Human Test 0")
    choose(page, "Group → question", "NSFW → Is the video not safe for work?")
    assert page.evaluate("window.__samePage === true")
    page.get_by_label("Required answer").select_option("No")
    page.get_by_role("button", name="Add criterion").click()  # a real change of the search: the page loads
    expect(page.locator(".criteria li").first).to_contain_text("Human Test 0 → Is the video not safe for work? = “No”")

    page.evaluate("window.__samePage = true")
    choose(page, "Project", "Human Test 1")
    choose(page, "Group → question", "Human → Number of people?")
    assert page.evaluate("window.__samePage === true")
    page.get_by_label("Required answer").select_option("0")
    page.get_by_role("button", name="Add criterion").click()
    # ANY: the three Human Test 0 videos and pizza.mp4 from Human Test 1, each meeting one criterion of two.
    expect(page.get_by_text("Criteria match details (1/2 matched)")).to_have_count(4)
    shot(page, "search-criteria-any")

    page.evaluate("window.__samePage = true")
    with page.expect_response(lambda r: "match=all" in r.url):
        page.get_by_label("ALL criteria").check()
    expect(page.get_by_text("No video matches.")).to_be_visible()  # no video is in both projects
    assert page.evaluate("window.__samePage === true") and "match=all" in page.url
    shot(page, "search-criteria-all")
