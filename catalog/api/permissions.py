"""What each user may read through the API (API-3, SEC-4/5): scopes as querysets of project ids.

Global admins read everything. Everyone else sees the active projects where they hold an active row
(any role, model included), and in those projects the definition plus their own answers and
assignments; a reviewer or admin row adds every answer, the GT, reviews, history and the reports.
A project outside the user's scope is a 404, as in the portals; a reviewer-only read of a project the
user can see is a 403.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from rest_framework.exceptions import PermissionDenied

from catalog.models import Assignment, Project, User

Role = Assignment.Role
REVIEWING = (Role.REVIEWER, Role.ADMIN)


def _rows(user: User, roles=None) -> QuerySet:
    rows = Assignment.objects.for_user(user).held()
    return rows.filter(role__in=roles) if roles else rows


def visible_project_ids(user: User) -> QuerySet | None:
    """Ids of the projects the user may read (a subquery); None means every project (global admins)."""
    if user.is_global_admin:
        return None
    return _rows(user).values("project_id")


def reviewing_project_ids(user: User) -> QuerySet | None:
    """Ids of the projects where the user may read everyone's answers, the GT and reviews; None: all."""
    if user.is_global_admin:
        return None
    return _rows(user, REVIEWING).values("project_id")


def in_scope(qs: QuerySet, ids: QuerySet | None, field: str = "project") -> QuerySet:
    """Rows of `qs` whose `field` project is among `ids` (None: no restriction)."""
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def visible_projects(user: User) -> QuerySet:
    return in_scope(Project.objects.all(), visible_project_ids(user), field="pk")


def get_visible_project(user: User, pk) -> Project:
    """The project, if the user may read it; otherwise 404 so its existence is not revealed."""
    project = visible_projects(user).select_related("schema").filter(pk=pk).first()
    if project is None:
        raise Http404("No such project.")
    return project


def require_reviewing(user: User, project: Project) -> None:
    """403 unless the user may read the whole project (reviewer or admin row, or a global admin)."""
    if user.is_global_admin or _rows(user, REVIEWING).filter(project=project).exists():
        return
    raise PermissionDenied("This needs a reviewer or admin role in the project.")
