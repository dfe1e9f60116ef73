"""What a reviewer's or meta-reviewer's video card shows (PORTAL-REV-2..7, PORTAL-META-3..5).

Built for a whole page from rows loaded once per page, so the number of queries does not grow with the
videos on the page or the annotators selected (PORTAL-GEN-4).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from annotation.cards.annotate import selected_group_id
from annotation.cards.initials import unique_initials
from annotation.forms import QuestionDisplay, QuestionGroupForm, display_for, form_prefix
from annotation.ground_truth import GT_TOKEN_FIELDS, REVIEW_TOKEN_FIELDS, digest
from annotation.models import Answer, AnswerReview, GroundTruth
from annotation.player import player_config, share_link
from annotation.progress import GroupLayout, ProjectFigures
from catalog.models import Assignment, CustomDisplay, Project, QuestionGroup, User, Video

MAX_NAMED_ANSWERS = 6  # PORTAL-REV-5: more answers than this are labelled with initials


# --------------------------------------------------------------------------- annotator selection


@dataclass
class Answerer:
    user: User
    progress: float
    label: str = ""  # the page's unique short label (set by the view once it knows everyone on the page)

    @property
    def display(self) -> str:
        return f"{self.user.user_id} ({self.label or self.user.initials})"

    @property
    def completed(self) -> bool:
        return self.progress >= 100


@dataclass
class Selection:
    """PORTAL-REV-2: the project's answerers, split completed / incomplete, and who is selected."""

    answerers: list[Answerer]
    selected_ids: list[int]

    @property
    def completed(self) -> list[Answerer]:
        return [a for a in self.answerers if a.completed]

    @property
    def incomplete(self) -> list[Answerer]:
        return [a for a in self.answerers if not a.completed]

    @property
    def selected(self) -> list[User]:
        chosen = set(self.selected_ids)
        return [a.user for a in self.answerers if a.user.pk in chosen]

    @property
    def status(self) -> str:
        return f"{len(self.selected_ids)} selected • {len(self.completed)} completed • {len(self.answerers)} total"


def answerers(project: Project, figures: ProjectFigures) -> list[Answerer]:
    """DM-DER-9: active users with at least one answer in P, model users included (two queries)."""
    counts = dict(
        Answer.objects.for_project(project)
        .in_scope()
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    users = User.objects.active().filter(pk__in=counts)
    total = figures.total
    result = [Answerer(u, counts[u.pk] / total * 100 if total else 0.0) for u in users]
    return sorted(result, key=lambda a: a.user.display_name.lower())


def selection(people: list[Answerer], requested: list[str] | None) -> Selection:
    """`requested` is the `ann` query values (None when absent): default = the first 3 completed by name."""
    known = {a.user.pk for a in people}
    if requested is None:
        ids = [a.user.pk for a in people if a.completed][:3]
    else:
        ids = [int(v) for v in requested if v.isdigit() and int(v) in known]
    return Selection(people, ids)


# --------------------------------------------------------------------------- the card


@dataclass(frozen=True)
class Voter:
    """One selected annotator's vote for an option: a page-unique short label, the full name on hover."""

    label: str  # unique on the page (annotation/cards/initials.py)
    name: str  # user id, for the hover text
    is_model: bool
    confidence: float | None  # model users' confidence, when given

    @property
    def text(self) -> str:
        """PORTAL-REV-3: "ML", or "M1 (0.87)" for a model with a confidence score."""
        return self.label + (f" ({self.confidence:.2f})" if self.confidence is not None else "")

    @property
    def hover(self) -> str:
        kind = " · model" if self.is_model else ""
        score = f" · confidence {self.confidence:.2f}" if self.confidence is not None else ""
        return f"{self.name}{kind}{score}"


@dataclass
class OptionVote:
    value: str
    label: str
    pct: int | None  # None: nobody selected chose it
    voters: list[Voter]
    is_gt: bool

    @property
    def text(self) -> str:
        """PORTAL-REV-3: `<label> — <pct>%: <initials>, … | GT` (the option's hover text)."""
        text = self.label
        if self.pct is not None:
            text += f" — {self.pct}%: {', '.join(v.text for v in self.voters)}"
        return text + (" | GT" if self.is_gt else "")


@dataclass
class DescriptionAnswer:
    answer_id: int
    label: str
    text: str
    status: str  # pending / approved / rejected
    reviewer_name: str | None
    reviewed_by_other: bool


@dataclass
class QuestionHelp:
    display: QuestionDisplay
    votes: list[OptionVote] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    gt_by: str | None = None
    overridden_by: str | None = None
    gt_value: str | None = None
    descriptions: list[DescriptionAnswer] = field(default_factory=list)
    voted: list[str] = field(default_factory=list)  # the selected annotators' stored answers (with options)

    @property
    def caption(self) -> str:
        """PORTAL-REV-4."""
        parts = [f"Answered: {', '.join(self.answered) or '—'}", f"Missing: {', '.join(self.missing) or '—'}"]
        if self.gt_by is None:
            parts.append("No GT")
        else:
            by = f"GT by: {self.gt_by}"
            if self.overridden_by:
                by += f" (overridden by {self.overridden_by})"
            parts.append(by)
        return " | ".join(parts)


@dataclass
class ReviewPanel:
    group: QuestionGroup
    form: QuestionGroupForm
    helps: list[QuestionHelp]
    version: str
    complete: bool  # every question has GT (DM-DER-8)
    has_gt: bool
    overridden_by: str | None  # set when any question is overridden (PORTAL-REV-7)
    meta: bool
    error: str = ""
    notice: str = ""
    attempted: list[tuple[str, str]] = field(default_factory=list)  # a conflicting submit's values
    search_mode: str | None = None  # search portal: "create", "resubmit" or "override" (PORTAL-SRCH-4)
    read_only: bool = False  # archived projects in the search portal

    @property
    def group_id(self) -> int:
        return self.group.pk

    @property
    def title(self) -> str:
        return self.group.display_title

    @property
    def locked(self) -> bool:
        return self.read_only or (not self.meta and self.overridden_by is not None)

    @property
    def submit_label(self) -> str:
        if self.read_only:
            return "Archived project (read-only)"
        if self.search_mode is not None:
            return {"create": "Submit ground truth", "resubmit": "Re-submit ground truth"}.get(
                self.search_mode, "Override ground truth"
            )
        if self.meta:
            return "Override ground truth" if self.has_gt else "No ground truth yet"
        if self.locked:
            return "Overridden by admin"
        return "Re-submit ground truth" if self.complete else "Submit ground truth"

    @property
    def submit_disabled(self) -> bool:
        return self.locked or (self.meta and not self.has_gt)

    def help_for(self, field_name: str) -> QuestionHelp | None:
        return next((h for h in self.helps if h.display.field_name == field_name), None)

    def rows(self):
        """(display, bound field, help) per question, for the template."""
        return [(d, f, self.help_for(d.field_name)) for d, f in self.form.rows()]


@dataclass
class ReviewCard:
    video: Video
    number: int
    player: dict
    panels: list[ReviewPanel]
    project: Project | None = None
    active_group_id: int | None = None
    multi: bool = False  # a page with several projects per video (search): ids name the project too

    @property
    def complete_count(self) -> int:
        return sum(p.complete for p in self.panels)

    @property
    def dom_id(self) -> str:
        return f"card-p{self.project.pk}-{self.video.pk}" if self.multi else f"card-{self.video.pk}"

    @property
    def selected_group_id(self) -> int | None:
        return selected_group_id(self)

    @property
    def gt_percent(self) -> float:
        """Share of the card's questions with GT, for the search portal's per-video bar."""
        helps = [h for p in self.panels for h in p.helps]
        return sum(h.gt_by is not None for h in helps) / len(helps) * 100 if helps else 0.0

    @property
    def search_status(self) -> str:
        """PORTAL-SRCH-4: complete GT / partial / no GT on this video."""
        if self.panels and all(p.complete for p in self.panels):
            return "complete GT"
        return "partial" if any(p.has_gt for p in self.panels) else "no GT"


def page_rows(project: Project, video_ids: list[int], selected: list[User]):
    """GT rows, the selected annotators' answers and every review tuple on the page (three queries)."""
    gt = list(
        GroundTruth.objects.filter(project=project, video_id__in=video_ids).select_related("reviewer", "overridden_by")
    )
    answers = list(
        Answer.objects.filter(project=project, video_id__in=video_ids, user__in=selected).select_related(
            "user", "review__reviewer"
        )
    )
    reviews = list(
        AnswerReview.objects.filter(answer__project=project, answer__video_id__in=video_ids).values_list(
            "answer__video_id", "answer__question_id", *REVIEW_TOKEN_FIELDS
        )
    )
    return gt, answers, reviews


def project_staff(project: Project) -> list[User]:
    """Everyone who may write the project's GT (reviewer and admin rows, archived ones too): one query. With
    the answerers they are everyone a review page can name, so its labels do not shift as GT is written."""
    return list(
        User.objects.filter(
            assignments__project=project, assignments__role__in=[Assignment.Role.REVIEWER, Assignment.Role.ADMIN]
        ).distinct()
    )


def page_labels(people: list[User], gt_rows: list[GroundTruth], answers: list[Answer]) -> dict[int, str]:
    """Short labels, unique on the page, for everyone the cards may name: `people` (the answerers and the GT
    writers, or the viewer), GT reviewers and overriders, answerers and the reviewers of description answers
    (issue 11.8: "R1" was both Robot 1 and Reviewer 1)."""
    people = list(people)
    people += [u for g in gt_rows for u in (g.reviewer, g.overridden_by) if u is not None]
    people += [a.user for a in answers]
    people += [r.reviewer for a in answers if (r := getattr(a, "review", None)) is not None]
    return unique_initials(people)


def build_review_cards(
    *,
    project: Project,
    videos: list[tuple[int, Video]],
    layout: list[GroupLayout],
    gt_rows: list[GroundTruth],
    answers: list[Answer],
    all_reviews: list[tuple],
    selected: list[User],
    customs: list[CustomDisplay],
    reviewer: User,
    meta: bool,
    bound: dict | None = None,
    labels: dict[int, str] | None = None,
) -> list[ReviewCard]:
    """`all_reviews`: (video_id, question_id, *REVIEW_TOKEN_FIELDS) for every reviewed answer on the page.
    `labels`: the page's short labels (page_labels); a page of several card batches passes one for all."""
    labels = labels if labels is not None else page_labels(selected, gt_rows, answers)
    panels = _PanelBuilder(
        project=project,
        gt_rows=gt_rows,
        answers=answers,
        all_reviews=all_reviews,
        selected=selected,
        customs=customs,
        reviewer=reviewer,
        meta=meta,
        bound=bound or {},
        names=Names(labels),
    )
    cards = []
    for number, video in videos:
        video_panels = [panels.panel(video, g) for g in layout]
        cards.append(
            ReviewCard(
                video=video,
                number=number,
                player=player_config(video, share_url=share_link(video.pk, project.pk, "meta" if meta else "review")),
                panels=video_panels,
                project=project,
            )
        )
    return cards


class _PanelBuilder:
    """The page's rows by (video, question), indexed once, and one group's review panel on one video."""

    def __init__(
        self,
        *,
        project: Project,
        gt_rows: list[GroundTruth],
        answers: list[Answer],
        all_reviews: list[tuple],
        selected: list[User],
        customs: list[CustomDisplay],
        reviewer: User,
        meta: bool,
        bound: dict,
        names: Names,
    ) -> None:
        self.selected, self.reviewer, self.meta, self.bound, self.names = selected, reviewer, meta, bound, names
        self.use_custom = project.schema.has_custom_display
        self.custom_by_key = {(c.video_id, c.question_id): c for c in customs}
        self.gt_by_key = {(g.video_id, g.question_id): g for g in gt_rows}
        self.answers_by_key: dict[tuple[int, int], list[Answer]] = defaultdict(list)
        for a in answers:
            self.answers_by_key[(a.video_id, a.question_id)].append(a)
        self.reviews_by_key: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        for video_id, question_id, *review in all_reviews:
            self.reviews_by_key[(video_id, question_id)].append(tuple(review))
        self.order = {u.pk: i for i, u in enumerate(selected)}

    def panel(self, video: Video, g: GroupLayout) -> ReviewPanel:
        displays = [
            display_for(q, self.custom_by_key.get((video.pk, q.pk)), use_custom=self.use_custom) for q in g.questions
        ]
        gts = {q.pk: self.gt_by_key.get((video.pk, q.pk)) for q in g.questions}
        token = digest(
            [tuple(getattr(row, f) for f in GT_TOKEN_FIELDS) for row in gts.values() if row],
            [r for q in g.questions for r in self.reviews_by_key[(video.pk, q.pk)]],
        )
        helps = [self._help(video, d, gts[d.question.pk]) for d in displays]
        overridden = next((r.overridden_by for r in gts.values() if r and r.overridden_by_id), None)
        form = self.bound.get((video.pk, g.group.pk))
        if form is None:
            initial = {d.field_name: gt_prefill(d, gts[d.question.pk], helps[i]) for i, d in enumerate(displays)}
            read_only = not self.meta and overridden is not None
            form = QuestionGroupForm(
                displays, initial=initial, prefix=form_prefix(video.pk, g.group.pk), read_only=read_only
            )
        return ReviewPanel(
            group=g.group,
            form=form,
            helps=helps,
            version=token,
            complete=bool(g.questions) and all(gts.values()),
            has_gt=any(gts.values()),
            overridden_by=self.names(overridden) if overridden else None,
            meta=self.meta,
        )

    def _help(self, video: Video, d: QuestionDisplay, row: GroundTruth | None) -> QuestionHelp:
        order = self.order
        given = sorted(self.answers_by_key[(video.pk, d.question.pk)], key=lambda a: order.get(a.user_id, 0))
        return _help(d, row, given, self.selected, self.reviewer, self.names)


class Names:
    """`user_id (label)` with the page's unique label in place of DM-DER-10's initials."""

    def __init__(self, labels: dict[int, str]) -> None:
        self.labels = labels

    def label(self, user: User) -> str:
        return self.labels.get(user.pk, user.initials)

    def __call__(self, user: User) -> str:
        return f"{user.user_id} ({self.label(user)})"


def gt_prefill(d: QuestionDisplay, row: GroundTruth | None, help_: QuestionHelp) -> str | None:
    """What a GT form starts with (PORTAL-PRJ-9, narrowed by issue 11.8): the GT; else what the type takes from
    the selected annotators' answers (`review_prefill`: a single choice's default option, but only when one of
    them chose it; a multiple choice's options at least half of them ticked); else nothing, so a reviewer never
    submits an option nobody chose without picking it. Questions without options (descriptions) start empty."""
    if row is not None:
        return row.value
    if not d.kind.has_options:
        return ""
    return d.kind.review_prefill(d.question, help_.voted)


def _help(
    d: QuestionDisplay, row, given: list[Answer], selected: list[User], reviewer: User, names: Names
) -> QuestionHelp:
    help_ = QuestionHelp(display=d)
    answered_ids = {a.user_id for a in given}
    help_.answered = [names(u) for u in selected if u.pk in answered_ids]
    help_.missing = [names(u) for u in selected if u.pk not in answered_ids]
    if row is not None:
        help_.gt_by = names(row.reviewer)
        help_.overridden_by = names(row.overridden_by) if row.overridden_by_id else None
        help_.gt_value = row.value
    if d.kind.has_options:  # vote shares per option; otherwise each answer with its review control
        help_.voted = [a.value for a in given]
        by_value: dict[str, list[Answer]] = defaultdict(list)
        for a in given:  # a multiple-choice answer votes for each option it ticks (or for "None of these")
            for choice in d.kind.choices_in(a.value):
                by_value[choice].append(a)
        gt_marks = set(d.kind.choices_in(row.value)) if row is not None else set()
        for value, label in d.kind.share_rows(d.options):
            voters = by_value.get(value, [])
            pct = round(len(voters) / len(given) * 100) if voters else None
            people = [
                Voter(
                    label=names.label(a.user),
                    name=a.user.user_id,
                    is_model=a.user.is_model,
                    confidence=a.confidence_score if a.user.is_model else None,
                )
                for a in voters
            ]
            help_.votes.append(OptionVote(value, label, pct, people, value in gt_marks))
    else:
        many = len(given) > MAX_NAMED_ANSWERS
        for a in given:
            review = getattr(a, "review", None)
            help_.descriptions.append(
                DescriptionAnswer(
                    answer_id=a.pk,
                    label=names.label(a.user) if many else names(a.user),
                    text=a.value,
                    status=review.status if review else "pending",
                    reviewer_name=names(review.reviewer) if review else None,
                    reviewed_by_other=review is not None and review.reviewer_id != reviewer.pk,
                )
            )
    return help_
