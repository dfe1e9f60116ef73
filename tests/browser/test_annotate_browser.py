"""Real-browser tests of the annotator portal on the demo workspace (PORTAL-ANN, PORTAL-TRN, SCORE-AUTO-2, PLAYER-6).

A fresh annotator ("Nina Newcomer") is assigned to an annotation-mode project and to the training project, so
every flow starts from no answers.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Project
from catalog.roles import assign_role
from catalog.tests.factories import UserFactory
from syncing.helpers import sync_from_folder
from tests.support.browser import login, serve_with_byte_ranges, shot

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"
EMAIL, PASSWORD = "nina@example.com", "nina-pass-1"


@pytest.fixture
def newcomer(transactional_db):
    sync_from_folder(DEMO, quiet=True)
    user = UserFactory(user_id="Nina Newcomer", email=EMAIL, password=PASSWORD)
    for name in ("Human Test 0", "Human Test 1"):
        assign_role(user=user, project=Project.objects.get(name=name), role="annotator")
    return user


def submit(page: Page, button) -> None:
    """Click a group's submit button and wait for the htmx answer, whatever its status."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/groups/" in r.url):
        button.click()


def open_project(page: Page, live_server, name: str) -> None:
    login(page, live_server, EMAIL, PASSWORD)
    expect(page.locator("h1")).to_have_text("Your annotation projects")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)


def test_annotate_with_verification_error_and_resubmit(page: Page, live_server, newcomer):
    open_project(page, live_server, "Human Test 1")
    expect(page.locator(".banner")).to_have_text("Annotation mode")
    # SCORE-AUTO-2: the NSFW group is answered with its default after the page rendered.
    expect(page.locator("#auto-submit [data-role=result]")).to_contain_text("2 groups answered with default answers")
    card = page.locator(".video-card").first
    expect(card.locator(".card-head")).to_contain_text("✓ NSFW")
    shot(page, "annotate-auto-submitted")

    panel = card.locator(".group-panel").first
    panel.get_by_label("1", exact=True).check()
    panel.get_by_role("button", name="Submit answers").click()
    expect(card.locator(".error[role=alert]")).to_have_text(
        "Answer verification failed: Description must be provided when there are people"
    )
    shot(page, "annotate-verification-error")

    panel = card.locator(".group-panel").first
    panel.locator("textarea").fill("A cook slides a pizza into the oven.")
    panel.get_by_role("button", name="Submit answers").click()
    expect(card.locator(".notice[role=status]")).to_have_text("Answers saved.")
    expect(card.locator(".card-head")).to_contain_text("Progress: 2/2 complete")
    expect(card.get_by_role("button", name="Re-submit answers")).to_be_visible()

    # Re-submit a change; the other card's unsaved input is kept (PORTAL-GEN-3).
    other = page.locator(".video-card").nth(1).locator("textarea")
    other.fill("unsaved text in the second card")
    card.locator("textarea").fill("A cook and a pizza.")
    submit(page, card.get_by_role("button", name="Re-submit answers"))
    expect(card.locator(".notice[role=status]")).to_have_text("Answers saved.")
    expect(other).to_have_value("unsaved text in the second card")
    page.reload()
    expect(page.locator(".video-card").first.locator("textarea")).to_have_value("A cook and a pizza.")
    shot(page, "annotate-resubmitted")


def test_complete_training_project_and_read_feedback(page: Page, live_server, newcomer):
    open_project(page, live_server, "Human Test 0")
    expect(page.locator(".banner")).to_have_text("Training mode – immediate feedback after each submission")
    answers = {
        "human.mp4": ("1", "a man with a full beard waving."),
        "human2.mp4": ("1", "One person"),
        "human3.mp4": ("0", ""),
    }
    for index, (uid, (people, text)) in enumerate(answers.items()):
        card = page.locator(".video-card").nth(index)
        expect(card.locator(".card-head .uid")).to_contain_text(uid)
        panel = card.locator(".group-panel").first
        panel.get_by_label(people, exact=True).check()
        panel.locator("textarea").fill(text)
        submit(page, panel.get_by_role("button", name="Submit answers"))
        expect(card.locator(".summary")).to_contain_text("Already submitted")
        card.get_by_role("tab", name="NSFW").click()
        nsfw = card.locator(".group-panel").nth(1)
        nsfw.get_by_label("No", exact=True).check()
        submit(page, nsfw.get_by_role("button", name="Submit answers"))
        expect(nsfw.locator(".summary")).to_have_text("Already submitted (1/1 correct) · all correct")

    first = page.locator(".video-card").first
    first.get_by_role("tab", name="Human").click()
    expect(first.locator(".verdict").first).to_have_text("✓ Correct")
    expect(first.get_by_text("Matches the ground truth exactly")).to_be_visible()
    second = page.locator(".video-card").nth(1)
    second.get_by_role("tab", name="Human").click()
    expect(second.locator(".verdict").first).to_have_text("✗ Incorrect")
    expect(second.locator(".fb-options li.gt").first).to_contain_text("2 (Ground truth)")
    expect(page.locator("#project-progress")).to_contain_text("100%")
    shot(page, "training-feedback")

    page.reload()
    page.get_by_role("link", name="View my accuracy").click()
    expect(page.locator(".report-score")).to_have_text("83.3%")
    expect(page.get_by_text("You answered 5 of 6 correctly")).to_be_visible()
    shot(page, "training-report")


def test_keyboard_shortcuts_drive_the_active_player(page: Page, live_server, newcomer):
    page.route("**/static/demo/*.mp4", serve_with_byte_ranges)  # seeking needs Range, as WhiteNoise serves it
    open_project(page, live_server, "Human Test 0")
    player = page.locator("[data-player]").first
    video = player.locator("video")
    page.wait_for_function("() => document.querySelector('[data-player] video').readyState >= 1")  # duration known
    player.locator(".lp-stage").click()
    page.keyboard.press(".")  # PLAYER-6: next faster speed
    assert video.evaluate("v => v.playbackRate") == 1.5
    page.keyboard.press("5")  # jump to 50% of a 4-second clip
    page.wait_for_function("() => Math.abs(document.querySelector('[data-player] video').currentTime - 2) < 0.6")
    # Typing in a text box is not a shortcut.
    page.locator(".video-card").nth(1).locator("textarea").type("5.")
    assert video.evaluate("v => v.playbackRate") == 1.5
