"""Login and logout in a real browser (AUTH-1, AUTH-4)."""

import re

from playwright.sync_api import Page, expect

from catalog.tests.factories import UserFactory
from tests.support.browser import login, shot

# The form's wording today, or the spec's.
WRONG_LOGIN = re.compile(r"Email or password is wrong|Invalid email or password", re.IGNORECASE)


def test_anonymous_visitor_is_sent_to_login(page: Page, live_server):
    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#id_password")).to_be_visible()
    shot(page, "login-anonymous-redirect")


def test_wrong_password_shows_an_error(page: Page, live_server):
    user = UserFactory(password="right-password")

    login(page, live_server, user.email, "wrong-password")

    alert = page.locator(".error[role=alert]")
    expect(alert).to_be_visible()
    expect(alert).to_have_text(WRONG_LOGIN)
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("#id_username")).to_have_value(user.email)  # the email is kept, the password is not
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    shot(page, "login-wrong-password")


def test_empty_fields_show_an_error(page: Page, live_server):
    login(page, live_server, "", "")

    expect(page.locator(".error").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    shot(page, "login-empty-fields")


def test_human_logs_in_sees_their_name_and_logs_out(page: Page, live_server):
    user = UserFactory(user_id="Hana Human", password="secret123")

    login(page, live_server, user.email, "secret123")

    expect(page).not_to_have_url(re.compile(r"/login/"))  # "/" or the portal it redirects to
    expect(page.locator("header")).to_contain_text(user.display_name)  # "Hana Human (HH)"
    logout = page.locator("header").get_by_role("button", name="Log out")  # the top bar's, on every page
    expect(logout).to_be_visible()
    shot(page, "login-human-home")

    with page.expect_navigation():
        logout.click()  # a POST form: Django 5 refuses logout by GET

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    shot(page, "login-after-logout")

    page.goto(f"{live_server.url}/")  # the session really ended
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
