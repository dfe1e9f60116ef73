"""Where a shared video link (/v/<video>/?project=…&portal=…) takes the person who opens it (issue 11.9).

The player's copy-link button used to copy the search portal's link, which only global admins may open, so an
annotator who received a link from another annotator got 403. The link now names the video, and as hints the
project and portal it was copied from; the person who follows it lands on the first page they may see:

1. the sharer's portal in the sharer's project;
2. another portal in that project (annotator, then reviewer, then meta-reviewer, for global admins);
3. global admins: the search portal's editor for the video (every project that holds it);
4. anyone else: the first active project holding the video in which they annotate or review.

Nothing matches: None, and the view answers 403 with links to the user's own portals.
"""

from __future__ import annotations

from django.urls import reverse

from annotation.player import share_path
from catalog.models import Assignment, ProjectVideo, User, Video

Role = Assignment.Role

# Portal key -> (role the user needs in the project, URL name of the video's page there).
PORTALS = {
    "annotate": (Role.ANNOTATOR, "annotate:video"),
    "review": (Role.REVIEWER, "review:video"),
    "meta": (Role.ADMIN, "meta:video"),
}
ORDER = ("annotate", "review", "meta")


def share_target(user: User, video: Video, *, project_id: int | None, portal: str | None) -> str | None:
    """The URL to send `user` to for `video` (two queries), or None when no portal of theirs shows it."""
    if not user.is_active or not video.is_active:
        return None
    # The active projects holding the video, and the user's active roles in each.
    holding = set(
        ProjectVideo.objects.filter(video=video, project__is_active=True).values_list("project_id", flat=True)
    )
    roles: dict[int, set[str]] = {}
    for pid, role in (
        Assignment.objects.active()
        .for_user(user)
        .filter(project_id__in=holding, role__in=[r for r, _ in PORTALS.values()])
        .values_list("project_id", "role")
    ):
        roles.setdefault(pid, set()).add(role)

    def page(key: str, pid: int) -> str | None:
        role, url_name = PORTALS[key]
        if key == "meta" and not user.is_global_admin:
            return None
        return reverse(url_name, args=[pid, video.pk]) if role in roles.get(pid, ()) else None

    if project_id in holding:
        keys = ([portal] if portal in PORTALS else []) + [k for k in ORDER if k != portal]
        if portal == "search" and user.is_global_admin:
            return share_path(video.video_uid)
        for key in keys:
            if url := page(key, project_id):
                return url
    if user.is_global_admin:
        return share_path(video.video_uid)
    for pid in sorted(roles):
        for key in ORDER:
            if url := page(key, pid):
                return url
    return None
