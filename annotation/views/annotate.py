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

from annotation import layout_settings
from annotation.autosubmit import default_answers, on_entry
from annotation.models import Answer, GroundTruth
from annotation.progress import (
    active_video_ids,
    project_figures,
    schema_layout,
)
from annotation.progress import (
    dashboard as dashboard_sections,
)
from annotation.report import annotator_report
from annotation.submission import submit_answers
from annotation.views.annotate_page import PORTAL, page_context, read_state
from annotation.views.group_submit import back_to, group_in, no_such_group, submit_group_form
from annotation.views.htmx import is_htmx
from annotation.views.params import back_with_query, dashboard_params, posted_batch, posted_int
from catalog.models import Assignment, Video
from catalog.numbers import NotFinite, form_number
from catalog.permissions import get_project_or_404, get_project_video_or_404
from labelpizza.page_cache import cached_page

ROLE = Assignment.Role.ANNOTATOR


@login_required
@require_GET
@cached_page
def dashboard(request):
    """PORTAL-DASH: the user's projects, grouped, searchable, sortable, six per group page."""
    shown, pages = dashboard_params(request)
    sections = dashboard_sections(request.user, role=ROLE, pages=pages, **shown)
    context = {"portal": PORTAL, "sections": sections, "total": sum(s.count for s in sections), **shown}
    return render(request, "annotation/dashboard.html", context)


@login_required
@require_GET
@cached_page
def project_page(request, project_id):
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    layout = schema_layout(project.schema_id)
    done = on_entry.submit_on_entry(user=request.user, project=project, layout=layout)
    context = page_context(read_state(request, project, layout=layout), auto_done=done)
    return render(request, "annotation/annotate.html", context)


@login_required
@require_GET
@cached_page
def video_page(request, project_id, video_id):
    """A deep link to one video card; with ?fragment=answers, just that card's answer panel (htmx)."""
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    link = get_project_video_or_404(project, video_id)
    context = page_context(read_state(request, project, only_video=link.video))
    if is_htmx(request) and request.GET.get("fragment") == "answers":
        return render(request, "annotation/card_answers_response.jinja", {**context, "card": context["cards"][0]})
    return render(request, "annotation/annotate.html", context)


@login_required
@require_POST
def submit_group(request, project_id, video_id, group_id):
    """PORTAL-ANN-2 / PORTAL-PRJ-10: validate, verify, write; re-render only this group's panel."""
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    link = get_project_video_or_404(project, video_id)
    layout = schema_layout(project.schema_id)
    group = group_in(layout, group_id)
    if group is None:
        return no_such_group()
    done = submit_group_form(request, project=project, video=link.video, group=group, write=submit_answers)
    notice = _submit_notice(project, done)
    if not is_htmx(request) and done.ok:
        (messages.success if notice else messages.info)(request, notice)
        return redirect(f"{back_to(request, reverse('annotate:project', args=[project.pk]))}#card-{video_id}")
    figures = done.result.figures if done.ok else None
    context = page_context(
        read_state(request, project, only_video=link.video, layout=layout, figures=figures),
        bound={(video_id, group_id): done.refused_form},
        status_notes={(video_id, group_id): (done.error, notice)},
    )
    if not is_htmx(request):
        return render(request, "annotation/annotate.html", context, status=done.status)
    card = context["cards"][0]
    panel = next(p for p in card.panels if p.group.pk == group_id)
    just_completed = done.ok and done.result.just_completed
    return render(
        request,
        "annotation/group_panel_response.jinja",
        {**context, "card": card, "panel": panel, "just_completed": just_completed},
        status=done.status,
    )


def _submit_notice(project, done) -> str:
    if not done.ok:
        return ""
    if done.result.just_completed:
        return f"You have completed every question on every video in {project.name}."
    return "Answers saved." if done.result.written else "No changes."


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
    after = posted_int(request.POST, "after", -1)
    remaining = on_entry.pending_video_ids(request.user, project, layout, video_ids[after + 1 :])
    if back_to_page:
        done = on_entry.submit_pending(user=request.user, project=project, layout=layout, pending=remaining, limit=None)
        for line in done.lines() or ["Nothing was left to submit."]:
            messages.success(request, line)
        return redirect("annotate:project", project.pk)
    batch = remaining[: on_entry.BATCH]
    result = on_entry.submit_defaults(user=request.user, project=project, layout=layout, video_ids=batch)
    return JsonResponse(_batch_progress(result, batch, remaining, video_ids))


def _batch_progress(result, batch: list[int], remaining: list[int], video_ids: list[int]) -> dict:
    """What the page's auto-submit loop reads after one batch: where to go on from, and what was submitted."""
    position = {v: i for i, v in enumerate(video_ids)}
    return {
        "done": len(remaining) <= len(batch),
        "processed": len(batch),
        "after": position[batch[-1]] if batch else len(video_ids),
        "submitted": result.submitted,
        "failed_verification": result.failed_verification,
        "failed_no_default": result.failed_no_default,
        "video_ids": result.video_ids,
        "groups": result.by_group,
    }


@login_required
@require_POST
def save_layout(request, project_id):
    """PORTAL-PRJ-5: layout settings per user, portal and project, kept in the session."""
    project, _ = get_project_or_404(request.user, project_id, ROLE)
    n_videos = len(active_video_ids(project))
    layout_settings.update(request.session, PORTAL, project.pk, request.POST, n_videos=n_videos)
    return back_with_query(request, reverse("annotate:project", args=[project.pk]))


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
        rows, overall = annotator_report(
            questions=[q for g in layout for q in g.questions],
            answers=Answer.objects.for_project(project)
            .filter(user=request.user)
            .on_active_videos()
            .values_list("video_id", "question_id", "value", "review__status"),
            gt=GroundTruth.objects.for_project(project)
            .on_active_videos()
            .values_list("video_id", "question_id", "value"),
        )
        if request.GET.get("format") == "csv":
            return _report_csv(project, rows)
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


def _report_csv(project, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accuracy-{project.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["question_text", "display_text", "correct", "total", "accuracy_percent"])
    for row in rows:
        percent = "" if row.percent is None else row.percent
        writer.writerow([row.question.text, row.question.display_text, row.correct, row.total, percent])
    return response


class BadDefaults(ValueError):
    """Default boxes that contradict each other; the message names the question."""


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
            if q.kind.has_options:  # the default-option boxes of the type's partial (question_types/*.html)
                try:
                    settings.defaults[q.pk] = q.kind.default_votes(q, post.getlist(f"d-{q.pk}"))
                except ValueError as e:
                    raise BadDefaults(f"{q.display_text}: {e}") from None
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
    except BadDefaults as e:
        return JsonResponse({"error": str(e)}, status=400)
    if not settings.group_ids:
        return JsonResponse({"error": "Choose at least one question group."}, status=400)
    action = request.POST.get("action")
    page_only = request.POST.get("scope") == "page" or action == "preload"
    video_ids, start, batch_ids = posted_batch(
        request.POST, active_video_ids(project), on_entry.BATCH, page_only=page_only
    )
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
