"""Real-browser tests of the admin portal's added pages on the demo workspace (PORTAL-ADM-1, 3, 6, 9)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Assignment
from syncing.helpers import sync_from_folder
from tests.support.browser import shot

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"
ADMIN = ("admin1@example.com", "admin111")


@pytest.fixture
def demo(transactional_db):
    sync_from_folder(DEMO, quiet=True)


def admin_login(page: Page, live_server) -> None:
    """The admin site's own login form: the email goes in the username field."""
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", ADMIN[0])
    page.fill("#id_password", ADMIN[1])
    with page.expect_navigation():
        page.click("input[type=submit]")
    expect(page.locator("#portal-tools")).to_be_visible()


def roles(user_id: str) -> dict[str, set[tuple[str, float]]]:
    out: dict[str, set[tuple[str, float]]] = {}
    for project, role, weight in Assignment.objects.filter(user__user_id=user_id, is_active=True).values_list(
        "project__name", "role", "user_weight"
    ):
        out.setdefault(project, set()).add((role, weight))
    return out


def test_bulk_assignment_refuses_a_bad_pair_then_assigns_and_shows_in_the_browser(page: Page, live_server, demo):
    admin_login(page, live_server)
    shot(page, "admin-index-portal-tools")
    page.locator("#portal-tools").get_by_role("link", name="Bulk assignment").click()
    expect(page.locator("h1")).to_have_text("Bulk assignment")

    # 1. Projects: search, then select every match.
    projects = page.locator("#project-picker")
    projects.get_by_label("Search projects").fill("Test")
    projects.get_by_role("button", name="Search").click()
    expect(projects).to_contain_text("Found 3")
    projects.get_by_role("button", name="Select all found (3)").click()
    expect(projects.locator("h2")).to_contain_text("3 selected")

    # 2. Users: pick User 2 from a search, then the model user from another; the selection builds up.
    users = page.locator("#user-picker")
    users.get_by_label("Search users").fill("user2@")
    users.get_by_role("button", name="Search").click()
    users.get_by_label("User 2").check()
    users.get_by_label("Search users").fill("")
    users.get_by_label("Type").select_option("model")
    users.get_by_role("button", name="Search").click()
    users.get_by_label("Robot 1").check()
    users.get_by_role("button", name="Search").click()
    expect(users.locator("h2")).to_contain_text("2 selected")
    expect(projects.locator("h2")).to_contain_text("3 selected")  # kept across the user searches

    # 3. Reviewer with weight 1.5: the model user cannot be reviewer, so nothing is saved (DM-ROLE-3).
    page.get_by_label("Role").select_option("reviewer")
    page.get_by_label("Weight").fill("1.5")
    page.get_by_role("button", name="Assign", exact=True).click()
    problems = page.locator("#bulk-problems")
    expect(problems).to_contain_text("3 pairs cannot be changed — nothing was saved")
    expect(problems.locator("tbody tr")).to_have_count(3)
    expect(problems).to_contain_text('User "Robot 1" is a model user and cannot be reviewer')
    shot(page, "admin-bulk-assign-refused")
    annotator = {("annotator", 1.0)}
    assert roles("User 2") == {"Human Test 1": annotator, "Pizza Test 0": annotator, "Pizza Toppings 0": annotator}

    # Deselect the model user and assign again: every pair of User 2 becomes reviewer, weight 1.5.
    users.locator(".lp-selected").get_by_label("Robot 1").uncheck()
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Assigned reviewer for 3 user × project pairs with weight 1.5: 3 changed, 0 already so."
    )
    expect(page.locator("#bulk-problems")).to_have_count(0)
    shot(page, "admin-bulk-assigned")
    expected = {("annotator", 1.5), ("reviewer", 1.5)}
    assert roles("User 2") == {
        "Human Test 0": expected,
        "Human Test 1": expected,
        "Pizza Test 0": expected,
        "Pizza Toppings 0": annotator,  # not among the projects found by "Test"
    }

    # The assignments browser shows the new rows on User 2's card.
    page.get_by_role("link", name="Assignments browser").first.click()
    page.get_by_label("Search").fill("user2@")
    page.get_by_label("Role").select_option("reviewer")
    page.get_by_role("button", name="Apply").click()
    card = page.locator("section.lp-card")
    expect(card).to_have_count(1)
    expect(card.locator("h2")).to_contain_text("User 2")
    expect(card.locator("tbody tr")).to_have_count(3)
    expect(card).to_contain_text("Human Test 0")
    expect(card).to_contain_text("1.5")
    shot(page, "admin-assignments-browser")


def test_admin_form_aids_json_check_and_verification_docs(page: Page, live_server, demo):
    admin_login(page, live_server)

    # PORTAL-ADM-3: the metadata editor reports valid or invalid JSON as the user types.
    page.goto(f"{live_server.url}/admin/catalog/video/add/")
    metadata = page.locator("#id_metadata")
    status = page.locator("#id_metadata_status")
    metadata.fill('{"fps": 30, "source": ')
    expect(status).to_contain_text("Invalid JSON")
    metadata.fill('{"fps": 30, "tags": ["a", null]}')
    expect(status).to_have_text("Valid JSON, but values may not be null: tags[1].")
    metadata.fill('{"fps": 30, "source": "phone"}')
    expect(status).to_have_text("Valid JSON object (2 keys).")
    shot(page, "admin-video-json-valid")

    # PORTAL-ADM-6: choosing a verification function shows its signature and docstring.
    page.goto(f"{live_server.url}/admin/catalog/questiongroup/add/")
    page.get_by_label("Verification function").select_option("check_pizza_description")
    doc = page.locator("#id_verification_function_doc")
    expect(doc).to_contain_text("check_pizza_description(answers)")
    expect(doc).to_contain_text("A description of the pizzas is required exactly when there are pizzas.")
    expect(doc).to_contain_text("fixtures/example/verify.py")
    shot(page, "admin-group-verification-doc")

    # PORTAL-ADM-12: the registry page, with the demo workspace overriding the built-ins.
    page.goto(f"{live_server.url}/admin/tools/verification-functions/")
    human = page.locator("#fn-check_human_description")
    expect(human).to_contain_text("fixtures/example/verify.py · overrides the built-in function of the same name")
    expect(human).to_contain_text("Used by: Human")
    human.get_by_text("Source").click()
    expect(human.locator("pre.lp-code")).to_contain_text("def check_human_description(answers):")
    shot(page, "admin-verification-functions")

    # PORTAL-ADM-2/4: the projects list starts with its metrics row; the metrics page has every section.
    page.goto(f"{live_server.url}/admin/catalog/project/")
    metrics = page.locator(".lp-metrics")
    expect(metrics).to_contain_text("Training mode")
    expect(metrics.locator(".lp-metric")).to_have_count(5)
    shot(page, "admin-projects-metrics")
    page.goto(f"{live_server.url}/admin/tools/metrics/")
    expect(page.locator("section.lp-section")).to_have_count(8)
    shot(page, "admin-metrics-page")

    # PORTAL-ADM-3: a video's page says, per project, whether its GT is complete, partial or missing.
    page.goto(f"{live_server.url}/admin/catalog/video/")
    page.locator("#result_list tbody tr").first.locator("th a").click()
    expect(page.locator(".field-ground_truth").first).to_contain_text("questions)")
    shot(page, "admin-video-gt-status")


def test_rename_a_video_from_its_list_with_a_confirmation_page(page: Page, live_server, demo, settings, tmp_path):
    """PORTAL-ADM-2 / OVR-REN-1: select one video, Rename…, type the new uid, confirm; answers stay attached."""
    from annotation.models import Answer
    from catalog.models import Video

    settings.BACKUP_DIR = tmp_path
    video = Video.objects.filter(answers__isnull=False).distinct().order_by("video_uid").first()
    answers = Answer.objects.filter(video=video).count()
    admin_login(page, live_server)
    page.goto(f"{live_server.url}/admin/catalog/video/?q={video.video_uid}")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("rename_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("#content h1")).to_have_text(f"Rename video “{video.video_uid}”")
    page.get_by_label("New video_uid").fill("renamed-clip.mp4")
    shot(page, "admin-rename-confirm")
    page.get_by_role("button", name="Yes, rename").click()
    expect(page.locator(".messagelist")).to_contain_text(f'Renamed video "{video.video_uid}" to "renamed-clip.mp4".')
    shot(page, "admin-rename-done")
    assert Video.objects.get(pk=video.pk).video_uid == "renamed-clip.mp4"
    assert Answer.objects.filter(video__video_uid="renamed-clip.mp4").count() == answers > 0


def test_create_a_project_with_videos_picked_across_two_searches(page: Page, live_server, demo):
    """PORTAL-ADM-4: name, schema, then videos found by uid; the selection builds up and keeps its order."""
    from catalog.models import Project

    admin_login(page, live_server)
    page.locator("#portal-tools").get_by_role("link", name="Create a project").click()
    form = page.locator("#new-project-form")
    form.get_by_label("Name").fill("Pizza spotlight")
    form.get_by_label("Schema").select_option(label=Project.objects.order_by("pk").first().schema.name)
    picker = page.locator("#video-picker")
    picker.get_by_label("Search videos").fill("pizza")
    picker.get_by_role("button", name="Search").click()
    picker.get_by_role("button", name="Select all found (2)").click()
    expect(picker.locator("h2")).to_contain_text("2 selected")
    expect(form.get_by_label("Name")).to_have_value("Pizza spotlight")
    picker.get_by_label("Search videos").fill("human")
    picker.get_by_role("button", name="Search").click()
    picker.locator(".lp-found input[type=checkbox]").first.check()
    shot(page, "admin-new-project")
    page.get_by_role("button", name="Create project").click()
    expect(page.locator(".messagelist")).to_contain_text('Created project "Pizza spotlight" with 3 video(s).')
    shot(page, "admin-new-project-created")
    project = Project.objects.get(name="Pizza spotlight")
    uids = list(project.video_links.order_by("position").values_list("video__video_uid", flat=True))
    assert uids[:2] == ["pizza.mp4", "pizza2.mp4"] and uids[2].startswith("human")
