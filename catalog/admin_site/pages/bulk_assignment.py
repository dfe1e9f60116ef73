"""Bulk assignment (PORTAL-ADM-9): users × projects, checked pair by pair, applied all or nothing.

The writes go through catalog.bulk_roles, which applies catalog.roles to each pair.
"""

from __future__ import annotations

import math

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from catalog.admin_site.pages.context import page_context
from catalog.admin_site.pages.picker import FOUND_LIMIT, Picker, ids
from catalog.bulk_roles import ASSIGN, BULK_ROLES, MAX_PAIRS, REMOVE, bulk_roles
from catalog.models import Assignment, Project, User
from catalog.roles import RoleError


class BulkForm(forms.Form):
    role = forms.ChoiceField(choices=[(r, r) for r in BULK_ROLES], initial=Assignment.Role.ANNOTATOR)
    weight = forms.FloatField(initial=1.0, min_value=0, help_text="Set on every row of each pair.")

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if not math.isfinite(weight):
            raise forms.ValidationError("The weight must be a finite number ≥ 0.")
        return weight


def _project_matches(q: str):
    projects = Project.objects.active().order_by("name")
    return projects.filter(name__icontains=q) if q else projects


def _user_matches(q: str, user_type: str):
    users = User.objects.active().order_by("user_id")
    if user_type in User.UserType.values:
        users = users.filter(user_type=user_type)
    return users.filter(Q(user_id__icontains=q) | Q(email__icontains=q)) if q else users


@require_http_methods(["GET", "POST"])
def bulk_assignment(request):
    """PORTAL-ADM-9 bulk assignment. The selection travels in the form (POST), so it builds up across searches;
    `?project=<id>&user=<id>` preselects. Assign and Remove check every pair, then apply all or nothing."""
    data = request.POST if request.method == "POST" else request.GET
    op = data.get("op", "search") if request.method == "POST" else "search"
    project_q, user_q = data.get("project_q", "").strip(), data.get("user_q", "").strip()
    user_type = data.get("user_type", "")
    project_ids, user_ids = ids(data.getlist("project")), ids(data.getlist("user"))

    project_matches, user_matches = _project_matches(project_q), _user_matches(user_q, user_type)
    if op == "select_all_projects":
        project_ids = list(dict.fromkeys([*project_ids, *project_matches.values_list("pk", flat=True)]))
    elif op == "clear_projects":
        project_ids = []
    elif op == "select_all_users":
        user_ids = list(dict.fromkeys([*user_ids, *user_matches.values_list("pk", flat=True)]))
    elif op == "clear_users":
        user_ids = []

    selected_projects = list(Project.objects.filter(pk__in=project_ids).order_by("name"))
    selected_users = list(User.objects.filter(pk__in=user_ids).order_by("user_id"))
    applying = request.method == "POST" and op in (ASSIGN, REMOVE, "check")
    # Searching keeps the role and weight as typed; only Check, Assign and Remove validate them.
    form = BulkForm(data) if applying else BulkForm(initial={k: data[k] for k in ("role", "weight") if data.get(k)})
    outcome = None
    if applying:
        if not selected_projects or not selected_users:
            messages.error(request, "Select at least one project and one user.")
        elif form.is_valid():
            operation = REMOVE if op == REMOVE else ASSIGN
            try:
                outcome = bulk_roles(
                    operation=operation,
                    users=selected_users,
                    projects=selected_projects,
                    role=form.cleaned_data["role"],
                    weight=form.cleaned_data["weight"],
                    dry_run=op == "check",
                )
            except RoleError as error:
                messages.error(request, f"{str(error)[0].upper()}{str(error)[1:]}. Nothing was saved.")
            else:
                _report(request, op, outcome)

    pickers = {
        "projects": Picker(project_q, list(project_matches[:FOUND_LIMIT]), project_matches.count(), selected_projects),
        "users": Picker(user_q, list(user_matches[:FOUND_LIMIT]), user_matches.count(), selected_users),
    }
    context = page_context(
        request,
        "Bulk assignment",
        form=form,
        projects=pickers["projects"],
        users=pickers["users"],
        user_type=user_type,
        user_types=User.UserType.choices,
        outcome=outcome,
        found_limit=FOUND_LIMIT,
        max_pairs=MAX_PAIRS,
        browser_url=reverse("admin:assignments"),
    )
    return TemplateResponse(request, "admin/tools/bulk_assignment.html", context)


def _report(request, op: str, outcome) -> None:
    what = f"{outcome.role} for {outcome.pairs} user × project pair{'s' if outcome.pairs != 1 else ''}"
    if outcome.problems:
        n = len(outcome.problems)
        messages.error(
            request, f"{n} pair{'s' if n != 1 else ''} cannot be changed, so nothing was saved. Fix or deselect them."
        )
    elif op == "check":
        verb = "Remove" if outcome.operation == REMOVE else "Assign"
        messages.info(request, f"Check passed: {verb} {what} can be applied. Nothing was saved yet.")
    elif outcome.applied:
        verb = "Removed" if outcome.operation == REMOVE else "Assigned"
        weight = f" with weight {outcome.weight:g}" if outcome.weight is not None else ""
        messages.success(
            request,
            f"{verb} {what}{weight}: {outcome.changed} changed, {outcome.unchanged} already so.",
        )
