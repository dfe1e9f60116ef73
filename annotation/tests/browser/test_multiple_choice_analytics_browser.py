"""The per-option precision/recall chart of a multiple-choice question in a real browser (issue 15, point 3)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotation.tests.multiple_choice import build_motions
from catalog.tests.factories import UserFactory
from tests.support.browser import login, shot

PASSWORD = "rev-pass-1"


@pytest.fixture
def motions_site(transactional_db):
    viewer = UserFactory(user_id="Vera Viewer", email="vera@example.com", password=PASSWORD)
    return build_motions(viewer)


def test_reviewer_reads_precision_and_recall_per_option_for_everyone_then_one_answerer(
    page: Page, live_server, motions_site
):
    login(page, live_server, "vera@example.com", PASSWORD)
    page.goto(f"{live_server.url}/review/{motions_site.project.pk}/analytics/annotators/")

    section = page.locator("#options")
    expect(section).to_be_visible()
    expect(section).to_contain_text("Which camera motions?")
    expect(section).to_contain_text("7 answers compared")
    chart = section.locator("svg.option-chart")
    expect(chart.locator("text.chart-label")).to_have_text(["Pan", "Tilt", "Zoom"])
    expect(chart.locator("rect.bar.precision")).to_have_count(3)
    expect(chart.locator("rect.bar.recall")).to_have_count(3)
    shot(page, "analytics-multiple-choice-everyone")

    section.get_by_label("Answers of").select_option(label="Ann Annotator (AA)")
    section.get_by_role("button", name="Show").click()

    expect(page.locator("#options")).to_contain_text("4 answers compared")
    expect(page.locator("#options select")).to_have_value("Ann Annotator")
    section.scroll_into_view_if_needed()
    shot(page, "analytics-multiple-choice-ann")


def test_reviewer_sees_the_multiple_question_on_the_agreement_page_with_its_distance(
    page: Page, live_server, motions_site
):
    login(page, live_server, "vera@example.com", PASSWORD)
    page.goto(f"{live_server.url}/review/{motions_site.project.pk}/analytics/agreement/")

    row = page.locator("table.agreement tbody tr", has_text="Which camera motions?")
    expect(row.locator("td.distance")).to_have_text("set distance: MASI")
    expect(row.locator("td.alpha")).to_have_text("0.045")
    shot(page, "analytics-multiple-choice-agreement")


def test_reviewer_downloads_the_per_option_figures_next_to_the_charts(page: Page, live_server, motions_site):
    login(page, live_server, "vera@example.com", PASSWORD)
    page.goto(f"{live_server.url}/review/{motions_site.project.pk}/analytics/annotators/")
    section = page.locator("#options")
    section.scroll_into_view_if_needed()
    shot(page, "analytics-multiple-choice-download")

    with page.expect_download() as info:
        section.get_by_role("link", name="Download per_option.csv").click()

    assert info.value.suggested_filename == "per_option.csv"
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("question_text,option,label,user_id,user_type,compared,precision_percent")
    assert lines[1] == "camera_motion,pan,Pan,everyone,,7,100.0,100.0,4,4,4"
    assert len(lines) == 1 + 3 * 3  # everyone, Bob and Ann: three options each
