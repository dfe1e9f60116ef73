"""Annotator portal (PORTAL-DASH, PORTAL-PRJ, PORTAL-ANN, PORTAL-TRN): plain function views.

Each view parses input, authorises through catalog.permissions, reads through progress/cards or
writes through submission/autosubmit, and renders. Fragments are the same templates the full page
includes (PORTAL-GEN-3).
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotation import autosubmit, default_answers, layout_settings
from annotation.cards import build_cards, show_notes
from annotation.forms import posted_group_form
from annotation.models import Answer, GroundTruth
from annotation.progress import (
    active_video_ids,
    ground_truth,
    own_answers,
    page_customs,
    project_figures,
    schema_layout,
)
from annotation.progress import (
    dashboard as dashboard_sections,
)
from annotation.refusals import SubmissionRefused
from annotation.report import annotator_report
from annotation.sorting import SORT_CHOICES, sort_video_ids
from annotation.submission import submit_answers
from annotation.views.paging import paginate
from catalog.models import Assignment, Video
from catalog.numbers import NotFinite, form_number
from catalog.permissions import get_project_or_404, get_project_video_or_404
from labelpizza.page_cache import cached_page

ROLE = Assignment.Role.ANNOTATOR
PORTAL = "annotate"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
@cached_page
def dashboard(request):
    """PORTAL-DASH: the user's projects, grouped, searchable, sortable, six per group page."""
    search = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir") == "desc"
    pages = {}
    for key, value in request.GET.items():
        if key.startswith("page_") and value.isdigit():
            pages[key.removeprefix("page_")] = int(value)
    sections = dashboard_sections(request.user, role=ROLE, search=search, sort=sort, descending=descending, pages=pages)
    return render(
        request,
        "annotation/dashboard.html",
        {
            "portal": PORTAL,
            "sections": sections,
            "search": search,
            "sort": sort,
            "descending": descending,
            "total": sum(s.count for s in sections),
        },
    )


def _sort_params(request, layout):
    question_ids = {q.pk for g in layout for q in g.questions}
    picked = [int(v) for v in request.GET.getlist("sq") if v.isdigit() and int(v) in question_ids]
    sort = request.GET.get("sort", "default")
    if sort not in SORT_CHOICES:
        sort = "default"
    return sort, request.GET.get("dir") == "desc", picked


def _page_context(
    request,
    project,
    *,
    bound=None,
    only_video: Video | None = None,
    status_notes=None,
    layout=None,
    figures=None,
    auto_done: autosubmit.AutoSubmitResult | None = None,
):
    """Everything the project page (or one deep-linked card) shows; `layout` and `figures` when already known.

    `auto_done`: what auto-submit on entry just submitted in this request, shown on the page.
    """
    layout = schema_layout(project.schema_id) if layout is None else layout
    figures = project_figures([project], request.user)[project.pk] if figures is None else figures
    training = figures.training
    video_ids = active_video_ids(project)
    settings = layout_settings.load(request.session, PORTAL, project.pk, n_videos=len(video_ids))
    sort, descending, picked = _sort_params(request, layout)
    if sort == "accuracy" and not training:
        sort = "default"
    numbers = {v: i + 1 for i, v in enumerate(video_ids)}
    if only_video is not None:
        paging = {"page_ids": [only_video.pk], "page": 1, "pages": 1}
    else:
        ordered = video_ids
        if sort != "default":
            ordered = sort_video_ids(
                sort,
                video_ids,
                own=own_answers(request.user, project),
                gt=ground_truth(project) if sort == "accuracy" else {},
                layout=layout,
                picked=picked,
                descending=descending,
            )
        paging = paginate(request, ordered, settings.per_page)
    page_ids = paging["page_ids"]
    videos = Video.objects.in_bulk(page_ids)
    own = own_answers(request.user, project, page_ids)
    gt = ground_truth(project, page_ids) if training else {}
    customs = page_customs(project, page_ids)
    cards = build_cards(
        project=project,
        videos=[(numbers[v], videos[v]) for v in page_ids if v in videos],
        layout=layout,
        own=own,
        gt=gt,
        customs=customs,
        training=training,
        bound=bound,
    )
    show_notes(cards, status_notes)
    pending, after = 0, -1
    if not training and only_video is None and autosubmit.auto_groups(layout):
        left = autosubmit.pending_video_ids(request.user, project, layout, video_ids)
        if auto_done is not None and auto_done.last_video_id is not None:
            # Groups that failed verification stay unanswered: the follow-up starts after what was just tried.
            after = numbers[auto_done.last_video_id] - 1
            left = [v for v in left if numbers[v] - 1 > after]
        pending = len(left)
    return {
        "portal": PORTAL,
        "project": project,
        "schema": project.schema,
        "figures": figures,
        "training": training,
        "layout": layout,
        "settings": settings,
        "cards": cards,
        **paging,
        "n_videos": len(video_ids),
        "sort": sort,
        "sort_choices": [(k, v) for k, v in SORT_CHOICES.items() if k != "accuracy" or training],
        "descending": descending,
        "picked": set(picked),
        "questions": [q for g in layout for q in g.questions],
        "auto_pending": pending,
        "auto_after": after,
        "auto_done": auto_done.lines() if auto_done is not None and auto_done.videos else [],
        "auto_groups": autosubmit.auto_groups(layout),
        "thresholds": range(0, 101, 10),
        "report_ready": training and figures.progress >= 100,
        "only_video": only_video,
        "query": request.GET.urlencode(),
    }


@login_required
@require_GET
@cached_page
def project_page(request, project_id):
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    layout = schema_layout(project.schema_id)
    done = _auto_submit_on_entry(request, project, layout)
    return render(request, "annotation/annotate.html", _page_context(request, project, layout=layout, auto_done=done))


def _auto_submit_on_entry(request, project, layout) -> autosubmit.AutoSubmitResult | None:
    """SCORE-AUTO-2 on the server: entering the project answers its pending auto-submit groups (up to
    ENTRY_VIDEOS videos, in batches) before the page renders, so no JavaScript is needed; None when there
    was nothing to do (or in training mode)."""
    if not autosubmit.auto_groups(layout):
        return None
    if project_figures([project], request.user)[project.pk].training:
        return None
    pending = autosubmit.pending_video_ids(request.user, project, layout, active_video_ids(project))
    if not pending:
        return None
    return autosubmit.submit_pending(
        user=request.user, project=project, layout=layout, pending=pending, limit=autosubmit.ENTRY_VIDEOS
    )


@login_required
@require_GET
@cached_page
def video_page(request, project_id, video_id):
    """A deep link to one video card; with ?fragment=answers, just that card's answer panel (htmx)."""
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    link = get_project_video_or_404(project, video_id)
    context = _page_context(request, project, only_video=link.video)
    if _is_htmx(request) and request.GET.get("fragment") == "answers":
        return render(request, "annotation/card_answers_response.jinja", {**context, "card": context["cards"][0]})
    return render(request, "annotation/annotate.html", context)


@login_required
@require_POST
def submit_group(request, project_id, video_id, group_id):
    """PORTAL-ANN-2 / PORTAL-PRJ-10: validate, verify, write; re-render only this group's panel."""
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    link = get_project_video_or_404(project, video_id)
    layout = schema_layout(project.schema_id)
    g = next((g for g in layout if g.group.pk == group_id), None)
    if g is None:
        return HttpResponse("No such question group in this project", status=404)
    form = posted_group_form(project, link.video, g, request.POST)
    status, error, notice, bound, figures = 200, "", "", None, None
    if not form.is_valid():
        status, error, bound = 400, "Please answer every question.", form
    else:
        try:
            result = submit_answers(
                user=request.user, project=project, video=link.video, group=g.group, values=form.answers()
            )
        except SubmissionRefused as exc:
            status, error, bound = exc.status, str(exc), form
        else:
            notice = "No changes." if not result.written else "Answers saved."
            figures = result.figures
            if result.just_completed:
                notice = f"You have completed every question on every video in {project.name}."
    notes = {(video_id, group_id): (error, notice)}
    if not _is_htmx(request):
        if status == 200:
            (messages.success if notice else messages.info)(request, notice)
            back = request.POST.get("next") or reverse("annotate:project", args=[project.pk])
            if not back.startswith("/") or back.startswith("//"):
                back = reverse("annotate:project", args=[project.pk])
            return redirect(f"{back}#card-{video_id}")
        context = _page_context(
            request, project, only_video=link.video, bound={(video_id, group_id): bound}, status_notes=notes
        )
        return render(request, "annotation/annotate.html", context, status=status)
    context = _page_context(
        request,
        project,
        only_video=link.video,
        bound={(video_id, group_id): bound} if bound else None,
        status_notes=notes,
        layout=layout,
        figures=figures,
    )
    card = context["cards"][0]
    panel = next(p for p in card.panels if p.group.pk == group_id)
    return render(
        request,
        "annotation/group_panel_response.jinja",
        {**context, "card": card, "panel": panel, "just_completed": notice.startswith("You have completed")},
        status=status,
    )


@login_required
@require_POST
def auto_submit(request, project_id):
    """SCORE-AUTO-2: one batch of at most 50 videos after position `after`; JSON progress for the page.

    The page's no-JavaScript button posts `then=page`: every remaining video is answered, in batches, and
    the user is sent back to the project with a message saying what was submitted.
    """
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    layout = schema_layout(project.schema_id)
    figures = project_figures([project], request.user)[project.pk]
    back_to_page = request.POST.get("then") == "page"
    if figures.training:
        if back_to_page:
            messages.info(request, "Auto-submit does not run in training mode.")
            return redirect("annotate:project", project.pk)
        return JsonResponse({"done": True, "processed": 0, "submitted": 0, "failed_verification": 0, "video_ids": []})
    video_ids = active_video_ids(project)
    try:
        after = int(request.POST.get("after", -1))
    except ValueError:
        after = -1
    remaining = autosubmit.pending_video_ids(request.user, project, layout, video_ids[after + 1 :])
    if back_to_page:
        done = autosubmit.submit_pending(
            user=request.user, project=project, layout=layout, pending=remaining, limit=None
        )
        for line in done.lines() or ["Nothing was left to submit."]:
            messages.success(request, line)
        return redirect("annotate:project", project.pk)
    batch = remaining[: autosubmit.BATCH]
    result = autosubmit.submit_defaults(user=request.user, project=project, layout=layout, video_ids=batch)
    position = {v: i for i, v in enumerate(video_ids)}
    return JsonResponse(
        {
            "done": len(remaining) <= len(batch),
            "processed": len(batch),
            "after": position[batch[-1]] if batch else len(video_ids),
            "submitted": result.submitted,
            "failed_verification": result.failed_verification,
            "failed_no_default": result.failed_no_default,
            "video_ids": result.video_ids,
            "groups": result.by_group,
        }
    )


@login_required
@require_POST
def save_layout(request, project_id):
    """PORTAL-PRJ-5: layout settings per user, portal and project, kept in the session."""
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    n_videos = len(active_video_ids(project))
    layout_settings.update(request.session, PORTAL, project.pk, request.POST, n_videos=n_videos)
    back = reverse("annotate:project", args=[project.pk])
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


@login_required
@require_GET
def report(request, project_id):
    """SCORE-RPT-1: the personal accuracy report, once the project is in training mode and all is answered."""
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    figures = project_figures([project], request.user)[project.pk]
    layout = schema_layout(project.schema_id)
    available = figures.training and figures.progress >= 100
    rows = overall = None
    if available:
        answers = Answer.objects.filter(project=project, user=request.user, video__is_active=True)
        rows, overall = annotator_report(
            questions=[q for g in layout for q in g.questions],
            answers=answers.values_list("video_id", "question_id", "value", "review__status"),
            gt=GroundTruth.objects.filter(project=project, video__is_active=True).values_list(
                "video_id", "question_id", "value"
            ),
        )
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="accuracy-{project.pk}.csv"'
            writer = csv.writer(response)
            writer.writerow(["question_text", "display_text", "correct", "total", "accuracy_percent"])
            for row in rows:
                writer.writerow(
                    [
                        row.question.text,
                        row.question.display_text,
                        row.correct,
                        row.total,
                        "" if row.percent is None else row.percent,
                    ]
                )
            return response
    return render(
        request,
        "annotation/report.html",
        {
            "portal": PORTAL,
            "project": project,
            "figures": figures,
            "available": available,
            "rows": rows,
            "overall": overall,
        },
        status=200 if available else 409,
    )


def _default_settings(post, layout) -> default_answers.Settings:
    """Parse the annotator's auto-submit panel (PORTAL-ANN-4)."""
    groups = {g.group.pk for g in layout}
    chosen = [int(v) for v in post.getlist("grp") if v.isdigit() and int(v) in groups]
    settings = default_answers.Settings(group_ids=chosen)
    for g in layout:
        for q in g.questions:
            threshold = form_number(post.get(f"t-{q.pk}"))  # NotFinite for inf and nan (issue 16.12)
            threshold = 100.0 if threshold is None else threshold
            settings.thresholds[q.pk] = min(100.0, max(0.0, threshold))
            if q.is_single:
                settings.defaults[q.pk] = [o for o in post.getlist(f"d-{q.pk}") if o in (q.options or [])]
            elif post.get(f"dt-{q.pk}", "") != "":
                settings.default_text[q.pk] = post[f"dt-{q.pk}"]
    return settings


@login_required
@require_POST
def default_submit(request, project_id):
    """PORTAL-ANN-4: Preload, Preview or Execute one batch (≤ 50 videos) of the annotator's auto-submit."""
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    layout = schema_layout(project.schema_id)
    if project_figures([project], request.user)[project.pk].training:
        return JsonResponse({"error": "Auto-submit is off in training mode."}, status=409)
    try:
        settings = _default_settings(request.POST, layout)
    except NotFinite:
        return JsonResponse({"error": "Thresholds must be finite numbers between 0 and 100."}, status=400)
    if not settings.group_ids:
        return JsonResponse({"error": "Choose at least one question group."}, status=400)
    video_ids = active_video_ids(project)
    action = request.POST.get("action")
    if request.POST.get("scope") == "page" or action == "preload":
        wanted = {int(v) for v in request.POST.getlist("video") if v.isdigit()}
        video_ids = [v for v in video_ids if v in wanted]
    try:
        start = max(0, int(request.POST.get("start", 0)))
    except ValueError:
        start = 0
    batch_ids = video_ids[start : start + autosubmit.BATCH]
    by_id = Video.objects.in_bulk(batch_ids)
    kwargs = {"user": request.user, "project": project, "layout": layout, "settings": settings}
    kwargs["videos"] = [by_id[v] for v in batch_ids]
    end = start + len(batch_ids)
    reply = {"done": end >= len(video_ids), "next": end, "total": len(video_ids)}
    if action == "preload":
        return JsonResponse({**reply, "preload": default_answers.preload(**kwargs)})
    if action == "execute":
        return JsonResponse({**reply, "summary": default_answers.execute(**kwargs).as_dict()})
    summary, score = default_answers.preview(detail_videos=max(0, 5 - start), **kwargs)
    return JsonResponse({**reply, "summary": summary.as_dict(), "consensus": score})
