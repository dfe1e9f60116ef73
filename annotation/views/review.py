"""Reviewer and meta-reviewer portals (PORTAL-REV, PORTAL-META): one set of views, two namespaces.

Under `/review/` the user needs a reviewer row in the project; under `/meta-review/` they must be a global
admin (403 otherwise) and act through their admin row. Views parse, authorise, read through
review_cards or write through ground_truth, and render; fragments are included by the full page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotation import layout_settings
from annotation.autosubmit import consensus
from annotation.cards import review_sorting
from annotation.cards.review import answerers
from annotation.ground_truth import override_ground_truth, set_ground_truth
from annotation.models import GroundTruth
from annotation.progress import (
    active_video_ids,
    history_entries,
    project_figures,
    schema_layout,
    schema_layouts,
)
from annotation.progress import dashboard as dashboard_sections
from annotation.report import ReviewerProjectReport, reviewer_report
from annotation.views.group_submit import back_to, group_in, no_such_group, submit_group_form
from annotation.views.htmx import is_htmx
from annotation.views.params import back_with_query, dashboard_params, posted_batch, posted_int
from annotation.views.review_page import page_context, read_state, user_weights
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


@login_required
@require_GET
@cached_page
def dashboard(request):
    portal = Portal(request)
    # Like the other portals: no reviewer row in an active project is a 403 with links to the user's own
    # portals, not an empty list (issue 11.7).
    if not portal.meta and REVIEWER not in portals_for(request.user, request_roles(request)):
        raise PermissionDenied("The reviewer portal is for reviewers.")
    shown, pages = dashboard_params(request)
    sections = dashboard_sections(request.user, role=portal.role, pages=pages, **shown)
    heading = "Projects to meta-review" if portal.meta else "Projects to review"
    context = {"portal": portal.key, "ns": portal.ns, "heading": heading, "sections": sections, **shown}
    return render(request, "annotation/dashboard.html", {**context, "total": sum(s.count for s in sections)})


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
    reviewing = Assignment.objects.for_user(request.user).active().filter(role=Assignment.Role.REVIEWER)
    projects = list(Project.objects.active().filter(pk__in=reviewing.values("project_id")).order_by("name"))
    if not projects:
        raise PermissionDenied("You review no project, so there is no reviewer performance to show.")
    reports = _reviewer_reports(request.user, projects)
    return render(request, "annotation/performance.html", {"portal": portal.key, "ns": portal.ns, "reports": reports})


def _reviewer_reports(user, projects) -> list[ReviewerProjectReport]:
    """One report per project from the GT rows `user` set on V(P) (SCORE-ACC-3); six queries in all."""
    figures = project_figures(projects, None)
    layouts = schema_layouts({p.schema_id for p in projects})
    mine: dict[int, list[tuple[int, bool]]] = {p.pk: [] for p in projects}
    for project_id, question_id, overridden_by in (
        GroundTruth.objects.filter(reviewer=user, project__in=projects)
        .on_member_videos()
        .values_list("project_id", "question_id", "overridden_by_id")
    ):
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
    return reports


@login_required
@require_GET
@cached_page
def project_page(request, project_id):
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    return render(request, "annotation/review.html", page_context(read_state(request, portal, project)))


@login_required
@require_GET
@cached_page
def video_page(request, project_id, video_id):
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    link = get_project_video_or_404(project, video_id)
    context = page_context(read_state(request, portal, project, only_video=link.video))
    return render(request, "annotation/review.html", context)


@login_required
@require_POST
def submit_group(request, project_id, video_id, group_id):
    """PORTAL-REV-6 / PORTAL-META-4: set or override one group's GT and save its reviews."""
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    link = get_project_video_or_404(project, video_id)
    group = group_in(schema_layout(project.schema_id), group_id)
    if group is None:
        return no_such_group()
    write = override_ground_truth if portal.meta else set_ground_truth
    done = submit_group_form(request, project=project, video=link.video, group=group, write=write, with_reviews=True)
    notice = _submit_notice(portal, project, done)
    if not is_htmx(request) and done.ok:
        messages.success(request, notice)
        return redirect(f"{back_to(request, portal.url('project', project.pk))}#card-{video_id}")
    # A refused form keeps the user's values; a conflict re-renders current values beside them (PORTAL-REV-12).
    context = page_context(
        read_state(request, portal, project, only_video=link.video),
        bound={(video_id, group_id): done.refused_form} if done.status != 409 else None,
        notes={(video_id, group_id): (done.error, notice)},
    )
    if not is_htmx(request):
        return render(request, "annotation/review.html", context, status=done.status)
    card = context["cards"][0]
    panel = next(p for p in card.panels if p.group_id == group_id)
    if done.status == 409:
        panel.attempted = attempted_values(done.form)
    return render(
        request, "annotation/review_panel_response.jinja", {**context, "card": card, "panel": panel}, status=done.status
    )


def attempted_values(form) -> list[tuple[str, str]]:
    """(question, value as people read it) of a conflicting submit, shown beside the current GT."""
    rows = []
    for d in form.displays:
        value = form.cleaned_data.get(d.field_name)
        rows.append((d.text, "" if value in (None, "") else d.kind.shown_value(value, dict(d.options))))
    return rows


def _submit_notice(portal: Portal, project, done) -> str:
    if not done.ok:
        return ""
    if done.result.nothing_changed:
        return "No changes"
    if portal.meta:
        return "Override saved."
    if done.result.just_completed:
        return f"Ground truth for {project.name} is complete. Please notify an administrator."
    return "Ground truth saved."


@login_required
@require_GET
def history(request, project_id, video_id):
    """PORTAL-PRJ-12: the video's GT history in the project, newest first."""
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    link = get_project_video_or_404(project, video_id)
    entries = history_entries(project, link.video)
    template = "annotation/_history.html" if is_htmx(request) else "annotation/history.html"
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
    return back_with_query(request, portal.url("project", project.pk))


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
            if q.kind.has_options:  # option weights, from the type's partial (question_types/*.html)
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
    weights = user_weights(project, settings.annotator_ids)
    page_only = request.POST.get("scope") == "page"
    scope_ids, start, batch_ids = posted_batch(
        request.POST, active_video_ids(project), consensus.BATCH, page_only=page_only
    )
    by_id = Video.objects.in_bulk(batch_ids)
    kwargs = {"project": project, "layout": layout, "settings": settings, "weights": weights}
    kwargs["videos"] = [by_id[v] for v in batch_ids]
    end = start + len(batch_ids)
    reply = {"done": end >= len(scope_ids), "next": end, "total": len(scope_ids)}
    action = request.POST.get("action")
    if action == "preload":
        return JsonResponse({**reply, "preload": consensus.preload(**kwargs)})
    if action == "execute":
        summary = consensus.execute(user=request.user, **kwargs)
    else:
        summary = consensus.preview(detail_videos=max(0, consensus.PREVIEW_VIDEOS - start), **kwargs)
    return JsonResponse({**reply, "summary": summary.as_dict()})


@login_required
@require_POST
def order_groups(request, project_id):
    """PORTAL-REV-10: move a group tab up or down, or reset; kept in the session only."""
    portal = Portal(request)
    project, _ = get_project_or_404(request.user, project_id, portal.role)
    layout = schema_layout(project.schema_id)
    group_id = posted_int(request.POST, "group", 0)
    review_sorting.move_group(request.session, portal.key, project.pk, layout, group_id, request.POST.get("step", ""))
    return back_with_query(request, portal.url("project", project.pk))
