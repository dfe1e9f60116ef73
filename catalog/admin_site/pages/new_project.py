"""Create a project with videos picked by search (PORTAL-ADM-4): the selection builds up across searches,
keeps the order the videos were picked in (their project order) and can be cleared.

The name, schema and description go through the project admin's own form (ProjectForm: key rules, active
schemas only); the project, its video links and the global admins' rows (DM-ROLE-5) are written in one
transaction. Custom displays are set through sync.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.forms import modelform_factory
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from annotation.completion import recompute_completion
from catalog.admin_forms import ProjectForm
from catalog.admin_site.pages.context import page_context
from catalog.admin_site.pages.picker import FOUND_LIMIT, Picker, ids
from catalog.models import Project, ProjectVideo, Video
from catalog.roles import ensure_global_admin_rows

NewProjectForm = modelform_factory(Project, form=ProjectForm, fields=("name", "schema", "description"))


def _video_matches(q: str):
    videos = Video.objects.active().order_by("video_uid")
    return videos.filter(video_uid__icontains=q) if q else videos


@transaction.atomic
def create_project(form, videos: list[Video]) -> Project:
    """The project, its videos in the given order (positions 0..n-1), and every global admin's rows."""
    project = form.save()
    ProjectVideo.objects.bulk_create(
        ProjectVideo(project=project, video=video, position=i) for i, video in enumerate(videos)
    )
    ensure_global_admin_rows(projects=[project])
    recompute_completion(project_ids=[project.pk], now=timezone.now())
    return project


@require_http_methods(["GET", "POST"])
def new_project(request):
    data = request.POST if request.method == "POST" else request.GET
    op = data.get("op", "search")
    q = data.get("video_q", "").strip()
    video_ids = ids(data.getlist("video"))
    matches = _video_matches(q)
    if op == "select_all_videos":
        video_ids = list(dict.fromkeys([*video_ids, *matches.values_list("pk", flat=True)]))
    elif op == "clear_videos":
        video_ids = []
    by_id = Video.objects.active().in_bulk(video_ids)
    selected = [by_id[pk] for pk in video_ids if pk in by_id]  # the order picked is the project order
    creating = request.method == "POST" and op == "create"
    if creating:
        form = NewProjectForm(data)
    else:  # searching keeps what was typed, unvalidated
        form = NewProjectForm(initial={k: data[k] for k in ("name", "description", "schema") if data.get(k)})
    if creating and form.is_valid():
        project = create_project(form, selected)
        messages.success(request, f'Created project "{project.name}" with {len(selected)} video(s).')
        return redirect(reverse("admin:catalog_project_change", args=[project.pk]))
    context = page_context(
        request,
        "Create a project",
        form=form,
        videos=Picker(q, list(matches[:FOUND_LIMIT]), matches.count(), selected),
        found_limit=FOUND_LIMIT,
        changelist_url=reverse("admin:catalog_project_changelist"),
    )
    return TemplateResponse(request, "admin/tools/new_project.html", context)
