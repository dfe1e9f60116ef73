"""The annotator's project page (PORTAL-PRJ, PORTAL-ANN, PORTAL-TRN) in two steps: `read_state` reads what
the request asks to see (layout, figures, the project's videos, layout settings, sort), and `page_context`
builds the cards and everything the template shows from that state. Read-only: writes stay in the views.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotation import layout_settings
from annotation.autosubmit import on_entry
from annotation.cards.annotate import build_cards, show_notes
from annotation.cards.annotate_sorting import SORT_CHOICES, sort_video_ids
from annotation.progress import (
    GroupLayout,
    ProjectFigures,
    active_video_ids,
    ground_truth,
    own_answers,
    page_customs,
    project_figures,
    schema_layout,
)
from annotation.views.paging import paginate
from catalog.models import Project, Video

PORTAL = "annotate"


@dataclass(frozen=True)
class AnnotateState:
    """What one request to the project page (or one deep-linked card) asks to see."""

    request: object
    project: Project
    layout: list[GroupLayout]
    figures: ProjectFigures
    video_ids: list[int]  # V(P) in position order
    settings: layout_settings.Layout
    sort: str
    descending: bool
    picked: list[int]  # the question ids the sort reads
    only_video: Video | None

    @property
    def training(self) -> bool:
        return self.figures.training

    @property
    def numbers(self) -> dict[int, int]:
        return {v: i + 1 for i, v in enumerate(self.video_ids)}


def read_state(request, project, *, only_video=None, layout=None, figures=None) -> AnnotateState:
    """The request's view of the project; `layout` and `figures` when the caller already has them."""
    layout = schema_layout(project.schema_id) if layout is None else layout
    figures = project_figures([project], request.user)[project.pk] if figures is None else figures
    video_ids = active_video_ids(project)
    question_ids = {q.pk for g in layout for q in g.questions}
    picked = [int(v) for v in request.GET.getlist("sq") if v.isdigit() and int(v) in question_ids]
    sort = request.GET.get("sort", "default")
    if sort not in SORT_CHOICES or (sort == "accuracy" and not figures.training):
        sort = "default"
    return AnnotateState(
        request=request,
        project=project,
        layout=layout,
        figures=figures,
        video_ids=video_ids,
        settings=layout_settings.load(request.session, PORTAL, project.pk, n_videos=len(video_ids)),
        sort=sort,
        descending=request.GET.get("dir") == "desc",
        picked=picked,
        only_video=only_video,
    )


def _paging(state: AnnotateState) -> dict:
    """One deep-linked card, or the page of the (sorted) videos that ?page= names."""
    if state.only_video is not None:
        return {"page_ids": [state.only_video.pk], "page": 1, "pages": 1}
    ordered = state.video_ids
    if state.sort != "default":
        user, project = state.request.user, state.project
        ordered = sort_video_ids(
            state.sort,
            state.video_ids,
            own=own_answers(user, project),
            gt=ground_truth(project) if state.sort == "accuracy" else {},
            layout=state.layout,
            picked=state.picked,
            descending=state.descending,
        )
    return paginate(state.request, ordered, state.settings.per_page)


def _cards(state: AnnotateState, page_ids: list[int], *, bound, status_notes) -> list:
    project = state.project
    videos = Video.objects.in_bulk(page_ids)
    numbers = state.numbers
    cards = build_cards(
        project=project,
        videos=[(numbers[v], videos[v]) for v in page_ids if v in videos],
        layout=state.layout,
        own=own_answers(state.request.user, project, page_ids),
        gt=ground_truth(project, page_ids) if state.training else {},
        customs=page_customs(project, page_ids),
        training=state.training,
        bound=bound,
    )
    show_notes(cards, status_notes)
    return cards


def _auto_pending(state: AnnotateState, auto_done: on_entry.AutoSubmitResult | None) -> tuple[int, int]:
    """(videos still pending auto-submit, the position the page's follow-up starts after)."""
    if state.training or state.only_video is not None or not on_entry.auto_groups(state.layout):
        return 0, -1
    left = on_entry.pending_video_ids(state.request.user, state.project, state.layout, state.video_ids)
    after = -1
    if auto_done is not None and auto_done.last_video_id is not None:
        # Groups that failed verification stay unanswered: the follow-up starts after what was just tried.
        numbers = state.numbers
        after = numbers[auto_done.last_video_id] - 1
        left = [v for v in left if numbers[v] - 1 > after]
    return len(left), after


def page_context(
    state: AnnotateState,
    *,
    bound=None,
    status_notes=None,
    auto_done: on_entry.AutoSubmitResult | None = None,
) -> dict:
    """Everything the project page (or one deep-linked card) shows. `bound`: forms refused in this request, by
    (video, group); `status_notes`: (error, notice) by the same key; `auto_done`: what auto-submit on entry
    just submitted in this request, shown on the page."""
    paging = _paging(state)
    cards = _cards(state, paging["page_ids"], bound=bound, status_notes=status_notes)
    pending, after = _auto_pending(state, auto_done)
    training, layout = state.training, state.layout
    return {
        "portal": PORTAL,
        "project": state.project,
        "schema": state.project.schema,
        "figures": state.figures,
        "training": training,
        "layout": layout,
        "settings": state.settings,
        "cards": cards,
        **paging,
        "n_videos": len(state.video_ids),
        "sort": state.sort,
        "sort_choices": [(k, v) for k, v in SORT_CHOICES.items() if k != "accuracy" or training],
        "descending": state.descending,
        "picked": set(state.picked),
        "questions": [q for g in layout for q in g.questions],
        "auto_pending": pending,
        "auto_after": after,
        "auto_done": auto_done.lines() if auto_done is not None and auto_done.videos else [],
        "auto_groups": on_entry.auto_groups(layout),
        "thresholds": range(0, 101, 10),
        "report_ready": training and state.figures.progress >= 100,
        "only_video": state.only_video,
        "query": state.request.GET.urlencode(),
    }
