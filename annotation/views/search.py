"""Search portal (PORTAL-SRCH, global admins): the video answer editor, criteria search by schema or by
project, and completion-status search, each with editable GT cards (PORTAL-SRCH-4 semantics)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotation import search
from annotation.ground_truth import REVIEW_STATES, set_or_override_ground_truth
from annotation.progress import history_entries, schema_layout
from annotation.views.group_submit import group_in, no_such_group, submit_group_form
from annotation.views.htmx import is_htmx
from annotation.views.params import digits
from annotation.views.search_page import (
    SEP,
    criteria_results,
    criteria_scope,
    criterion_picker,
    editor_cards,
    parse_criteria,
    results_page,
    wanted_text,
)
from catalog.models import Project, ProjectVideo, Question, Video

PORTAL = "search"
ALL_VIDEOS = "all"  # completion search: every (project, active video) row whatever its status


def _admin_only(request) -> None:
    if not request.user.is_global_admin:
        raise PermissionDenied("The search portal is for global admins.")


def _base(request, area: str, **extra) -> dict:
    autoplay = request.GET.get("autoplay") == "1"
    return {
        "portal": PORTAL,
        "ns": "search",
        "area": area,
        "autoplay": autoplay,
        "settings": {"autoplay": autoplay, "loop": True, "per_row": 1},
        "review_states": REVIEW_STATES,
        **extra,
    }


# --------------------------------------------------------------------------- video answer editor


@login_required
@require_GET
def video_editor(request):
    """PORTAL-SRCH-2..4: choose a video, choose the project scope, edit its GT in every project."""
    _admin_only(request)
    term = request.GET.get("q", "").strip()
    include_archived = request.GET.get("archived") == "1"
    context = _base(request, "video", term=term, include_archived=include_archived)
    if term:
        context["match_count"], context["matches"] = search.find_videos(term, include_archived=include_archived)
    uid = request.GET.get("video_uid")
    if uid is None:
        return render(request, "annotation/search/video.html", context)
    video = get_object_or_404(Video, video_uid=uid)
    scope = search.scope_for(video)
    chosen_groups = set(digits(request.GET.getlist("pg"))) if "pg" in request.GET else None
    include_unassigned = request.GET.get("unassigned", "1") == "1"
    include_archived_projects = request.GET.get("archived_projects") == "1"
    sections = scope.included(chosen_groups, unassigned=include_unassigned, archived=include_archived_projects)
    cards, by_heading = editor_cards(request.user, video, sections)
    context.update(
        video=video,
        scope=scope,
        chosen_groups=chosen_groups,
        include_unassigned=include_unassigned,
        include_archived_projects=include_archived_projects,
        sections=by_heading,
        n_projects=len(cards),
        n_groups=sum(len(c.panels) for c in cards),
        n_project_groups=len([h for h, _ in sections if h not in ("Unassigned", "Archived projects")]),
    )
    return render(request, "annotation/search/video.html", context)


# --------------------------------------------------------------------------- criteria search


def _with_added_criterion(request):
    """The add-criterion form submits add_scope/add_q and the question type's "criterion" inputs (add_a, and
    add_mode for a multiple choice); fold them into `c` (one or more criteria, as the type reads its inputs)
    and redirect (PRG)."""
    params = request.GET.copy()
    scope, question_id = params.pop("add_scope", [""])[0], params.pop("add_q", [""])[0]
    asked = QueryDict(mutable=True)
    for key in ("add_a", "add_mode"):
        asked.setlist(key, params.pop(key, []))
    question = Question.objects.filter(pk=question_id).first() if question_id.isdigit() else None
    if scope.isdigit() and question is not None:
        for answer in question.kind.criterion_values(question, asked):
            params.appendlist("c", f"{scope}{SEP}{question.pk}{SEP}{answer}")
    params.pop("page", None)
    return redirect(f"{request.path}?{params.urlencode()}")


@login_required
@require_GET
def criteria(request, kind: str):
    """PORTAL-SRCH-5/6/7/9: criteria by schema (ANY, fixed) or by project (ALL or ANY)."""
    _admin_only(request)
    if "add_q" in request.GET:
        return _with_added_criterion(request)
    include_archived = request.GET.get("archived") == "1"
    scope = criteria_scope(request, kind, include_archived=include_archived)
    questions = {q.pk: q for ls in scope.layouts.values() for g in ls for q in g.questions}
    raw = [(s, q, a) for s, q, a in parse_criteria(request) if s in scope.layouts and q in questions]
    expanded = scope.expand(raw, include_archived=include_archived)
    builder_only = request.headers.get("HX-Target") == "criteria-builder"
    results, paging = [], {}
    if not builder_only:  # the htmx builder swaps only itself: no matching, no cards
        results, paging = criteria_results(request, expanded, scope.match_all, scope.projects, questions)
    projects = scope.projects
    context = _base(
        request,
        kind,
        kind=kind,
        pickable=scope.pickable.order_by("name"),
        chosen=scope.chosen,
        chosen_ids={c.pk for c in scope.chosen},
        include_archived=include_archived,
        projects=projects,
        project_counts=(len(projects), sum(p.is_active for p in projects), sum(not p.is_active for p in projects)),
        criteria=[(s, questions[q], wanted_text(questions[q], a), SEP.join([str(s), str(q), a])) for s, q, a in raw],
        scope_names={c.pk: c.name for c in scope.chosen},
        match_all=scope.match_all,
        results=results,
        **criterion_picker(request, scope.layouts),
        n_criteria=len(expanded),
        **{k: v for k, v in paging.items() if k != "items"},
    )
    if builder_only:
        return render(request, "annotation/search/_criteria_builder.html", context)
    return render(request, "annotation/search/criteria.html", context)


# --------------------------------------------------------------------------- completion search


@login_required
@require_GET
def completion(request):
    """PORTAL-SRCH-8/9: one row per (project, active video) with the chosen GT status."""
    _admin_only(request)
    include_archived = request.GET.get("archived") == "1"
    pickable = Project.objects.all() if include_archived else Project.objects.active()
    chosen = list(
        Project.objects.filter(pk__in=digits(request.GET.getlist("project"))).select_related("schema").order_by("name")
    )
    status = request.GET.get("status", "missing")
    if status not in (*search.STATUSES, ALL_VIDEOS):
        status = "missing"
    rows = search.completion_rows(chosen) if chosen else []
    counts = {s: sum(r[3] == s for r in rows) for s in search.STATUSES} | {ALL_VIDEOS: len(rows)}
    selected = rows if status == ALL_VIDEOS else [r for r in rows if r[3] == status]
    paging = results_page(request, selected)
    videos = Video.objects.in_bulk([r[1] for r in paging["items"]])
    cards = search.gt_cards(request.user, [(p, videos[v], pos + 1) for p, v, pos, _ in paging["items"]])
    for card in cards:
        card.multi = True
    context = _base(
        request,
        "completion",
        pickable=pickable.order_by("name"),
        chosen_ids={p.pk for p in chosen},
        include_archived=include_archived,
        status=status,
        statuses=[(s, s) for s in search.STATUSES] + [(ALL_VIDEOS, "All videos")],
        counts=counts,
        results=cards,
        **{k: v for k, v in paging.items() if k != "items"},
    )
    return render(request, "annotation/search/completion.html", context)


# --------------------------------------------------------------------------- writes and history


def _project_for_search(request, project_id) -> Project:
    _admin_only(request)
    return get_object_or_404(Project.objects.select_related("schema"), pk=project_id)


def _link(project, video_id) -> ProjectVideo:
    link = ProjectVideo.objects.select_related("video").filter(project=project, video_id=video_id).first()
    if link is None:
        raise Http404("No such video in this project")
    return link


@login_required
@require_POST
def submit_group(request, project_id, video_id, group_id):
    """PORTAL-SRCH-4: create or re-submit as a reviewer, otherwise override; history source `search`."""
    project = _project_for_search(request, project_id)
    link = _link(project, video_id)
    group = group_in(schema_layout(project.schema_id), group_id)
    if group is None:
        return no_such_group()
    archived = "" if project.is_active else "This project is archived; its ground truth is read-only."
    done = submit_group_form(
        request,
        project=project,
        video=link.video,
        group=group,
        write=set_or_override_ground_truth,
        with_reviews=True,
        refused=archived,
    )
    if not is_htmx(request):
        if done.ok:
            return redirect(_editor_url(link.video))
        return HttpResponse(done.error, status=done.status, content_type="text/plain; charset=utf-8")
    card = search.gt_cards(request.user, [(project, link.video, link.position + 1)])[0]
    card.multi = True
    card.active_group_id = group_id
    panel = next(p for p in card.panels if p.group_id == group_id)
    if done.status not in (200, 409):
        panel.form = done.form
    panel.error = done.error
    panel.notice = "" if not done.ok else "No changes" if done.result.nothing_changed else "Ground truth saved."
    return render(
        request,
        "annotation/search_panel_response.jinja",
        {"portal": PORTAL, "ns": "search", "card": card, "panel": panel, "review_states": REVIEW_STATES},
        status=done.status,
    )


def _editor_url(video) -> str:
    return f"{reverse('search:editor')}?{urlencode({'video_uid': video.video_uid})}"


@login_required
@require_GET
def video_link(request, project_id, video_id):
    """Card header links go to the video answer editor for that video."""
    project = _project_for_search(request, project_id)
    return redirect(_editor_url(_link(project, video_id).video))


@login_required
@require_GET
def history(request, project_id, video_id):
    project = _project_for_search(request, project_id)
    link = _link(project, video_id)
    entries = history_entries(project, link.video)
    return render(
        request,
        "annotation/_history.html",
        {"portal": PORTAL, "ns": "search", "project": project, "video": link.video, "entries": entries},
    )
