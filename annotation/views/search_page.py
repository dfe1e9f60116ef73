"""The search portal's pages (PORTAL-SRCH) read and built apart from its views: the video editor's cards,
the criteria scope (schemas or projects) with the add-criterion picker, and one page of criteria results.
Read-only: GT writes stay in the views, through annotation.ground_truth."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from annotation import search
from annotation.progress import schema_layouts
from annotation.views.paging import paginate
from annotation.views.params import digits
from catalog.models import Project, ProjectVideo, Schema, Video

SEP = "~"  # criteria travel in the URL as <scope id>~<question id>~<answer>


def results_page(request, items: list, *, default=50) -> dict:
    """PORTAL-SRCH-9: 5–100 results per page (default 50)."""
    try:
        per_page = min(100, max(5, int(request.GET.get("per_page", default))))
    except ValueError:
        per_page = default
    paging = paginate(request, items, per_page)
    chunk = paging.pop("page_ids")
    return {**paging, "items": chunk, "per_page": per_page}


def editor_cards(user, video, sections) -> tuple[list, list]:
    """One editable GT card per project holding the video, and the cards by section heading.

    PORTAL-SRCH-4: a project appears under each of its groups; its one editable card stays under the first,
    and the later groups link to it (two forms for the same GT would share ids and race each other).
    """
    seen, pairs, placed = set(), [], []
    positions = dict(ProjectVideo.objects.filter(video=video).values_list("project_id", "position"))
    for heading, projects in sections:
        for p in projects:
            if p.pk not in seen:
                seen.add(p.pk)
                pairs.append((p, video, positions.get(p.pk, 0) + 1))
                placed.append(heading)
    cards = search.gt_cards(user, pairs)
    for card in cards:
        card.multi = True
    card_of = {card.project.pk: (card, heading) for heading, card in zip(placed, cards, strict=True)}
    by_heading = [
        (heading, [(card_of[p.pk][0], None if card_of[p.pk][1] == heading else card_of[p.pk][1]) for p in projects])
        for heading, projects in sections
        if projects
    ]
    return cards, by_heading


def parse_criteria(request) -> list[tuple[int, int, str]]:
    parsed = []
    for raw in request.GET.getlist("c"):
        scope_id, _, rest = raw.partition(SEP)
        question_id, _, answer = rest.partition(SEP)
        if scope_id.isdigit() and question_id.isdigit():
            parsed.append((int(scope_id), int(question_id), answer))
    return parsed


@dataclass(frozen=True)
class CriteriaScope:
    """What the criteria are read against: schemas (`kind` schema) or projects, with their layouts."""

    kind: str
    pickable: QuerySet  # the schemas or projects the picker offers
    chosen: list  # the chosen schemas or projects
    projects: list[Project]  # the projects the criteria run in
    layouts: dict[int, list]  # scope id -> its schema layout
    match_all: bool

    def expand(self, raw, *, include_archived: bool) -> list[search.Criterion]:
        """One criterion per (project, question, answer): a schema criterion runs in each of its projects."""
        expanded = []
        for scope_id, question_id, answer in raw:
            field = "schema_id" if self.kind == "schema" else "pk"
            targets = [p for p in self.projects if getattr(p, field) == scope_id]
            expanded += [
                search.Criterion(p.pk, question_id, answer) for p in targets if p.is_active or include_archived
            ]
        return expanded


def criteria_scope(request, kind: str, *, include_archived: bool) -> CriteriaScope:
    """PORTAL-SRCH-5/6: by schema (ANY, fixed) or by project (ALL or ANY as chosen)."""
    if kind == "schema":
        chosen = list(Schema.objects.filter(pk__in=digits(request.GET.getlist("scope"))))
        layouts = schema_layouts({s.pk for s in chosen})
        return CriteriaScope(
            kind=kind,
            pickable=Schema.objects.all() if include_archived else Schema.objects.active(),
            chosen=chosen,
            projects=list(Project.objects.filter(schema__in=chosen).select_related("schema").order_by("name")),
            layouts={s.pk: layouts[s.pk] for s in chosen},
            match_all=False,
        )
    chosen = list(Project.objects.filter(pk__in=digits(request.GET.getlist("scope"))).select_related("schema"))
    layouts = schema_layouts({p.schema_id for p in chosen})
    return CriteriaScope(
        kind=kind,
        pickable=Project.objects.all() if include_archived else Project.objects.active(),
        chosen=chosen,
        projects=chosen,
        layouts={p.pk: layouts[p.schema_id] for p in chosen},
        match_all=request.GET.get("match") == "all",
    )


def criterion_picker(request, scope_layouts) -> dict:
    """The add-criterion form's state: the picked scope, its questions, and the picked question."""
    add_scope = request.GET.get("pick_scope", "")
    add_questions = []
    if add_scope.isdigit() and int(add_scope) in scope_layouts:
        add_questions = [(g, q) for g in scope_layouts[int(add_scope)] for q in g.questions]
    pick_q = request.GET.get("pick_q", "")
    picked_q = next((q for _, q in add_questions if pick_q.isdigit() and q.pk == int(pick_q)), None)
    return {
        "add_scope": int(add_scope) if add_scope.isdigit() else None,
        "add_questions": add_questions,
        "picked_q": picked_q,
    }


def wanted_text(question, wanted: str) -> str:
    """A criterion's required answer as people read it, after the question: `= “Yes”`, `contains “Pan”`."""
    return question.kind.wanted_text(wanted, question.labels())


def found(question, truth: str | None) -> str | None:
    """The GT a criterion was compared with, as people read it (None: no GT)."""
    return None if truth is None else question.kind.shown_value(truth, question.labels())


def criteria_results(request, expanded, match_all, projects, questions) -> tuple[list, dict]:
    """One page of PORTAL-SRCH-7 results: (match, video, GT cards of the matched projects, per-criterion details).

    Each card keeps only the groups of the questions that matched in its project (PORTAL-SRCH-9).
    """
    kinds = {q.pk: q.kind for q in questions.values()}
    matches = search.match_criteria(expanded, match_all=match_all, kinds=kinds)
    paging = results_page(request, matches)
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
                "wanted": wanted_text(questions[c.question_id], c.answer),
                "found": found(questions[c.question_id], m.values[c]),
                "in_project": c.project_id in m.positions,
                "ok": c in m.matched,
            }
            for c in m.criteria
        ]
        results.append((m, videos[m.video_id], own_cards, details))
    return results, paging
