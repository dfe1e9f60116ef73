"""What every added page's template gets: the admin's own context (sidebar, header, user links) and a title."""

from django.contrib import admin
from django.urls import reverse


def page_context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
