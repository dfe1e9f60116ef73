"""The one admin site (PORTAL-ADM-1): Django's `admin.site` is Label Pizza's, and it serves the added pages."""

import pytest
from django.contrib import admin
from django.urls import resolve, reverse

from catalog.admin_site.site import AdminPage, AdminSite

pytestmark = pytest.mark.django_db

ADDED_PAGES = {
    "metrics": "/admin/tools/metrics/",
    "assignments": "/admin/tools/assignments/",
    "bulk_assignment": "/admin/tools/assignments/bulk/",
    "verification_functions": "/admin/tools/verification-functions/",
    "new_project": "/admin/tools/projects/new/",
    "export": "/admin/export/",
    "export_workspace": "/admin/export/workspace.zip",
}


def test_the_default_admin_site_is_label_pizzas():
    assert isinstance(admin.site, AdminSite)
    assert admin.site.site_header == "Label Pizza administration"


@pytest.mark.parametrize(("name", "url"), sorted(ADDED_PAGES.items()))
def test_added_pages_keep_their_paths_under_the_admin_namespace(name, url):
    assert reverse(f"admin:{name}") == url
    assert resolve(url).namespace == "admin"


@pytest.mark.parametrize("url", sorted(ADDED_PAGES.values()))
def test_outsider_gets_the_admin_login_on_every_added_page(client, url, outsider):
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_page_added_by_an_app_is_served_before_the_admin_catch_all():
    site = AdminSite(name="other")
    site.add_page(AdminPage("extra/", lambda request: None, "extra"))
    names = [getattr(pattern, "name", None) for pattern in site.get_urls()]
    assert names.index("extra") < names.index("index")


def test_the_index_lists_every_added_page_with_a_title(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    tools = html[html.index('id="portal-tools"') : html.index('id="portal-links"')]
    for page in admin.site.pages:
        if page.title:
            assert f'<a href="{reverse(f"admin:{page.name}")}">{page.title}</a>' in tools
    assert reverse("admin:export_workspace") not in tools
    assert reverse("team:page") in tools
