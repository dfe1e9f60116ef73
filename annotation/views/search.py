"""Search portal (PORTAL-SRCH, global admins): the video answer editor, criteria search by schema or by
project, and completion-status search, each with editable GT cards (PORTAL-SRCH-4 semantics)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotation import search
from annotation.forms import posted_group_form, posted_reviews
from annotation.ground_truth import REVIEW_STATES, override_ground_truth, set_ground_truth
from annotation.models import GroundTruth, GroundTruthHistory
from annotation.progress import history_entries, schema_layout, schema_layouts
from annotation.refusals import SubmissionRefused
from annotation.views.paging import paginate
from catalog.models import Project, ProjectVideo, Schema, Video

PORTAL = "search"
ALL_VIDEOS = "all"  # completion search: every (project, active video) row whatever its status
SEP = "~"  # criteria travel in the URL as <scope id>~<question id>~<answer>


def _admin_only(request) -> None:
    if not request.user.is_global_admin:
        raise PermissionDenied("The search portal is for global admins.")


def _ids(request, key) -> list[int]:
    return [int(v) for v in request.GET.getlist(key) if v.isdigit()]


def _page(request, items: list, *, default=50) -> dict:
    """PORTAL-SRCH-9: 5–100 results per page (default 50)."""
    try:
        per_page = min(100, max(5, int(request.GET.get("per_page", default))))
    except ValueError:
        per_page = default
    paging = paginate(request, items, per_page)
    chunk = paging.pop("page_ids")
    return {**paging, "items": chunk, "per_page": per_page}


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
    chosen_groups = set(_ids(request, "pg")) if "pg" in request.GET else None
    include_unassigned = request.GET.get("unassigned", "1") == "1"
    include_archived_projects = request.GET.get("archived_projects") == "1"
    sections = scope.included(chosen_groups, unassigned=include_unassigned, archived=include_archived_projects)
    seen, pairs, placed = set(), [], []
    positions = dict(ProjectVideo.objects.filter(video=video).values_list("project_id", "position"))
    for heading, projects in sections:
        for p in projects:
            if p.pk not in seen:
                seen.add(p.pk)
                pairs.append((p, video, positions.get(p.pk, 0) + 1))
                placed.append(heading)
    cards = search.gt_cards(request.user, pairs)
    for card in cards:
        card.multi = True
    # PORTAL-SRCH-4: a project appears under each of its groups; its one editable card stays under the first,
    # and the later groups link to it (two forms for the same GT would share ids and race each other).
    card_of = {card.project.pk: (card, heading) for heading, card in zip(placed, cards, strict=True)}
    by_heading = [
        (heading, [(card_of[p.pk][0], None if card_of[p.pk][1] == heading else card_of[p.pk][1]) for p in projects])
        for heading, projects in sections
        if projects
    ]
    context.update(
        video=video,
        scope=scope,
        chosen_groups=chosen_groups,
        include_unassigned=include_unassigned,
        include_archived_projects=include_archived_projects,
        sections=by_heading,
        n_projects=len(pairs),
        n_groups=sum(len(c.panels) for c in cards),
        n_project_groups=len([h for h, _ in sections if h not in ("Unassigned", "Archived projects")]),
    )
    return render(request, "annotation/search/video.html", context)


# --------------------------------------------------------------------------- criteria search


def _parse_criteria(request) -> list[tuple[int, int, str]]:
    parsed = []
    for raw in request.GET.getlist("c"):
        scope_id, _, rest = raw.partition(SEP)
        question_id, _, answer = rest.partition(SEP)
        if scope_id.isdigit() and question_id.isdigit():
            parsed.append((int(scope_id), int(question_id), answer))
    return parsed


def _with_added_criterion(request):
    """The add-criterion form submits add_scope/add_q/add_a; fold it into `c` and redirect (PRG)."""
    params = request.GET.copy()
    scope, question, answer = (
        params.pop("add_scope", [""])[0],
        params.pop("add_q", [""])[0],
        params.pop("add_a", [None])[0],
    )
    if scope.isdigit() and question.isdigit() and answer is not None:
        params.appendlist("c", f"{scope}{SEP}{question}{SEP}{answer}")
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
    if kind == "schema":
        pickable = Schema.objects.all() if include_archived else Schema.objects.filter(is_active=True)
        chosen = list(Schema.objects.filter(pk__in=_ids(request, "scope")))
        projects = list(Project.objects.filter(schema__in=chosen).select_related("schema").order_by("name"))
        layouts = schema_layouts({s.pk for s in chosen})
        scope_layouts = {s.pk: layouts[s.pk] for s in chosen}
        match_all = False
    else:
        pickable = Project.objects.all() if include_archived else Project.objects.filter(is_active=True)
        chosen = list(Project.objects.filter(pk__in=_ids(request, "scope")).select_related("schema"))
        projects = chosen
        layouts = schema_layouts({p.schema_id for p in chosen})
        scope_layouts = {p.pk: layouts[p.schema_id] for p in chosen}
        match_all = request.GET.get("match") == "all"
    questions = {q.pk: q for ls in scope_layouts.values() for g in ls for q in g.questions}
    raw = [(s, q, a) for s, q, a in _parse_criteria(request) if s in scope_layouts and q in questions]
    expanded = []
    for scope_id, question_id, answer in raw:
        targets = (
            [p for p in projects if p.schema_id == scope_id]
            if kind == "schema"
            else [p for p in projects if p.pk == scope_id]
        )
        expanded += [search.Criterion(p.pk, question_id, answer) for p in targets if p.is_active or include_archived]
    builder_only = request.headers.get("HX-Target") == "criteria-builder"
    results, paging = [], {}
    if not builder_only:  # the htmx builder swaps only itself: no matching, no cards
        results, paging = _criteria_results(request, expanded, match_all, projects, questions)
    add_scope = request.GET.get("pick_scope", "")
    add_questions = []
    if add_scope.isdigit() and int(add_scope) in scope_layouts:
        add_questions = [(g, q) for g in scope_layouts[int(add_scope)] for q in g.questions]
    pick_q = request.GET.get("pick_q", "")
    picked_q = next((q for _, q in add_questions if pick_q.isdigit() and q.pk == int(pick_q)), None)
    context = _base(
        request,
        kind,
        kind=kind,
        pickable=pickable.order_by("name"),
        chosen=chosen,
        chosen_ids={c.pk for c in chosen},
        include_archived=include_archived,
        projects=projects,
        project_counts=(len(projects), sum(p.is_active for p in projects), sum(not p.is_active for p in projects)),
        criteria=[(s, questions[q], a, SEP.join([str(s), str(q), a])) for s, q, a in raw],
        scope_names={c.pk: c.name for c in chosen},
        match_all=match_all,
        results=results,
        add_scope=int(add_scope) if add_scope.isdigit() else None,
        add_questions=add_questions,
        picked_q=picked_q,
        n_criteria=len(expanded),
        **{k: v for k, v in paging.items() if k != "items"},
    )
    if builder_only:
        return render(request, "annotation/search/_criteria_builder.html", context)
    return render(request, "annotation/search/criteria.html", context)


def _criteria_results(request, expanded, match_all, projects, questions) -> tuple[list, dict]:
    """One page of PORTAL-SRCH-7 results: (match, video, GT cards of the matched projects, per-criterion details).

    Each card keeps only the groups of the questions that matched in its project (PORTAL-SRCH-9).
    """
    matches = search.match_criteria(expanded, match_all=match_all)
    paging = _page(request, matches)
    by_project = {p.pk: p for p in projects}
    videos = Video.objects.in_bulk([m.video_id for m in paging["items"]])
    pairs = [
        (by_project[project_id], videos[m.video_id], m.positions[project_id] + 1)
        for m in paging["items"]
        for project_id in m.matched_projects
    ]
    cards = iter(search.gt_cards(request.user, pairs))
    results = []
    for m in paging["items"]:
        own_cards = []
        for project_id in m.matched_projects:
            card = next(cards)
            card.multi = True
            wanted = {c.question_id for c in m.matched if c.project_id == project_id}
            card.panels = [p for p in card.panels if any(d.question.pk in wanted for d in p.form.displays)]
            own_cards.append(card)
        details = [
            {
                "project": by_project[c.project_id].name,
                "question": questions[c.question_id].display_text,
                "wanted": c.answer,
                "found": m.values[c],
                "in_project": c.project_id in m.positions,
                "ok": c in m.matched,
            }
            for c in m.criteria
        ]
        results.append((m, videos[m.video_id], own_cards, details))
    return results, paging


# --------------------------------------------------------------------------- completion search


@login_required
@require_GET
def completion(request):
    """PORTAL-SRCH-8/9: one row per (project, active video) with the chosen GT status."""
    _admin_only(request)
    include_archived = request.GET.get("archived") == "1"
    pickable = Project.objects.all() if include_archived else Project.objects.filter(is_active=True)
    chosen = list(Project.objects.filter(pk__in=_ids(request, "project")).select_related("schema").order_by("name"))
    status = request.GET.get("status", "missing")
    if status not in (*search.STATUSES, ALL_VIDEOS):
        status = "missing"
    rows = search.completion_rows(chosen) if chosen else []
    counts = {s: sum(r[3] == s for r in rows) for s in search.STATUSES} | {ALL_VIDEOS: len(rows)}
    selected = rows if status == ALL_VIDEOS else [r for r in rows if r[3] == status]
    paging = _page(request, selected)
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
    layout = {g.group.pk: g for g in schema_layout(project.schema_id)}
    if group_id not in layout:
        return HttpResponse("No such question group in this project", status=404)
    g = layout[group_id]
    form = posted_group_form(project, link.video, g, request.POST)
    prefix = form.prefix
    status, error, notice = 200, "", ""
    if not project.is_active:
        status, error = 409, "This project is archived; its ground truth is read-only."
    elif not form.is_valid():
        status, error = 400, "Please answer every question."
    else:
        rows = list(GroundTruth.objects.filter(project=project, video=link.video, question__in=g.questions))
        reviewers = {r.reviewer_id for r in rows}
        own = rows and not any(r.overridden_by_id for r in rows) and reviewers == {request.user.pk}
        write = set_ground_truth if not rows or own else override_ground_truth
        reviews = posted_reviews(request.POST, prefix)
        try:
            result = write(
                user=request.user,
                project=project,
                video=link.video,
                group=g.group,
                values=form.answers(),
                reviews=reviews,
                version=request.POST.get(f"{prefix}-version") or None,
                source=GroundTruthHistory.Source.SEARCH,
            )
        except SubmissionRefused as exc:
            status, error = exc.status, str(exc)
        else:
            notice = "No changes" if result.nothing_changed else "Ground truth saved."
    card = search.gt_cards(request.user, [(project, link.video, link.position + 1)])[0]
    card.multi = True
    card.active_group_id = group_id
    panel = next(p for p in card.panels if p.group_id == group_id)
    if status != 200 and form.is_bound and status != 409:
        panel.form = form
    panel.error, panel.notice = error, notice
    if request.headers.get("HX-Request") != "true":
        if status == 200:
            return redirect(f"{reverse('search:editor')}?{urlencode({'video_uid': link.video.video_uid})}")
        return HttpResponse(error, status=status, content_type="text/plain; charset=utf-8")
    return render(
        request,
        "annotation/search_panel_response.jinja",
        {"portal": PORTAL, "ns": "search", "card": card, "panel": panel, "review_states": REVIEW_STATES},
        status=status,
    )


@login_required
@require_GET
def video_link(request, project_id, video_id):
    """Card header links go to the video answer editor for that video."""
    project = _project_for_search(request, project_id)
    link = _link(project, video_id)
    return redirect(f"{reverse('search:editor')}?{urlencode({'video_uid': link.video.video_uid})}")


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
