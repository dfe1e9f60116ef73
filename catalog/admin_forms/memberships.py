"""Ordered memberships (group questions, schema groups, project videos, project groups) and assignments."""

from __future__ import annotations

import math
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError

from catalog.models import (
    CustomDisplay,
    Project,
    QuestionGroupQuestion,
    SchemaQuestionGroup,
)
from catalog.roles import RoleError, check_pair_active, check_remove, check_role_allowed
from catalog.set_rules import (
    ProjectOverlap,
    archived_group_problem,
    archived_video_problem,
    auto_submit_problem,
    custom_display_problem,
    frozen_project_problem,
    sentence,
    shared_question_problems,
    taken_group_problem,
)

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
        if group.is_auto_submit and (
            problem := auto_submit_problem([q.text for q in questions if q.default_option is None])
        ):
            raise ValidationError(sentence(problem))
        if group.is_reusable:
            displays = CustomDisplay.objects.filter(question__in=questions).values_list(
                "project__name", "video__video_uid", "question__text"
            )
            if problem := custom_display_problem([" / ".join(display) for display in displays]):
                raise ValidationError(sentence(problem))


class SchemaGroupFormSet(OrderedInlineFormSet):
    """DM-SCH-3 and DM-QG-6 for the groups of a new schema; new schemas use active groups only."""

    member_field = "group"

    def clean(self):
        super().clean()
        if any(self.errors) or (self.instance.pk and not self.has_changed()):
            return
        groups = self.members()
        problems = []
        if self.instance._state.adding:
            schemas = defaultdict(set)
            for group_id, name in SchemaQuestionGroup.objects.filter(
                group__in=[g for g in groups if not g.is_reusable]
            ).values_list("group_id", "schema__name"):
                schemas[group_id].add(name)
            for g in groups:
                problems.append(archived_group_problem(g.title, g.is_active))
                problems.append(taken_group_problem(g.title, g.is_reusable, schemas[g.pk]))
        questions = defaultdict(list)
        for group_id, text in QuestionGroupQuestion.objects.filter(group__in=groups).values_list(
            "group_id", "question__text"
        ):
            questions[group_id].append(text)
        problems += [problem for _, problem in shared_question_problems([(g.title, questions[g.pk]) for g in groups])]
        if any(problems):
            raise ValidationError([sentence(problem) for problem in problems if problem])


class ProjectVideoFormSet(OrderedInlineFormSet):
    """DM-PRJ-3: a new project lists active videos; an archived project's order is frozen (DM-ARCH-3)."""

    member_field = "video"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance._state.adding:
            problems = [archived_video_problem(v.video_uid, v.is_active) for v in self.members()]
            if any(problems):
                raise ValidationError([sentence(problem) for problem in problems if problem])
        elif self.has_changed():
            was_active = Project.objects.filter(pk=self.instance.pk).values_list("is_active", flat=True).first()
            if not was_active and not self.instance.is_active:
                raise ValidationError(sentence(frozen_project_problem(self.instance.name, ["video order"])))


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
        if len({p.pk for p in projects}) < 2:
            return
        problems = ProjectOverlap.load(projects).problems(projects)  # DM-PG-2, worded as SYNC-PG-3
        if problems:
            raise ValidationError([sentence(problem) for problem in problems])


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
            self.add_error(None, sentence(str(error)))
        activating = adding or ("is_active" in self.changed_data and cleaned.get("is_active"))
        archiving = not adding and "is_active" in self.changed_data and not cleaned.get("is_active")
        if activating:
            try:
                check_role_allowed(user, role)  # DM-ROLE-3
            except RoleError as error:
                self.add_error("role" if adding else "is_active", sentence(str(error)))
        if archiving:
            try:
                check_remove(user=user, project=project, role=role)  # DM-ROLE-5
            except RoleError as error:
                self.add_error("is_active", sentence(str(error)))
        return cleaned
