"""The one admin site (PORTAL-ADM-1): Django's admin with the portal's look, login and added pages.

labelpizza.apps.AdminConfig names this class as `default_site`, so `admin.site` is an instance of it: model
admins of every app (and django-axes') register on it as usual, and pages the admin lacks are added to it
with `add_page`, from the app that owns them (annotation.admin adds Export). It serves each page under
/admin/<route> through `admin_view`, so anyone but a global admin gets the admin login (DB-11, SEC-8).

It lives outside catalog/admin/ on purpose: that package registers the model admins on `admin.site` when
it is imported, and Django imports this class while it builds `admin.site`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.urls import path, reverse

from catalog.admin_site.pages import assignments, bulk_assignment, metrics, new_project, verification_functions
from catalog.forms import EmailAuthenticationForm


@dataclass(frozen=True)
class AdminPage:
    """A page of the admin site beside the model pages."""

    route: str  # under /admin/
    view: Callable
    name: str  # reversed as "admin:<name>"
    # Listed in the index's "Portal tools" box when it has a title (a download has none).
    title: str = ""
    summary: str = ""
    # An entry of its own in the index and the sidebar, shaped like an app of the app list (Export has one).
    app_entry: Callable[[], dict] | None = None


# Catalog's pages keep the /admin/tools/ paths they had when they were a URLconf of their own (bookmarks).
CATALOG_PAGES = (
    AdminPage("tools/metrics/", metrics.metrics, "metrics", "Metrics", "Counts for every section"),
    AdminPage(
        "tools/assignments/",
        assignments.assignments,
        "assignments",
        "Assignments browser",
        "Roles by user, with filters",
    ),
    AdminPage(
        "tools/assignments/bulk/",
        bulk_assignment.bulk_assignment,
        "bulk_assignment",
        "Bulk assignment",
        "Users × projects, all or nothing",
    ),
    AdminPage(
        "tools/projects/new/",
        new_project.new_project,
        "new_project",
        "Create a project",
        "Name, schema and videos picked by search",
    ),
    AdminPage(
        "tools/verification-functions/",
        verification_functions.verification_functions,
        "verification_functions",
        "Verification functions",
        "Registry, warnings, users",
    ),
)


class AdminSite(admin.AdminSite):
    site_header = "Label Pizza administration"
    site_title = "Label Pizza admin"
    # "View site" goes to the annotator portal: "/" sends global admins back to the admin site (PORTAL-NAV-2).
    site_url = "/annotate/"
    login_form = EmailAuthenticationForm

    def __init__(self, name: str = "admin"):
        super().__init__(name)
        self.pages: list[AdminPage] = list(CATALOG_PAGES)

    def add_page(self, page: AdminPage) -> None:
        self.pages.append(page)

    def get_urls(self):
        pages = [path(page.route, self.admin_view(page.view), name=page.name) for page in self.pages]
        # Before the model pages: the admin's own URLs end with a catch-all.
        return [*pages, *super().get_urls()]

    def index(self, request, extra_context=None):
        tools = [
            {"title": page.title, "summary": page.summary, "url": reverse(f"{self.name}:{page.name}")}
            for page in self.pages
            if page.title
        ]
        return super().index(request, {"portal_tools": tools, **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label:
            return apps
        return [*apps, *(page.app_entry() for page in self.pages if page.app_entry)]
