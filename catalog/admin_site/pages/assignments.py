"""The assignments browser (PORTAL-ADM-9): matching role rows, paged by user, each user a card of projects."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.template.response import TemplateResponse

from catalog import admin_metrics
from catalog.admin_site.pages.context import changelist_url, page_context
from catalog.models import Assignment, Project, User
from catalog.roles import LEVELS

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
    context = page_context(
        request,
        "Assignments",
        metrics=admin_metrics.assignment_metrics(),
        filters=filters,
        page=page,
        page_range=list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        ellipsis=Paginator.ELLIPSIS,
        cards=list(cards.values()),
        page_query=query.urlencode(),
        changelist_url=changelist_url(Assignment),
    )
    return TemplateResponse(request, "admin/tools/assignments.html", context)
