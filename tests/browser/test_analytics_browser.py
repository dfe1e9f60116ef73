"""Project analytics in a real browser (PORTAL-REV-14, SCORE-LB): leaderboard with its chart, CSV download, compare.

The data is the worked example of SCORE-ACC-6 (Ann 9/13) with a few more answerers, so every accuracy band and a
model user show up on the leaderboard.
"""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from catalog.tests.factories import ModelUserFactory, UserFactory
from tests.support.analytics_example import build_example
from tests.support.browser import login, shot

PASSWORD = "rev-pass-1"


@pytest.fixture
def analytics_site(transactional_db):
    viewer = UserFactory(user_id="Rita Reviewer", email="rita@example.com", password=PASSWORD)
    ex = build_example(viewer)
    ex.answer(UserFactory(user_id="Ann Annotator"), q1=4, q2=3, approved=2, rejected=1, pending=2)  # 69.2%
    ex.answer(UserFactory(user_id="Bea Baker"), q1=5, q2=5, approved=3)  # 100%
    ex.answer(UserFactory(user_id="Carlo Crust"), q1=5, q2=4, approved=2, rejected=1)  # 84.6%
    ex.answer(UserFactory(user_id="Dina Dough"), q1=4, q2=5, approved=1, rejected=2)  # 76.9%
    ex.answer(ModelUserFactory(user_id="Model 1"), q1=5, q2=5)  # 100% on fewer answers
    ex.answer(UserFactory(user_id="Ned Newbie"), pending=2)  # no data
    return ex


def test_reviewer_reads_the_leaderboard_downloads_csv_and_compares(page: Page, live_server, analytics_site):
    project = analytics_site.project
    login(page, live_server, "rita@example.com", PASSWORD)
    page.goto(f"{live_server.url}/review/{project.pk}/analytics/annotators/")

    expect(page.locator("h1")).to_contain_text(project.name)
    expect(page.locator(".analytics-tab.current")).to_have_text("Annotator analytics")
    board = page.locator("table.leaderboard tbody tr")
    expect(board).to_have_count(6)
    expect(board.first).to_contain_text("Bea Baker (BB)")
    expect(board.nth(1)).to_contain_text("Model")
    expect(board.nth(4)).to_contain_text("69.2%")
    expect(board.last).to_contain_text("no data")
    expect(page.locator("tr.podium")).to_have_count(3)
    # The chart: one bar per ranked user, coloured by band.
    chart = page.locator("svg.bar-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar")).to_have_count(5)
    expect(chart.locator("rect.bar.needs")).to_have_count(1)
    shot(page, "analytics-annotators")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download leaderboard.csv").click()
    download = download_info.value
    assert download.suggested_filename == "leaderboard.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["rank", "user_id", "user_type", "accuracy_percent", "correct", "total"]
    assert rows[5] == ["5", "Ann Annotator", "human", str(900 / 13), "9", "13"]
    assert rows[6] == ["", "Ned Newbie", "human", "", "0", "0"]

    form = page.locator("form.compare-form")
    form.get_by_label("Ann Annotator (AA)").check()
    form.get_by_label("Bea Baker (BB)").check()
    form.get_by_label("Dina Dough (DD)").check()
    form.get_by_role("button", name="Compare").click()
    comparison = page.locator("table.comparison")
    expect(comparison).to_be_visible()
    expect(comparison.locator("thead th")).to_have_text(
        ["Question", "Bea Baker (BB)", "Dina Dough (DD)", "Ann Annotator (AA)", "Mean"]
    )
    # Overall: 100, 76.9… and 69.2…: mean 82.05…; differences +17.9, -5.1, -12.8 (truncated).
    expect(comparison.locator("tr.overall")).to_contain_text("82.0%")
    expect(comparison.locator("tr.overall .diff")).to_have_text(["+17.9", "-5.1", "-12.8"])
    page.locator("#compare").scroll_into_view_if_needed()
    shot(page, "analytics-compare")

    page.get_by_role("link", name="Reviewer analytics").click()
    expect(page.locator("table.leaderboard tbody tr").last).to_contain_text("Rex Reviewer (RR)")
    expect(page.locator("svg.bar-chart rect.bar")).to_have_count(2)
    shot(page, "analytics-reviewers")

    page.get_by_role("link", name="Agreement").click()
    expect(page.locator("table.agreement tbody tr")).to_have_count(2)
    expect(page.locator("svg.bar-chart")).to_be_visible()
    shot(page, "analytics-agreement")


def test_leaderboards_wait_for_complete_ground_truth(page: Page, live_server, analytics_site):
    analytics_site.project.ground_truths.filter(video=analytics_site.videos[0]).delete()  # GT no longer complete
    login(page, live_server, "rita@example.com", PASSWORD)
    page.goto(f"{live_server.url}/review/{analytics_site.project.pk}/analytics/annotators/")

    expect(page.locator(".banner")).to_have_text("Annotation mode · ground truth 80% complete")
    expect(page.locator(".gated")).to_contain_text(
        "Analytics are available once the project's ground truth is complete (training mode)."
    )
    expect(page.locator("svg.bar-chart")).to_have_count(0)
    shot(page, "analytics-gated")

    page.locator(".gated").get_by_role("link", name="Agreement").click()
    expect(page.locator("table.agreement tbody tr")).to_have_count(2)
