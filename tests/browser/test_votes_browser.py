"""Issue 11 point 8 in a real browser, on the demo workspace (where "Robot 1" and "Reviewer 1" both have the
initials R1): vote shares read at a glance, initials are unique on the page with the full name on hover, model
users are marked, and a trainee cannot submit without choosing."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotation.models import Answer
from catalog.models import User
from syncing.helpers import sync_from_folder
from tests.support.browser import login, shot

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"


@pytest.fixture
def demo(transactional_db):
    sync_from_folder(DEMO, quiet=True)


def test_vote_shares_name_everyone_uniquely(page: Page, live_server, demo):
    login(page, live_server, "reviewer1@example.com", "reviewer111")
    page.goto(f"{live_server.url}/review/")
    page.get_by_role("link", name="Pizza Test 0", exact=True).click()
    picker = page.locator(".annotator-pick")
    picker.get_by_label("Robot 1", exact=False).check()
    picker.get_by_role("button", name="Apply").click()
    expect(page.locator(".voter.model").first).to_be_visible()

    # Every short label on the page names one person; the hover text gives the full name.
    chips = page.locator(".voter").evaluate_all("els => els.map(e => [e.textContent.split(' ')[0], e.title])")
    owners: dict[str, set[str]] = {}
    for label, title in chips:
        owners.setdefault(label, set()).add(title.split(" · ")[0])
    assert owners and all(len(names) == 1 for names in owners.values()), owners
    assert "R1" not in owners and owners["Ro1"] == {"Robot 1"}
    assert "(R1)" not in page.locator(".video-card").first.inner_text()  # captions use the same labels

    model = page.locator(".voter.model").first
    expect(model).to_have_attribute("title", "Robot 1 · model · confidence 0.97")
    # The "model" badge is drawn by CSS (no emoji font needed); screen readers get it from the title.
    assert model.evaluate("el => getComputedStyle(el, '::before').content") == '"model "'
    bar = page.locator(".option.vote .share-bar").first
    assert bar.bounding_box()["width"] > 40  # a visible bar beside the number
    shot(page, "votes-review")


def test_trainee_must_choose_before_submitting(page: Page, live_server, demo):
    login(page, live_server, "user1@example.com", "user111")
    page.goto(f"{live_server.url}/annotate/")
    page.get_by_role("link", name="Human Test 0", exact=True).click()
    expect(page.locator(".banner")).to_contain_text("Training mode")
    user = User.objects.get(email="user1@example.com")
    panel = page.locator(".video-card .group-panel:not([hidden])").filter(has=page.locator("form")).first
    expect(panel.locator("input[type=radio]:checked")).to_have_count(0)  # nothing pre-selected
    before = Answer.objects.filter(user=user).count()
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    panel.get_by_role("button", name="Submit answers").click()
    page.wait_for_timeout(300)
    assert posts == [] and Answer.objects.filter(user=user).count() == before  # the browser asked for a choice
    first_radio = panel.locator("input[type=radio]").first
    assert first_radio.evaluate("el => !el.validity.valid")
    shot(page, "votes-training-unchosen")
