"""Issue 15 point 5 in a real browser: the admin chooses a multiple-choice question's default options by
ticking boxes on its change page (where "None of these" and the options untick each other), and the add
page's text box suggests JSON lists once "Multiple" is chosen.
Requirement IDs by analogy: PORTAL-ADM-7, DM-Q-3."""

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Question
from catalog.tests.admin_posts import url
from catalog.tests.factories import AdminFactory, MultipleQuestionFactory
from tests.support.browser import shot

EMAIL, PASSWORD = "ada@example.com", "ada-pass-1"


@pytest.fixture
def admin(transactional_db):
    return AdminFactory(user_id="Ada Admin", email=EMAIL, password=PASSWORD)


def admin_login(page: Page, live_server, path: str) -> None:
    """The admin site's own login form (the email goes in the username field), then `path`."""
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")


def test_admin_ticks_two_default_options_and_the_stored_value_is_canonical(page: Page, live_server, admin):
    question = MultipleQuestionFactory(
        text="Which camera motions?", display_values=["Pan", "Tilt", "Zoom"], default_option="[]"
    )
    admin_login(page, live_server, url(Question, "change", question.pk))
    boxes = page.locator("#id_default_option")
    expect(boxes.get_by_label("None of these")).to_be_checked()
    boxes.get_by_label("Zoom").check()
    expect(boxes.get_by_label("None of these")).not_to_be_checked()  # an option unticks "None of these"
    boxes.get_by_label("Pan").check()
    boxes.get_by_label("None of these").check()
    expect(boxes.locator("input:checked")).to_have_count(1)  # and "None of these" unticks the options
    boxes.get_by_label("Zoom").check()
    boxes.get_by_label("Pan").check()
    shot(page, "admin-multiple-default-ticked")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    question.refresh_from_db()
    assert question.default_option == '["pan","zoom"]'  # option order, compact, whatever the ticking order
    expect(boxes.locator("input:checked")).to_have_count(2)
    shot(page, "admin-multiple-default-saved")
    # The server refuses the contradiction too (catalog/tests/test_multiple_choice_admin.py posts it directly).


def test_the_add_page_suggests_lists_for_a_multiple_question(page: Page, live_server, admin):
    admin_login(page, live_server, url(Question, "add"))
    page.fill("input[name='options-value-0']", "pan")
    page.locator("[data-lp-append]").click()
    page.fill("input[name='options-value-1']", "zoom")
    suggestions = page.locator("#id_default_option_choices option")
    expect(suggestions).to_have_count(2)  # single is chosen first: each option value
    help_text = page.locator("#id_default_option_helptext")
    page.select_option("#id_qtype", "multiple")
    expect(suggestions).to_have_count(3)
    assert [o.get_attribute("value") for o in suggestions.all()] == ["[]", '["pan"]', '["zoom"]']
    expect(help_text).to_have_text('A JSON list of options, e.g. ["pan", "zoom"]; [] means "None of these". '
                                   "Empty means no default.")  # fmt: skip
    page.fill("#id_text", "Which camera motions?")
    page.fill("#id_default_option", '["zoom", "pan"]')
    shot(page, "admin-multiple-add")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Question.objects.get().default_option == '["pan","zoom"]'
    expect(page.locator("#id_default_option").locator("input:checked")).to_have_count(2)  # now checkboxes
