"""Who may use which portal and project (PORTAL-NAV, SEC-4/5, DM-ROLE-8).

Every portal view starts with one of these lookups, so the check and the read share one code path.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from catalog.models import Assignment, Project, ProjectVideo, User

Role = Assignment.Role


@dataclass(frozen=True)
class Portal:
    key: str
    label: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ANNOTATOR = Portal("annotate", "Annotator", "annotate:dashboard")
REVIEWER = Portal("review", "Reviewer", "review:dashboard")
META = Portal("meta-review", "Meta-Reviewer", "meta:dashboard")
SEARCH = Portal("search", "Search", "search:editor")
ADMIN = Portal("admin", "Admin", "admin:index")

# In the order PORTAL-NAV-1 lists them.
_ALL = (ANNOTATOR, REVIEWER, META, SEARCH, ADMIN)


def active_roles(user: User) -> set[str]:
    """The roles the user holds in at least one active project (one query)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(
        Assignment.objects.for_user(user)
        .held()
        .order_by()  # the model's default ordering would defeat DISTINCT
        .values_list("role", flat=True)
        .distinct()
    )


def request_roles(request) -> set[str]:
    """active_roles of the request's user, read once per request (the navigation and the portal checks share
    it); global admins need none."""
    if not hasattr(request, "_lp_active_roles"):
        user = request.user
        request._lp_active_roles = set() if user.is_global_admin else active_roles(user)
    return request._lp_active_roles


def portals_for(user: User, roles: set[str] | None = None) -> list[Portal]:
    """PORTAL-NAV-1: global admins get every portal; others get Annotator and Reviewer by their rows."""
    if not user.is_authenticated or not user.is_active or user.is_model:
        return []
    if user.is_global_admin:
        return list(_ALL)
    roles = active_roles(user) if roles is None else roles
    return [p for p, role in ((ANNOTATOR, Role.ANNOTATOR), (REVIEWER, Role.REVIEWER)) if role in roles]


def default_portal(user: User) -> Portal | None:
    """PORTAL-NAV-2: Admin for global admins, else the first portal the user has."""
    portals = portals_for(user)
    if user.is_authenticated and user.is_global_admin:
        return ADMIN
    return portals[0] if portals else None


def role_summary(user: User, roles: set[str]) -> str:
    """PORTAL-NAV-3: "Global admin", or e.g. "Annotator · Reviewer"."""
    if user.is_global_admin:
        return "Global admin"
    names = [label for role, label in ((Role.ANNOTATOR, "Annotator"), (Role.REVIEWER, "Reviewer")) if role in roles]
    return " · ".join(names) or "No role"


def get_project_or_404(user: User, project_id: int, role: str) -> tuple[Project, Assignment]:
    """The active project and the user's active row for `role` in it, or 404 (SEC-4).

    An archived project, an archived user or a missing row all look like an unknown project.
    """
    if not user.is_active:
        raise Http404("No such project")
    assignment = (
        Assignment.objects.for_user(user)
        .held()
        .select_related("project__schema")
        .filter(project_id=project_id, role=role)
        .first()
    )
    if assignment is None:
        raise Http404("No such project")
    return assignment.project, assignment


def get_project_video_or_404(project: Project, video_id: int) -> ProjectVideo:
    """An active video of the project (DM-ROLE-8); archived and foreign videos are 404."""
    link = (
        ProjectVideo.objects.of_active_videos()
        .select_related("video")
        .filter(project=project, video_id=video_id)
        .first()
    )
    if link is None:
        raise Http404("No such video in this project")
    return link


def can_answer(user: User, project: Project) -> bool:
    """DM-ROLE-8 can_answer: an active annotator, reviewer, admin or model row in an active project."""
    return (
        user.is_active
        and project.is_active
        and Assignment.objects.active()
        .filter(user=user, project=project, role__in=[Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN, Role.MODEL])
        .exists()
    )


def may_open(user: User, path: str) -> bool:
    """AUTH-4: whether a post-login `next` path is a page this user may see (else: the default portal)."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    if match.namespace in ("admin", "search"):
        return user.is_global_admin
    portal, role = {
        "annotate": (ANNOTATOR, Role.ANNOTATOR),
        "review": (REVIEWER, Role.REVIEWER),
        "meta": (META, Role.ADMIN),
    }.get(match.namespace, (None, None))
    if portal is None:
        return True
    if portal not in portals_for(user):
        return False
    project_id = match.kwargs.get("project_id")
    if project_id is not None:
        try:
            get_project_or_404(user, project_id, role)
        except Http404:
            return False
    return True


def can_review(user: User, project: Project) -> bool:
    """DM-ROLE-8 can_review (set GT, review a description answer): an active reviewer or admin row."""
    return (
        user.is_active
        and project.is_active
        and Assignment.objects.active()
        .filter(user=user, project=project, role__in=[Role.REVIEWER, Role.ADMIN])
        .exists()
    )
