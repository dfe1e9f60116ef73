"""Real-browser test of the search portal on the demo workspace (PORTAL-SRCH-2..4, PORTAL-NAV-4)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotation.models import GroundTruth
from syncing.helpers import sync_from_folder
from tests.browser.conftest import login, shot

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
