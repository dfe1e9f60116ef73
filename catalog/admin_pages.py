"""Pages the admin site lacks (PORTAL-ADM-1): metrics, the assignments browser, bulk assignment and the
verification functions. Global admins only: each view is wrapped in `admin.site.admin_view`, so anyone else
gets the admin login, exactly as for Django's own admin pages (DB-11, SEC-8).

Every page runs a fixed number of queries, whatever the number of users, projects or rows (PORTAL-GEN-4);
bulk writes go through catalog.bulk_roles, which applies catalog.roles to each pair.
"""

from __future__ import annotations

import importlib
import inspect
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from catalog import admin_metrics
from catalog.admin_forms import function_signature, shown_path
from catalog.bulk_roles import ASSIGN, BULK_ROLES, MAX_PAIRS, REMOVE, bulk_roles
from catalog.models import (
    Assignment,
    Project,
    ProjectGroup,
    Question,
    QuestionGroup,
    Schema,
    User,
    Video,
)
from catalog.roles import LEVELS, RoleError
from catalog.verification import BUILTIN_MODULE, config_path, get_registry, public_functions, workspace_paths


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


# --------------------------------------------------------------------------- metrics


SECTIONS = (
    ("Videos", Video),
    ("Projects", Project),
    ("Schemas", Schema),
    ("Question groups", QuestionGroup),
    ("Questions", Question),
    ("Users", User),
    ("Assignments", Assignment),
    ("Project groups", ProjectGroup),
)


@admin.site.admin_view
def metrics(request):
    """Every section's metrics row on one page (PORTAL-ADM-1/2)."""
    sections = [
        {"title": title, "url": _changelist(model), "metrics": admin_metrics.METRICS[model]()}
        for title, model in SECTIONS
    ]
    return TemplateResponse(request, "admin/tools/metrics.html", _context(request, "Metrics", sections=sections))


# --------------------------------------------------------------------------- assignments browser

PER_PAGE_CHOICES = (5, 10, 20)
ROLE_ORDER = {role: index for index, role in enumerate((*LEVELS, Assignment.Role.MODEL))}


class BrowserFilters(forms.Form):
    """The browser's view state, all in the query string (PORTAL-GEN-2)."""

    q = forms.CharField(required=False, label="Search", help_text="user id, email or project name")
    status = forms.ChoiceField(
        required=False, choices=(("all", "all"), ("active", "active"), ("archived", "archived")), initial="all"
    )
    user_type = forms.ChoiceField(required=False, label="User type", choices=(("", "all"), *User.UserType.choices))
    role = forms.ChoiceField(required=False, choices=(("", "all"), *Assignment.Role.choices))
    per_page = forms.TypedChoiceField(
        required=False,
        label="Users per page",
        choices=[(n, n) for n in PER_PAGE_CHOICES],
        coerce=int,
        empty_value=10,
        initial=10,
    )

    def rows(self):
        """The assignment rows that match, or all rows when the filters do not validate."""
        data = self.cleaned_data if self.is_valid() else {}
        rows = Assignment.objects.all()
        status = data.get("status") or "all"
        if status != "all":
            rows = rows.filter(is_active=status == "active")
        if data.get("user_type"):
            rows = rows.filter(user__user_type=data["user_type"])
        if data.get("role"):
            rows = rows.filter(role=data["role"])
        q = (data.get("q") or "").strip()
        if q:
            rows = rows.filter(
                Q(user__user_id__icontains=q) | Q(user__email__icontains=q) | Q(project__name__icontains=q)
            )
        return rows

    @property
    def page_size(self) -> int:
        return (self.cleaned_data.get("per_page") if self.is_valid() else None) or 10


@dataclass
class ProjectRows:
    project: Project
    rows: list[Assignment] = field(default_factory=list)


@dataclass
class UserCard:
    user: User
    projects: list[ProjectRows] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(p.rows) for p in self.projects)

    @property
    def active_count(self) -> int:
        return sum(1 for p in self.projects for row in p.rows if row.is_active)


@admin.site.admin_view
def assignments(request):
    """PORTAL-ADM-9's browser: matching rows, paged by user, each user a card of projects and role rows.

    Queries: the metrics row (1), the number of matching users (1), the page of users (1) and their matching
    rows with projects (1), whatever the page size or the number of rows.
    """
    filters = BrowserFilters(request.GET or None)
    rows = filters.rows()
    users = User.objects.filter(Exists(rows.filter(user=OuterRef("pk")))).order_by("user_id")
    page = Paginator(users, filters.page_size).get_page(request.GET.get("page"))
    cards = {user.pk: UserCard(user) for user in page.object_list}
    by_pair: dict[tuple[int, int], ProjectRows] = {}
    for row in rows.filter(user__in=list(cards)).select_related("project").order_by("project__name", "project_id"):
        pair = (row.user_id, row.project_id)
        if pair not in by_pair:
            by_pair[pair] = ProjectRows(row.project)
            cards[row.user_id].projects.append(by_pair[pair])
        by_pair[pair].rows.append(row)
    for project_rows in by_pair.values():
        project_rows.rows.sort(key=lambda r: ROLE_ORDER[r.role])
    query = request.GET.copy()
    query.pop("page", None)
    context = _context(
        request,
        "Assignments",
        metrics=admin_metrics.assignment_metrics(),
        filters=filters,
        page=page,
        page_range=list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        ellipsis=Paginator.ELLIPSIS,
        cards=list(cards.values()),
        page_query=query.urlencode(),
        changelist_url=_changelist(Assignment),
    )
    return TemplateResponse(request, "admin/tools/assignments.html", context)


# --------------------------------------------------------------------------- bulk assignment

FOUND_LIMIT = 100  # rows shown per search; "select all found" takes every match


def _ids(values) -> list[int]:
    out = []
    for value in values:
        try:
            out.append(int(value))
        except (TypeError, ValueError):
            continue
    return list(dict.fromkeys(out))


class BulkForm(forms.Form):
    role = forms.ChoiceField(choices=[(r, r) for r in BULK_ROLES], initial=Assignment.Role.ANNOTATOR)
    weight = forms.FloatField(initial=1.0, min_value=0, help_text="Set on every row of each pair.")

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if not math.isfinite(weight):
            raise forms.ValidationError("The weight must be a finite number ≥ 0.")
        return weight


@dataclass
class Picker:
    """One side of the bulk form: a search, its matches and the selection built up across searches."""

    q: str
    found: list
    found_count: int
    selected: list

    @property
    def unselected_found(self) -> list:
        chosen = {obj.pk for obj in self.selected}
        return [obj for obj in self.found if obj.pk not in chosen]


def _project_matches(q: str):
    projects = Project.objects.active().order_by("name")
    return projects.filter(name__icontains=q) if q else projects


def _user_matches(q: str, user_type: str):
    users = User.objects.active().order_by("user_id")
    if user_type in User.UserType.values:
        users = users.filter(user_type=user_type)
    return users.filter(Q(user_id__icontains=q) | Q(email__icontains=q)) if q else users


OPS = {
    "search": "Search",
    "select_all_projects": "Select all found",
    "clear_projects": "Clear",
    "select_all_users": "Select all found",
    "clear_users": "Clear",
    "check": "Check",
    ASSIGN: "Assign",
    REMOVE: "Remove",
}


@admin.site.admin_view
@require_http_methods(["GET", "POST"])
def bulk_assignment(request):
    """PORTAL-ADM-9 bulk assignment. The selection travels in the form (POST), so it builds up across searches;
    `?project=<id>&user=<id>` preselects. Assign and Remove check every pair, then apply all or nothing."""
    data = request.POST if request.method == "POST" else request.GET
    op = data.get("op", "search") if request.method == "POST" else "search"
    project_q, user_q = data.get("project_q", "").strip(), data.get("user_q", "").strip()
    user_type = data.get("user_type", "")
    project_ids, user_ids = _ids(data.getlist("project")), _ids(data.getlist("user"))

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
    context = _context(
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
        browser_url=reverse("admin_tools:assignments"),
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


# --------------------------------------------------------------------------- verification functions


@dataclass
class FunctionInfo:
    name: str
    source: str
    builtin: bool
    overrides_builtin: bool
    signature: str
    doc: str
    code: str
    groups: list[QuestionGroup]


def function_infos(registry=None) -> tuple[list[FunctionInfo], dict[str, list[QuestionGroup]]]:
    """Registered functions with the groups using each, and the groups naming unregistered ones (one query)."""
    registry = registry or get_registry()
    users: dict[str, list[QuestionGroup]] = defaultdict(list)
    for group in QuestionGroup.objects.filter(verification_function__isnull=False).order_by("title"):
        users[group.verification_function].append(group)
    builtin_dir = Path(settings.BASE_DIR).resolve() / "labelpizza"
    # The registry's own rule for what a module registers (SYNC-VER-2), applied to the built-in module.
    builtin_names = set(public_functions(importlib.import_module(BUILTIN_MODULE)))
    infos = []
    for name in sorted(registry.functions):
        fn = registry.functions[name]
        try:
            code = inspect.getsource(fn)
        except (OSError, TypeError):
            code = ""
        source = registry.sources.get(name, "")
        builtin = Path(source).resolve().parent == builtin_dir if source else False
        infos.append(
            FunctionInfo(
                name=name,
                source=shown_path(source),
                builtin=builtin,
                overrides_builtin=not builtin and name in builtin_names,
                signature=function_signature(name, fn),
                doc=inspect.getdoc(fn) or "",
                code=code,
                groups=users.pop(name, []),
            )
        )
    return infos, dict(users)


@admin.site.admin_view
def verification_functions(request):
    """PORTAL-ADM-12: functions, source files, signatures, docstrings, load warnings (SYNC-VER-2), users."""
    registry = get_registry()
    infos, unregistered = function_infos(registry)
    workspaces = [
        {"path": shown_path(str(path)), "has_verify": (path / "verify.py").is_file()} for path in workspace_paths()
    ]
    context = _context(
        request,
        "Verification functions",
        functions=infos,
        unregistered=sorted(unregistered.items()),
        warnings=registry.warnings,
        config_path=shown_path(str(config_path())),
        workspaces=workspaces,
        group_changelist=_changelist(QuestionGroup),
    )
    return TemplateResponse(request, "admin/tools/verification_functions.html", context)
