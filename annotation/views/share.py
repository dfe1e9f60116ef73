"""The role-neutral video link the player copies (issue 11.9): /v/<video>/?project=<id>&portal=<key>."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from annotation.share_links import share_target
from catalog.models import Video


@login_required
@require_GET
def open_video(request, video_id):
    """Redirect to the video in a portal the user may use; 403 (with links to their portals) otherwise.

    An unknown video answers the same 403 as a video the user may not see, so the link reveals nothing."""
    video = Video.objects.filter(pk=video_id).first()
    project = request.GET.get("project", "")
    target = video and share_target(
        request.user,
        video,
        project_id=int(project) if project.isdigit() else None,
        portal=request.GET.get("portal"),
    )
    if not target:
        raise PermissionDenied("None of your projects shows this video.")
    return redirect(target)
