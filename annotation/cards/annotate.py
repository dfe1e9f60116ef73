"""What an annotator's video card shows: one panel per question group, with its form or its feedback.

Built for a whole page at once from preloaded rows (progress.py), so the query count does not grow
with the number of videos on the page (PORTAL-GEN-4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotation.cards.url_templates import UrlPattern
from annotation.forms import QuestionDisplay, QuestionGroupForm, display_for, form_prefix, prefill
from annotation.player import player_config, share_link
from annotation.progress import GroupLayout, OwnAnswers
from catalog.models import CustomDisplay, Project, QuestionGroup, Video

REVIEW_LABELS = {"approved": "approved", "rejected": "rejected", None: "pending"}


@dataclass
class QuestionFeedback:
    """PORTAL-TRN-3/4: how one submitted answer compares with the current ground truth."""

    display: QuestionDisplay
    own: str
    gt: str | None
    review: str | None = None  # description answers: approved / rejected / None (pending)

    @property
    def is_reviewed(self) -> bool:
        """Judged by a reviewer (descriptions) rather than against the ground truth."""
        return self.display.kind.is_reviewed

    @property
    def correct(self) -> bool:
        return bool(self.display.kind.grade(self.own, self.gt, None))

    @property
    def options(self):
        """(label, is_gt, is_own) per option, for the read-only display: whether the ground truth and the own
        answer choose it (one option of a single choice, any number of a multiple choice)."""
        kind = self.display.kind
        gt, own = kind.chosen_values(self.gt), kind.chosen_values(self.own)
        return [(label, value in gt, value in own) for value, label in self.display.options]

    @property
    def chose_none(self) -> tuple[bool, bool]:
        """(is_gt, is_own) of "None of these": the ground truth, and the own answer, choose no option."""
        kind = self.display.kind
        return self.gt is not None and not kind.chosen_values(self.gt), not kind.chosen_values(self.own)

    @property
    def description_message(self) -> str:
        # An empty answer is only a fault when the ground truth says something (issue 11.8).
        if self.gt is None:
            return "There is no ground truth to compare with yet"
        if self.own.strip().casefold() == self.gt.strip().casefold():
            return "Matches the ground truth exactly" if self.gt.strip() else "Matches the ground truth: both are empty"
        if not self.own.strip():
            return "Please provide an answer next time"
        return "Compare your answer with the ground truth below"

    @property
    def review_label(self) -> str:
        return REVIEW_LABELS.get(self.review, "pending")


@dataclass
class GroupPanel:
    group: QuestionGroup
    form: QuestionGroupForm
    complete: bool  # DM-DER-8: the user answered every question of the group on this video
    locked: bool = False  # training mode and already submitted (PORTAL-TRN-2)
    feedback: list[QuestionFeedback] = field(default_factory=list)
    error: str = ""
    notice: str = ""
    submit_url: str = ""

    @property
    def submit_label(self) -> str:
        return "Re-submit answers" if self.complete else "Submit answers"

    @property
    def summary(self) -> str:
        """PORTAL-TRN-5: `Already submitted (c/s correct, p pending, a approved, r rejected)`."""
        graded = [f for f in self.feedback if not f.is_reviewed]
        parts = [f"{sum(f.correct for f in graded)}/{len(graded)} correct"] if graded else []
        counts = {"pending": 0, "approved": 0, "rejected": 0}
        for f in self.feedback:
            if f.is_reviewed:
                counts[f.review_label] += 1
        parts += [f"{n} {label}" for label, n in counts.items() if n]
        return f"Already submitted ({', '.join(parts)})" if parts else "Already submitted"

    @property
    def all_correct(self) -> bool:
        graded = [f for f in self.feedback if not f.is_reviewed]
        return all(f.correct for f in graded) and not any(f.review == "rejected" for f in self.feedback)


@dataclass
class VideoCard:
    video: Video
    number: int  # 1-based position in V(P)
    player: dict
    panels: list[GroupPanel]
    url: str = ""  # this card's deep link (PORTAL-GEN-2)
    answers_url: str = ""  # the answer panels alone, for htmx refreshes
    active_group_id: int | None = None

    @property
    def complete_count(self) -> int:
        return sum(p.complete for p in self.panels)

    @property
    def selected_group_id(self) -> int | None:
        """The open tab: the last submitted group, else the first."""
        return selected_group_id(self)

    @property
    def dom_id(self) -> str:
        return f"card-{self.video.pk}"


def build_cards(
    *,
    project: Project,
    videos: list[tuple[int, Video]],
    layout: list[GroupLayout],
    own: OwnAnswers,
    gt: dict[tuple[int, int], str],
    customs: list[CustomDisplay],
    training: bool,
    bound: dict[tuple[int, int], QuestionGroupForm] | None = None,
) -> list[VideoCard]:
    """One card per (number, video). `bound` replaces a panel's form, e.g. after a failed submission."""
    use_custom = project.schema.has_custom_display
    custom_by_key = {(c.video_id, c.question_id): c for c in customs}
    bound = bound or {}
    video_url, submit_url = UrlPattern("annotate:video", 2), UrlPattern("annotate:submit", 3)
    cards = []
    for number, video in videos:
        panels = []
        for g in layout:
            displays = [display_for(q, custom_by_key.get((video.pk, q.pk)), use_custom=use_custom) for q in g.questions]
            values = {q.pk: own.values.get((video.pk, q.pk)) for q in g.questions}
            complete = bool(g.questions) and all(v is not None for v in values.values())
            locked = training and complete
            prefix = form_prefix(video.pk, g.group.pk)
            form = bound.get((video.pk, g.group.pk))
            if form is None:
                # Training: nothing is pre-selected, so a trainee cannot submit without choosing (issue 11.8).
                initial = {
                    d.field_name: values[d.question.pk] if training else prefill(d.question, values[d.question.pk])
                    for d in displays
                }
                form = QuestionGroupForm(displays, initial=initial, prefix=prefix, read_only=locked)
            panel = GroupPanel(
                group=g.group,
                form=form,
                complete=complete,
                locked=locked,
                submit_url=submit_url(project.pk, video.pk, g.group.pk),
            )
            if locked:
                panel.feedback = [
                    QuestionFeedback(
                        display=d,
                        own=values[d.question.pk],
                        gt=gt.get((video.pk, d.question.pk)),
                        review=own.reviews.get((video.pk, d.question.pk)),
                    )
                    for d in displays
                ]
            panels.append(panel)
        cards.append(
            VideoCard(
                video=video,
                number=number,
                player=player_config(video, share_url=share_link(video.pk, project.pk, "annotate")),
                panels=panels,
                url=(url := video_url(project.pk, video.pk)),
                answers_url=f"{url}?fragment=answers",
            )
        )
    return cards


def selected_group_id(card) -> int | None:
    """The open tab of any card type with `panels` and `active_group_id`: the last submitted group, else the
    first."""
    if card.active_group_id is not None:
        return card.active_group_id
    return card.panels[0].group.pk if card.panels else None


def show_notes(cards, notes: dict[tuple[int, int], tuple[str, str]] | None) -> None:
    """Put a submission's (error, notice) on its panel and open that tab; any card type with `panels`."""
    for (video_id, group_id), (error, notice) in (notes or {}).items():
        for card in cards:
            if card.video.pk != video_id:
                continue
            card.active_group_id = group_id
            for panel in card.panels:
                if panel.group.pk == group_id:
                    panel.error, panel.notice = error, notice
