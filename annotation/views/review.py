"""Reviewer and meta-reviewer portals (PORTAL-REV, PORTAL-META): one set of views, two namespaces.

Under `/review/` the user needs a reviewer row in the project; under `/meta-review/` they must be a global
admin (403 otherwise) and act through their admin row. Views parse, authorise, read through
review_cards or write through ground_truth, and render; fragments are included by the full page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotation import consensus, layout_settings, review_sorting
from annotation.cards import show_notes
from annotation.forms import posted_group_form, posted_reviews
from annotation.ground_truth import REVIEW_STATES, override_ground_truth, set_ground_truth
from annotation.models import GroundTruth
from annotation.progress import (
    active_video_ids,
    history_entries,
    page_customs,
    project_figures,
    schema_layout,
    schema_layouts,
)
from annotation.progress import dashboard as dashboard_sections
from annotation.refusals import SubmissionRefused
from annotation.report import ReviewerProjectReport, reviewer_report
from annotation.review_cards import answerers, build_review_cards, page_labels, page_rows, project_staff, selection
from annotation.views.paging import paginate
from catalog.models import Assignment, Project, Video
from catalog.numbers import NotFinite, form_number
from catalog.permissions import REVIEWER, get_project_or_404, get_project_video_or_404, portals_for, request_roles
from labelpizza.page_cache import cached_page


class Portal:
    """What differs between the reviewer and the meta-reviewer portal."""

    def __init__(self, request):
        self.ns = request.resolver_match.namespace
        self.meta = self.ns == "meta"
        if self.meta and not request.user.is_global_admin:
            raise PermissionDenied("The meta-reviewer portal is for global admins.")
        self.role = Assignment.Role.ADMIN if self.meta else Assignment.Role.REVIEWER
        self.key = "meta-review" if self.meta else "review"

    def url(self, name, *args):
        return reverse(f"{self.ns}:{name}", args=args)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
@cached_page
def dashboard(request):
    portal = Portal(request)
    # Like the other portals: no reviewer row in an active project is a 403 with links to the user's own
    # portals, not an empty list (issue 11.7).
    if not portal.meta and REVIEWER not in portals_for(request.user, request_roles(request)):
        raise PermissionDenied("The reviewer portal is for reviewers.")
    search = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir") == "desc"
    pages = {k.removeprefix("page_"): int(v) for k, v in request.GET.items() if k.startswith("page_") and v.isdigit()}
    sections = dashboard_sections(
        request.user, role=portal.role, search=search, sort=sort, descending=descending, pages=pages
    )
    return render(
        request,
        "annotation/dashboard.html",
        {
            "portal": portal.key,
            "ns": portal.ns,
            "heading": "Projects to meta-review" if portal.meta else "Projects to review",
            "sections": sections,
            "search": search,
            "sort": sort,
            "descending": descending,
            "total": sum(s.count for s in sections),
        },
    )


@login_required
@require_GET
def performance(request):
    """The reviewer's own "My performance" page: per project and question, how many of the GT answers they set
    are still the final ground truth (SCORE-ACC-3, offered once the project is in training mode), with the
    annotator report's rows. Only the signed-in reviewer's own rows are read. Seven queries, whatever the
    number of projects, questions or GT rows."""
    portal = Portal(request)
    if portal.meta:
        raise Http404("The performance page belongs to the reviewer portal.")
    projects = list(
        Project.objects.filter(
            assignments__user=request.user,
            assignments__role=Assignment.Role.REVIEWER,
            assignments__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("name")
    )
    if not projects:
        raise PermissionDenied("You review no project, so there is no reviewer performance to show.")
    figures = project_figures(projects, None)
    layouts = schema_layouts({p.schema_id for p in projects})
    mine: dict[int, list[tuple[int, bool]]] = {p.pk: [] for p in projects}
    for project_id, question_id, overridden_by in GroundTruth.objects.filter(
        reviewer=request.user,
        project__in=projects,
        video__is_active=True,
        video__project_links__project_id=F("project_id"),
    ).values_list("project_id", "question_id", "overridden_by_id"):
        mine[project_id].append((question_id, overridden_by is not None))
    reports = []
    for project in projects:
        questions = [q for g in layouts[project.schema_id] for q in g.questions]
        rows, overall = reviewer_report(questions=questions, rows=mine[project.pk])
        reports.append(
            ReviewerProjectReport(
                project=project,
                available=figures[project.pk].training,
                gt_progress=figures[project.pk].gt_progress,
                set_so_far=len(mine[project.pk]),
                rows=rows,
                overall=overall,
            )
        )
    return render(request, "annotation/performance.html", {"portal": portal.key, "ns": portal.ns, "reports": reports})


def _filters(request, questions) -> dict[int, str]:
    """PORTAL-REV-9: `f-<question id>=<option>` for single questions; "Any" (empty) is no filter."""
    chosen = {}
    for q in questions:
        value = request.GET.get(f"f-{q.pk}", "")
        if q.is_single and value in (q.options or []):
            chosen[q.pk] = value
    return chosen


def _without(params, *prefixes) -> str:
    kept = params.copy()
    for key in list(kept):
        if key.startswith(prefixes):
            del kept[key]
    return kept.urlencode()


def _page_context(request, portal: Portal, project, *, only_video=None, bound=None, notes=None):
    schema_groups = schema_layout(project.schema_id)
    layout = review_sorting.ordered_layout(request.session, portal.key, project.pk, schema_groups)
    questions = [q for g in schema_groups for q in g.questions]
    figures = project_figures([project], None)[project.pk]
    video_ids = active_video_ids(project)
    settings = layout_settings.load(request.session, portal.key, project.pk, n_videos=len(video_ids))
    people = answerers(project, figures)
    chosen = selection(people, request.GET.getlist("ann") if "ann" in request.GET else None)
    numbers = {v: i + 1 for i, v in enumerate(video_ids)}
    filters = _filters(request, questions)
    sort = request.GET.get("sort", "default")
    sort = sort if sort in review_sorting.SORT_CHOICES else "default"
    descending = request.GET.get("dir") == "desc"
    picked = [int(v) for v in request.GET.getlist("sq") if v.isdigit()]
    models = [a for a in people if a.user.is_model]
    model_ids = [int(v) for v in request.GET.getlist("sm") if v.isdigit()] or [a.user.pk for a in models]
    shown_ids = video_ids
    if only_video is None and (filters or sort != "default"):
        gt_all = review_sorting.gt_values(project)
        shown_ids = review_sorting.apply_filter(video_ids, gt_all, filters)  # the filter runs before the sort
        shown_ids = review_sorting.sort_ids(
            sort,
            shown_ids,
            project=project,
            questions=questions,
            picked=picked,
            selected_ids=chosen.selected_ids,
            model_ids=model_ids,
            gt=gt_all,
            descending=descending,
        )
    if only_video is not None:
        paging = {"page_ids": [only_video.pk], "page": 1, "pages": 1}
    else:
        paging = paginate(request, shown_ids, settings.per_page)
    page_ids = paging["page_ids"]
    videos = Video.objects.in_bulk(page_ids)
    gt_rows, answers, reviews = page_rows(project, page_ids, chosen.selected)
    customs = page_customs(project, page_ids)
    # Everyone the page names, the annotator picker included, gets one page-unique label (issue 11.8).
    labels = page_labels([a.user for a in people] + project_staff(project), gt_rows, answers)
    for a in people:
        a.label = labels[a.user.pk]
    cards = build_review_cards(
        project=project,
        videos=[(numbers[v], videos[v]) for v in page_ids if v in videos],
        layout=layout,
        gt_rows=gt_rows,
        answers=answers,
        all_reviews=reviews,
        selected=chosen.selected,
        customs=customs,
        reviewer=request.user,
        meta=portal.meta,
        bound=bound,
        labels=labels,
    )
    show_notes(cards, notes)
    auto_pool = []
    if not portal.meta:
        completed = chosen.completed
        weights = dict(
            Assignment.objects.filter(project=project, user__in=[a.user for a in completed], is_active=True)
            .order_by("user_id", "role")
            .values_list("user_id", "user_weight")
        )
        auto_pool = [(a, weights.get(a.user.pk, 1.0)) for a in completed]
    return {
        "portal": portal.key,
        "ns": portal.ns,
        "meta": portal.meta,
        "auto_pool": auto_pool,
        "questions": questions,
        "thresholds": range(0, 101, 10),
        "layout": layout,
        "filters": filters,
        "clear_filters": "?" + _without(request.GET, "f-", "page"),
        "filter_summary": f"{len(filters)} filter{'' if len(filters) == 1 else 's'} "
        f"({len(shown_ids)}/{len(video_ids)} videos)",
        "sort": sort,
        "sort_choices": list(review_sorting.SORT_CHOICES.items()),
        "descending": descending,
        "picked": set(picked),
        "models": models,
        "model_ids": set(model_ids),
        "project": project,
        "schema": project.schema,
        "figures": figures,
        "training": figures.training,
        "settings": settings,
        "selection": chosen,
        "review_states": REVIEW_STATES,
        "cards": cards,
        "only_video": only_video,
        "query": request.GET.urlencode(),
        **paging,
    }


@login_required
@require_GET
@cached_page
def project_page(request, project_id):
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    return render(request, "annotation/review.html", _page_context(request, portal, project))


@login_required
@require_GET
@cached_page
def video_page(request, project_id, video_id):
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    link = get_project_video_or_404(project, video_id)
    return render(request, "annotation/review.html", _page_context(request, portal, project, only_video=link.video))


@login_required
@require_POST
def submit_group(request, project_id, video_id, group_id):
    """PORTAL-REV-6 / PORTAL-META-4: set or override one group's GT and save its reviews."""
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    link = get_project_video_or_404(project, video_id)
    layout = {g.group.pk: g for g in schema_layout(project.schema_id)}
    if group_id not in layout:
        return HttpResponse("No such question group in this project", status=404)
    g = layout[group_id]
    form = posted_group_form(project, link.video, g, request.POST)
    write = override_ground_truth if portal.meta else set_ground_truth
    status, error, notice, bound = 200, "", "", None
    if not form.is_valid():
        status, error, bound = 400, "Please answer every question.", form
    else:
        try:
            result = write(
                user=request.user,
                project=project,
                video=link.video,
                group=g.group,
                values=form.answers(),
                reviews=posted_reviews(request.POST, form.prefix),
                version=request.POST.get(f"{form.prefix}-version") or None,
            )
        except SubmissionRefused as exc:
            status, error, bound = exc.status, str(exc), form
        else:
            notice = "No changes" if result.nothing_changed else "Ground truth saved."
            if portal.meta and not result.nothing_changed:
                notice = "Override saved."
            if not portal.meta and result.just_completed:
                notice = f"Ground truth for {project.name} is complete. Please notify an administrator."
    notes = {(video_id, group_id): (error, notice)}
    if not _is_htmx(request) and status == 200:
        messages.success(request, notice)
        back = request.POST.get("next") or portal.url("project", project.pk)
        if not back.startswith("/") or back.startswith("//"):
            back = portal.url("project", project.pk)
        return redirect(f"{back}#card-{video_id}")
    # A refused form keeps the user's values; a conflict re-renders current values beside them (PORTAL-REV-12).
    context = _page_context(
        request,
        portal,
        project,
        only_video=link.video,
        bound={(video_id, group_id): bound} if bound is not None and status != 409 else None,
        notes=notes,
    )
    if not _is_htmx(request):
        return render(request, "annotation/review.html", context, status=status)
    card = context["cards"][0]
    panel = next(p for p in card.panels if p.group_id == group_id)
    if status == 409 and bound is not None:
        panel.attempted = [(d.text, bound.cleaned_data.get(d.field_name, "")) for d in bound.displays]
    return render(
        request, "annotation/review_panel_response.jinja", {**context, "card": card, "panel": panel}, status=status
    )


@login_required
@require_GET
def history(request, project_id, video_id):
    """PORTAL-PRJ-12: the video's GT history in the project, newest first."""
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    link = get_project_video_or_404(project, video_id)
    entries = history_entries(project, link.video)
    template = "annotation/_history.html" if _is_htmx(request) else "annotation/history.html"
    return render(
        request,
        template,
        {"portal": portal.key, "ns": portal.ns, "project": project, "video": link.video, "entries": entries},
    )


@login_required
@require_POST
def save_layout(request, project_id):
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    n_videos = len(active_video_ids(project))
    layout_settings.update(request.session, portal.key, project.pk, request.POST, n_videos=n_videos)
    back = portal.url("project", project.pk)
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


class BadSettings(ValueError):
    """An auto-submit panel value that is refused outright rather than replaced by its default."""


def _auto_settings(post, pool_ids: set[int], layout) -> consensus.Settings:
    """Parse the auto-submit panel (PORTAL-REV-11); values out of range fall back to the defaults, and a
    non-finite number (inf, nan) is refused with BadSettings (issue 16.12)."""

    def number(key, low=0.0, high=None):
        try:
            value = form_number(post.get(key))
        except NotFinite:
            raise BadSettings("Weights and thresholds must be finite numbers.") from None
        return value if value is not None and value >= low and (high is None or value <= high) else None

    chosen = [int(v) for v in post.getlist("pool") if v.isdigit() and int(v) in pool_ids]
    settings = consensus.Settings(annotator_ids=chosen)
    for user_id in chosen:
        if (w := number(f"w-{user_id}")) is not None:
            settings.user_weights[user_id] = w
    for g in layout:
        for q in g.questions:
            if (t := number(f"t-{q.pk}", 0, 100)) is not None:
                settings.thresholds[q.pk] = t
            if q.is_single:
                entered = {}
                for i, option in enumerate(q.options or []):
                    if (ow := number(f"ow-{q.pk}-{i}")) is not None:
                        entered[option] = ow
                settings.option_weights[q.pk] = entered
            elif (source := post.get(f"src-{q.pk}", "auto")).isdigit() and int(source) in chosen:
                settings.description_source[q.pk] = int(source)
    return settings


@login_required
@require_POST
def auto_submit(request, project_id):
    """SCORE-AUTO-5/7: one batch (≤ 50 videos) of preview or execute; the page loops until `done`."""
    portal = Portal(request)
    if portal.meta:
        raise PermissionDenied("Meta-reviewers do not auto-submit.")
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    layout = schema_layout(project.schema_id)
    figures = project_figures([project], None)[project.pk]
    pool = {a.user.pk for a in answerers(project, figures) if a.completed}
    try:
        settings = _auto_settings(request.POST, pool, layout)
    except BadSettings as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if not settings.annotator_ids:
        return JsonResponse({"error": "Choose at least one completed annotator."}, status=400)
    weights = dict(
        Assignment.objects.filter(project=project, user_id__in=settings.annotator_ids, is_active=True)
        .order_by("user_id", "role")
        .values_list("user_id", "user_weight")
    )
    video_ids = active_video_ids(project)
    if request.POST.get("scope") == "page":
        wanted = {int(v) for v in request.POST.getlist("video") if v.isdigit()}
        scope_ids = [v for v in video_ids if v in wanted]
    else:
        scope_ids = video_ids
    try:
        start = max(0, int(request.POST.get("start", 0)))
    except ValueError:
        start = 0
    batch_ids = scope_ids[start : start + consensus.BATCH]
    by_id = Video.objects.in_bulk(batch_ids)
    batch = [by_id[v] for v in batch_ids]
    kwargs = {"project": project, "layout": layout, "videos": batch, "settings": settings, "weights": weights}
    if request.POST.get("action") == "preload":
        end = start + len(batch_ids)
        return JsonResponse(
            {
                "done": end >= len(scope_ids),
                "next": end,
                "total": len(scope_ids),
                "preload": consensus.preload(**kwargs),
            }
        )
    if request.POST.get("action") == "execute":
        summary = consensus.execute(user=request.user, **kwargs)
    else:
        summary = consensus.preview(detail_videos=max(0, consensus.PREVIEW_VIDEOS - start), **kwargs)
    end = start + len(batch_ids)
    return JsonResponse(
        {"done": end >= len(scope_ids), "next": end, "total": len(scope_ids), "summary": summary.as_dict()}
    )


@login_required
@require_POST
def order_groups(request, project_id):
    """PORTAL-REV-10: move a group tab up or down, or reset; kept in the session only."""
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    layout = schema_layout(project.schema_id)
    try:
        group_id = int(request.POST.get("group", 0))
    except ValueError:
        group_id = 0
    review_sorting.move_group(request.session, portal.key, project.pk, layout, group_id, request.POST.get("step", ""))
    back = portal.url("project", project.pk)
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)
