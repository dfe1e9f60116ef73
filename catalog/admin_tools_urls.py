"""URLs of the admin portal's extra pages (PORTAL-ADM-1), mounted at /admin/tools/ before the admin site."""

from django.urls import path

from catalog import admin_pages, admin_project_create

app_name = "admin_tools"

urlpatterns = [
    path("metrics/", admin_pages.metrics, name="metrics"),
    path("assignments/", admin_pages.assignments, name="assignments"),
    path("assignments/bulk/", admin_pages.bulk_assignment, name="bulk_assignment"),
    path("verification-functions/", admin_pages.verification_functions, name="verification_functions"),
    path("projects/new/", admin_project_create.new_project, name="new_project"),
]
