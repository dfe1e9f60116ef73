"""The reviewer and meta-reviewer project page (PORTAL-REV, PORTAL-META) in two steps: `read_state` reads
what the request asks to see (layout in the user's tab order, figures, answerers and who is selected,
filters, sort, layout settings), and `page_context` builds the cards and everything the template shows
from that state. Read-only: writes stay in the views.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotation import layout_settings
from annotation.cards import review_sorting
from annotation.cards.annotate import show_notes
from annotation.cards.review import (
    Answerer,
    Selection,
    answerers,
    build_review_cards,
    page_labels,
    page_rows,
    project_staff,
    selection,
)
from annotation.ground_truth import REVIEW_STATES
from annotation.progress import (
    GroupLayout,
    ProjectFigures,
    active_video_ids,
    page_customs,
    project_figures,
    schema_layout,
)
from annotation.views.paging import paginate
from catalog.models import Assignment, Project, Question, Video

if TYPE_CHECKING:
    from annotation.views.review import Portal


def chosen_filters(request, questions) -> dict[int, str]:
    """PORTAL-REV-9: `f-<question id>=<wanted>` for questions with options, as the type's "filter" part offers
    it (an option; for a multiple choice "contains option X" or "None of these"); "Any" (empty) is no filter."""
    chosen = {}
    for q in questions:
        value = request.GET.get(f"f-{q.pk}", "")
        if q.kind.has_options and value and q.kind.wanted_ok(q, value):
            chosen[q.pk] = value
    return chosen


def _without(params, *prefixes) -> str:
    kept = params.copy()
    for key in list(kept):
        if key.startswith(prefixes):
            del kept[key]
    return kept.urlencode()


def user_weights(project: Project, user_ids) -> dict[int, float]:
    """Each user's weight in the project, from their active rows (SCORE-AUTO-5); one query."""
    return dict(
        Assignment.objects.active()
        .filter(project=project, user_id__in=user_ids)
        .order_by("user_id", "role")
        .values_list("user_id", "user_weight")
    )


@dataclass(frozen=True)
class ReviewState:
    """What one request to the review page (or one deep-linked card) asks to see."""

    request: object
    portal: Portal
    project: Project
    layout: list[GroupLayout]  # in the user's tab order (PORTAL-REV-10)
    questions: list[Question]  # Q(P) in schema order
    figures: ProjectFigures
    video_ids: list[int]  # V(P) in position order
    settings: layout_settings.Layout
    people: list[Answerer]
    chosen: Selection
    filters: dict[int, str]
    sort: str
    descending: bool
    picked: list[int]
    models: list[Answerer]
    model_ids: list[int]
    only_video: Video | None


def read_state(request, portal: Portal, project, *, only_video=None) -> ReviewState:
    schema_groups = schema_layout(project.schema_id)
    questions = [q for g in schema_groups for q in g.questions]
    figures = project_figures([project], None)[project.pk]
    video_ids = active_video_ids(project)
    people = answerers(project, figures)
    models = [a for a in people if a.user.is_model]
    sort = request.GET.get("sort", "default")
    return ReviewState(
        request=request,
        portal=portal,
        project=project,
        layout=review_sorting.ordered_layout(request.session, portal.key, project.pk, schema_groups),
        questions=questions,
        figures=figures,
        video_ids=video_ids,
        settings=layout_settings.load(request.session, portal.key, project.pk, n_videos=len(video_ids)),
        people=people,
        chosen=selection(people, request.GET.getlist("ann") if "ann" in request.GET else None),
        filters=chosen_filters(request, questions),
        sort=sort if sort in review_sorting.SORT_CHOICES else "default",
        descending=request.GET.get("dir") == "desc",
        picked=[int(v) for v in request.GET.getlist("sq") if v.isdigit()],
        models=models,
        model_ids=[int(v) for v in request.GET.getlist("sm") if v.isdigit()] or [a.user.pk for a in models],
        only_video=only_video,
    )


def _shown_ids(state: ReviewState) -> list[int]:
    """The videos the filters keep, in the chosen order; the filter runs before the sort."""
    if state.only_video is not None or not (state.filters or state.sort != "default"):
        return state.video_ids
    gt_all = review_sorting.gt_values(state.project)
    kinds = {q.pk: q.kind for q in state.questions}
    shown = review_sorting.apply_filter(state.video_ids, gt_all, state.filters, kinds)
    return review_sorting.sort_ids(
        state.sort,
        shown,
        project=state.project,
        questions=state.questions,
        picked=state.picked,
        selected_ids=state.chosen.selected_ids,
        model_ids=state.model_ids,
        gt=gt_all,
        descending=state.descending,
    )


def _cards(state: ReviewState, page_ids: list[int], *, bound, notes) -> list:
    project, people, chosen = state.project, state.people, state.chosen
    videos = Video.objects.in_bulk(page_ids)
    gt_rows, answers, reviews = page_rows(project, page_ids, chosen.selected)
    customs = page_customs(project, page_ids)
    # Everyone the page names, the annotator picker included, gets one page-unique label (issue 11.8).
    labels = page_labels([a.user for a in people] + project_staff(project), gt_rows, answers)
    for a in people:
        a.label = labels[a.user.pk]
    numbers = {v: i + 1 for i, v in enumerate(state.video_ids)}
    cards = build_review_cards(
        project=project,
        videos=[(numbers[v], videos[v]) for v in page_ids if v in videos],
        layout=state.layout,
        gt_rows=gt_rows,
        answers=answers,
        all_reviews=reviews,
        selected=chosen.selected,
        customs=customs,
        reviewer=state.request.user,
        meta=state.portal.meta,
        bound=bound,
        labels=labels,
    )
    show_notes(cards, notes)
    return cards


def _auto_pool(state: ReviewState) -> list[tuple[Answerer, float]]:
    """The completed annotators the auto-submit panel offers, with their weights (reviewers only)."""
    if state.portal.meta:
        return []
    completed = state.chosen.completed
    weights = user_weights(state.project, [a.user.pk for a in completed])
    return [(a, weights.get(a.user.pk, 1.0)) for a in completed]


def page_context(state: ReviewState, *, bound=None, notes=None) -> dict:
    """Everything the review page (or one deep-linked card) shows; `bound` and `notes` as on the annotate page."""
    request, portal, n_filters = state.request, state.portal, len(state.filters)
    shown_ids = _shown_ids(state)
    if state.only_video is not None:
        paging = {"page_ids": [state.only_video.pk], "page": 1, "pages": 1}
    else:
        paging = paginate(request, shown_ids, state.settings.per_page)
    cards = _cards(state, paging["page_ids"], bound=bound, notes=notes)
    return {
        "portal": portal.key,
        "ns": portal.ns,
        "meta": portal.meta,
        "auto_pool": _auto_pool(state),
        "questions": state.questions,
        "thresholds": range(0, 101, 10),
        "layout": state.layout,
        "filters": state.filters,
        "clear_filters": "?" + _without(request.GET, "f-", "page"),
        "filter_summary": f"{n_filters} filter{'' if n_filters == 1 else 's'} "
        f"({len(shown_ids)}/{len(state.video_ids)} videos)",
        "sort": state.sort,
        "sort_choices": list(review_sorting.SORT_CHOICES.items()),
        "descending": state.descending,
        "picked": set(state.picked),
        "models": state.models,
        "model_ids": set(state.model_ids),
        "project": state.project,
        "schema": state.project.schema,
        "figures": state.figures,
        "training": state.figures.training,
        "settings": state.settings,
        "selection": state.chosen,
        "review_states": REVIEW_STATES,
        "cards": cards,
        "only_video": state.only_video,
        "query": request.GET.urlencode(),
        **paging,
    }
