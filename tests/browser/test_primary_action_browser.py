"""Issue 11 point 5: the primary action of every answer panel (Submit / Re-submit / Override, and the training
summary) is never hidden inside a panel that scrolls by itself.

Each page is opened at 1440x900 and 1280x800 on a group with 30 options and a long description. Every card is
scrolled into view (its top at the top of the window, as a person scrolling the page would see it), and then the
panel's button must be inside the window, have a size, be what the browser hits at its centre, and lie inside
every ancestor that clips its content (overflow other than visible). Screenshots: /tmp/lp-shots/primary-*.png.
"""

import pytest
from playwright.sync_api import Page

from annotation.tests.factories import AnswerFactory, GroundTruthFactory
from catalog.models import Assignment
from catalog.tests.factories import (
    AdminFactory,
    DescriptionQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)
from tests.support.browser import login, shot

VIEWPORTS = [(1440, 900), (1280, 800)]
LONG_DESCRIPTION = " ".join(
    ["Watch the whole clip before answering: count every person who is visible for at least one second,"]
    + ["including people in mirrors, on screens and in the background, and say so in the notes."] * 6
)

# Problems that would keep a person from seeing or clicking the button, as plain strings ([] = none).
CLIPPING_PROBLEMS = """
(button) => {
  const r = button.getBoundingClientRect();
  const problems = [];
  if (r.width < 1 || r.height < 1) problems.push("the button has no size");
  if (r.top < 0 || r.bottom > window.innerHeight + 0.5 || r.left < 0 || r.right > window.innerWidth + 0.5)
    problems.push(`outside the window: ${Math.round(r.top)}..${Math.round(r.bottom)} of ${window.innerHeight}`);
  for (let el = button.parentElement; el && el !== document.documentElement; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") problems.push(`hidden by ${el.className}`);
    if ([style.overflowX, style.overflowY].every((v) => v === "visible")) continue;
    const a = el.getBoundingClientRect();
    if (r.top < a.top - 0.5 || r.bottom > a.bottom + 0.5 || r.left < a.left - 0.5 || r.right > a.right + 0.5)
      problems.push(`clipped by <${el.tagName.toLowerCase()} class="${el.className}"> (overflow ${style.overflowY})`);
  }
  const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  if (!hit || !button.contains(hit)) problems.push(`covered by ${hit ? hit.outerHTML.slice(0, 80) : "nothing"}`);
  return problems;
}
"""


@pytest.fixture
def crowded(transactional_db):
    """A review project and a finished training project on a group with 30 options and a long description."""
    options = [f"opt{i}" for i in range(30)]
    many = SingleQuestionFactory(
        text="How many people are in the clip?",
        options=options,
        display_values=[f"{i} people in the clip" for i in range(30)],
        option_weights=[1.0] * 30,
    )
    notes = DescriptionQuestionFactory(text="Notes on the people.")
    group = QuestionGroupFactory(title="People", questions=[many, notes], description=LONG_DESCRIPTION)
    schema = SchemaFactory(groups=[group])
    videos = [VideoFactory(video_uid=f"crowd{i}.mp4") for i in range(3)]
    review = ProjectFactory(name="Crowd review", schema=schema, videos=videos)
    training = ProjectFactory(name="Crowd training", schema=schema, videos=videos[:2])
    reviewer = UserFactory(user_id="Rita Reviewer", email="rita@example.com")
    annotator = UserFactory(user_id="Ann Notator", email="ann@example.com")
    admin = AdminFactory(user_id="Ada Admin", email="ada@example.com")
    Assignment.objects.create(user=reviewer, project=review, role=Assignment.Role.REVIEWER)
    Assignment.objects.create(user=admin, project=review, role=Assignment.Role.ADMIN)
    for project in (review, training):
        Assignment.objects.create(user=annotator, project=project, role=Assignment.Role.ANNOTATOR)
    for video in videos:  # the annotator finished the review project, so the reviewer sees votes by default
        AnswerFactory(project=review, video=video, question=many, user=annotator, value="opt7")
        AnswerFactory(project=review, video=video, question=notes, user=annotator, value="Seven people.")
    GroundTruthFactory(project=review, video=videos[0], question=many, reviewer=reviewer, value="opt7")
    GroundTruthFactory(project=review, video=videos[0], question=notes, reviewer=reviewer, value="Seven.")
    for video in videos[:2]:  # full GT makes it a training project; the annotator answered: the summary shows
        GroundTruthFactory(project=training, video=video, question=many, reviewer=reviewer, value="opt3")
        GroundTruthFactory(project=training, video=video, question=notes, reviewer=reviewer, value="Three.")
        AnswerFactory(project=training, video=video, question=many, user=annotator, value="opt4")
        AnswerFactory(project=training, video=video, question=notes, user=annotator, value="Four.")
    return {"review": review, "training": training, "video": videos[0]}


def assert_every_primary_action_visible(page: Page, label: str) -> int:
    """Scroll each card's top to the window's top; its open panel's button must be fully in sight."""
    cards = page.locator(".video-card")
    assert cards.count() > 0, f"{label}: no cards"
    for i in range(cards.count()):
        card = cards.nth(i)
        card.evaluate("(card) => card.scrollIntoView({block: 'start'})")
        button = card.locator(".group-panel:not([hidden]) .panel-actions button").first
        problems = button.evaluate(CLIPPING_PROBLEMS)
        assert problems == [], f"{label}, card {i + 1}: {button.inner_text()!r}: {problems}"
    return cards.count()


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_submit_and_override_stay_in_sight_on_gt_cards(page: Page, live_server, crowded, width, height):
    page.route("**/videos.example.com/**", lambda route: route.abort())
    page.set_viewport_size({"width": width, "height": height})
    project, uid = crowded["review"].pk, crowded["video"].video_uid

    login(page, live_server, "rita@example.com", "secret123")
    page.goto(f"{live_server.url}/review/{project}/")
    assert assert_every_primary_action_visible(page, "reviewer") == 3
    assert page.locator(".video-card").first.get_by_role("button", name="Re-submit ground truth").is_visible()
    shot(page, f"primary-review-{width}")
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, "ada@example.com", "secret123")
    page.goto(f"{live_server.url}/meta-review/{project}/")
    assert assert_every_primary_action_visible(page, "meta-reviewer") == 3
    assert page.locator(".video-card").first.get_by_role("button", name="Override ground truth").is_visible()
    shot(page, f"primary-meta-{width}")
    page.goto(f"{live_server.url}/search/video/?video_uid={uid}")
    assert assert_every_primary_action_visible(page, "search") == 2  # the video is in both projects
    shot(page, f"primary-search-{width}")


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_training_summary_stays_in_sight(page: Page, live_server, crowded, width, height):
    page.route("**/videos.example.com/**", lambda route: route.abort())
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, "ann@example.com", "secret123")
    page.goto(f"{live_server.url}/annotate/{crowded['training'].pk}/")
    assert assert_every_primary_action_visible(page, "training summary") == 2
    assert page.locator(".video-card").first.locator(".summary").inner_text().startswith("Already submitted")
    shot(page, f"primary-training-{width}")
