"""Issue 11 point 9: a link copied from the player opens for the person it is shared with, in their own
portal (the search portal's link gave annotators 403), on the demo workspace."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from syncing.helpers import sync_from_folder
from tests.support.browser import login, shot

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"


@pytest.fixture
def demo(transactional_db):
    sync_from_folder(DEMO, quiet=True)


def copy_link(page: Page, card) -> str:
    card.locator("[data-action=share]").click()
    expect(card.locator(".lp-status")).to_have_text("Copied")
    return page.evaluate("navigator.clipboard.readText()")


def test_an_annotator_opens_a_link_another_annotator_copied(page: Page, live_server, demo):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, live_server, "user1@example.com", "user111")
    page.goto(f"{live_server.url}/annotate/")
    page.get_by_role("link", name="Human Test 1", exact=True).click()
    card = page.locator(".video-card").nth(1)
    uid = card.locator(".card-head .uid").inner_text().split(" · ")[1]
    link = copy_link(page, card)
    assert link.startswith(f"{live_server.url}/v/") and "portal=annotate" in link
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, "user2@example.com", "user222")
    response = page.goto(link)
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Human Test 1")
    expect(page.locator(".video-card")).to_have_count(1)
    expect(page.locator(".video-card .card-head .uid")).to_contain_text(uid)
    shot(page, "share-link-annotator")

    # The reviewer's copy opens in the reviewer portal for a reviewer, and in the annotator portal for user 2.
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "reviewer1@example.com", "reviewer111")
    page.goto(f"{live_server.url}/review/")
    page.get_by_role("link", name="Human Test 1", exact=True).click()
    review_link = copy_link(page, page.locator(".video-card").nth(1))
    page.goto(review_link)
    expect(page.locator(".banner")).to_have_text("Review mode – help create the ground truth")
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "user2@example.com", "user222")
    assert page.goto(review_link).status == 200
    assert "/annotate/" in page.url
