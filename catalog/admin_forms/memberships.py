"""Ordered memberships (group questions, schema groups, project videos, project groups) and assignments."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError

from catalog.admin_forms.rules import listed_names
from catalog.models import (
    CustomDisplay,
    Project,
    ProjectVideo,
    QuestionGroupQuestion,
    SchemaQuestionGroup,
)
from catalog.roles import RoleError, check_pair_active, check_remove, check_role_allowed

# --------------------------------------------------------------------------- ordered memberships


class OrderedMembershipForm(forms.ModelForm):
    """A membership row whose position may be left empty: the formset then keeps the order of the rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False


class OrderedInlineFormSet(forms.BaseInlineFormSet):
    """Membership rows of one parent. Subclasses name the member field and add the set-level rules."""

    member_field: str = ""

    def live_forms(self) -> list[forms.ModelForm]:
        return [
            form
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed()) and not form.errors
        ]

    def members(self) -> list:
        out = []
        for form in self.live_forms():
            member = form.cleaned_data.get(self.member_field) or getattr(form.instance, self.member_field, None)
            if member is not None:
                out.append(member)
        return out

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # Rows without a position go after the others, in the order they were entered.
        live = self.live_forms()
        taken = [f.cleaned_data.get("position") for f in live if f.cleaned_data.get("position") is not None]
        next_position = max(taken, default=-1) + 1
        for form in live:
            if "position" in form.fields and form.cleaned_data.get("position") is None:
                form.instance.position = form.cleaned_data["position"] = next_position
                next_position += 1
        positions = [form.instance.position for form in live]
        if len(set(positions)) != len(positions):
            raise ValidationError("Two rows have the same position; give each row its own.")


class GroupQuestionFormSet(OrderedInlineFormSet):
    """DM-QG-2/4/5 for the questions of one group."""

    member_field = "question"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        group, questions = self.instance, self.members()
        if group.is_auto_submit:
            missing = [q.text for q in questions if q.default_option is None]
            if missing:
                raise ValidationError(
                    f"Auto-submit needs a default option on every question; missing on {listed_names(missing)}."
                )
        if group.is_reusable:
            displayed = list(
                CustomDisplay.objects.filter(question__in=questions)
                .values_list("question__text", flat=True)
                .distinct()[:6]
            )
            if displayed:
                names = listed_names(displayed)
                raise ValidationError(f"A reusable group may not hold questions with custom displays: {names}.")


class SchemaGroupFormSet(OrderedInlineFormSet):
    """DM-SCH-3 and DM-QG-6 for the groups of a new schema; new schemas use active groups only."""

    member_field = "group"

    def clean(self):
        super().clean()
        if any(self.errors) or (self.instance.pk and not self.has_changed()):
            return
        groups = self.members()
        if self.instance._state.adding:
            archived = [g.title for g in groups if not g.is_active]
            if archived:
                raise ValidationError(f"Archived groups cannot be added to a new schema: {listed_names(archived)}.")
            taken = list(
                SchemaQuestionGroup.objects.filter(group__in=[g for g in groups if not g.is_reusable])
                .values_list("group__title", "schema__name")
                .distinct()
            )
            if taken:
                raise ValidationError([f'Non-reusable group "{g}" already belongs to schema "{s}".' for g, s in taken])
        owners = defaultdict(list)
        for title, text in QuestionGroupQuestion.objects.filter(group__in=groups).values_list(
            "group__title", "question__text"
        ):
            owners[text].append(title)
        shared = [f'Groups {listed_names(t)} share the question "{q}".' for q, t in owners.items() if len(t) > 1]
        if shared:
            raise ValidationError(shared)


class ProjectVideoFormSet(OrderedInlineFormSet):
    """DM-PRJ-3: a new project lists active videos; an archived project's order is frozen (DM-ARCH-3)."""

    member_field = "video"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance._state.adding:
            archived = [v.video_uid for v in self.members() if not v.is_active]
            if archived:
                raise ValidationError(f"Archived videos cannot be added to a new project: {listed_names(archived)}.")
        elif self.has_changed():
            was_active = Project.objects.filter(pk=self.instance.pk).values_list("is_active", flat=True).first()
            if not was_active and not self.instance.is_active:
                raise ValidationError("An archived project's video order cannot change.")


class ProjectGroupProjectFormSet(forms.BaseInlineFormSet):
    """DM-PG-2: projects whose schemas share a question share no video (archived videos count)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        projects = [
            form.cleaned_data["project"]
            for form in self.forms
            if form.cleaned_data.get("project") and form not in self.deleted_forms
        ]
        problems = project_group_conflicts(projects)
        if problems:
            raise ValidationError(problems)


def project_group_conflicts(projects: Sequence[Project]) -> list[str]:
    """Messages for every pair of projects that may not share a group (DM-PG-2, worded as SYNC-PG-3)."""
    projects = list({p.pk: p for p in projects}.values())
    if len(projects) < 2:
        return []
    questions = defaultdict(set)
    for schema_id, question_id in SchemaQuestionGroup.objects.filter(
        schema__in={p.schema_id for p in projects}
    ).values_list("schema", "group__memberships__question"):
        questions[schema_id].add(question_id)
    videos = defaultdict(dict)
    for project_id, video_id, uid in ProjectVideo.objects.filter(project__in=projects).values_list(
        "project", "video", "video__video_uid"
    ):
        videos[project_id][video_id] = uid
    problems = []
    for i, a in enumerate(projects):
        for b in projects[i + 1 :]:
            if not questions[a.schema_id] & questions[b.schema_id]:
                continue
            shared = sorted(videos[a.pk][v] for v in videos[a.pk].keys() & videos[b.pk].keys())
            if shared:
                listed = (
                    ", ".join(shared) if len(shared) <= 5 else f"{', '.join(shared[:3])} and {len(shared) - 3} more"
                )
                problems.append(
                    f'Cannot group projects "{a.name}" and "{b.name}": they share questions and '
                    f"{len(shared)} videos: {listed}"
                )
    return problems


# --------------------------------------------------------------------------- assignments


class AssignmentForm(forms.ModelForm):
    """Checks the DM-ROLE rules before anything is saved; the admin then calls catalog.roles."""

    def clean(self):
        cleaned = super().clean()
        adding = self.instance._state.adding
        user = cleaned.get("user") if adding else self.instance.user
        project = cleaned.get("project") if adding else self.instance.project
        role = cleaned.get("role") if adding else self.instance.role
        weight = cleaned.get("user_weight")
        if weight is not None and (not math.isfinite(weight) or weight < 0):
            self.add_error("user_weight", "The weight must be a finite number ≥ 0.")
        if user is None or project is None or role is None:
            return cleaned
        if not adding and not self.changed_data:
            return cleaned
        # The checks of catalog.roles, shared with sync and bulk assignment, each shown on its field.
        try:
            check_pair_active(user, project)  # DM-ARCH-3
        except RoleError as error:
            self.add_error(None, _sentence(error))
        activating = adding or ("is_active" in self.changed_data and cleaned.get("is_active"))
        archiving = not adding and "is_active" in self.changed_data and not cleaned.get("is_active")
        if activating:
            try:
                check_role_allowed(user, role)  # DM-ROLE-3
            except RoleError as error:
                self.add_error("role" if adding else "is_active", _sentence(error))
        if archiving:
            try:
                check_remove(user=user, project=project, role=role)  # DM-ROLE-5
            except RoleError as error:
                self.add_error("is_active", _sentence(error))
        return cleaned


def _sentence(error: Exception) -> str:
    text = str(error)
    return f"{text[:1].upper()}{text[1:]}."
