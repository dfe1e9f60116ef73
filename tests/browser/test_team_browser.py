"""Issue 17 in a real browser: an admin records a payment and feedback for an annotator on the person page; the
annotator opens "My work", reads both and replies; the admin sees the reply."""

import re

import pytest
from playwright.sync_api import Page, expect

from annotation.team.models import FeedbackReply, Payment
from annotation.team.tests import workspace
from tests.support.browser import login, shot


@pytest.fixture
def team(transactional_db):
    return workspace.build()


def test_admin_records_payment_and_feedback_and_the_annotator_replies(page: Page, live_server, team):
    # The admin reaches the team page from the admin site's header.
    login(page, live_server, "boss@example.com", "secret123")
    page.get_by_role("link", name="Team", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Team")
    page.get_by_role("link", name="All time").click()
    expect(page.locator('tr[data-person="Ann Lee"][data-role="annotator"]')).to_contain_text("75%")
    expect(page.locator("svg.daily-chart")).to_be_visible()
    shot(page, "lp17-team-page")

    page.locator('tr[data-person="Ann Lee"][data-role="annotator"]').get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Ann Lee")

    page.get_by_text("Record a payment").click()
    page.get_by_label("Date paid").fill("2026-11-30")
    page.get_by_label("Amount").fill("150.25")
    page.get_by_label("Currency").fill("eur")
    page.get_by_label("Period").fill("November 2026")
    page.get_by_label("Note").fill("Cats project, 400 answers")
    page.get_by_role("button", name="Save payment").click()
    expect(page.locator(".messages")).to_contain_text("Payment of 150.25 EUR recorded.")
    expect(page.locator("table.payments")).to_contain_text("150.25 EUR")

    page.get_by_text("Write feedback").click()
    page.get_by_label("About project (optional)").select_option(label="Cats")
    page.locator("#id_text").fill("Great accuracy on Cats; watch the tails.")
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator("#feedback")).to_contain_text("Great accuracy on Cats; watch the tails.")
    shot(page, "lp17-person-admin")
    assert Payment.objects.get().created_by == team.boss

    # The annotator logs in and opens their own page from the header.
    page.context.clear_cookies()
    login(page, live_server, "ann@example.com", "secret123")
    page.get_by_role("link", name="My work").click()
    expect(page.locator("h1")).to_have_text("My work")
    expect(page.locator("table.payments")).to_contain_text("150.25 EUR")
    expect(page.locator("table.payments")).to_contain_text("November 2026")
    expect(page.get_by_text("Record a payment")).to_have_count(0)
    expect(page.get_by_role("link", name="Team", exact=True)).to_have_count(0)
    note = page.locator("article.feedback").first
    expect(note).to_contain_text("Great accuracy on Cats; watch the tails.")
    note.get_by_label("Your reply").fill("Thanks, I will!")
    note.get_by_role("button", name="Reply").click()
    expect(page.locator("blockquote.reply")).to_contain_text("Thanks, I will!")
    shot(page, "lp17-person-self")
    assert FeedbackReply.objects.get().author == team.ann

    # Nobody else's page: another person's page is not found.
    page.goto(f"{live_server.url}/team/people/{team.rex.pk}/")
    expect(page.locator("body")).to_contain_text(re.compile("not found", re.IGNORECASE))

    # The admin sees the reply.
    page.context.clear_cookies()
    login(page, live_server, "boss@example.com", "secret123")
    page.goto(f"{live_server.url}/team/people/{team.ann.pk}/")
    expect(page.locator("blockquote.reply")).to_contain_text("Thanks, I will!")
