"""Field rules and the archive rules (DM-CONV-3, DM-ARCH-1) shared by the admin forms."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from catalog.models import (
    Project,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
)
from catalog.question_activity import refresh_question_activity
from catalog.set_rules import archive_problem, sentence, unarchive_groups_problem, unarchive_schema_problem
from catalog.validation import (
    instructions_url_problem,
    metadata_problem,
    natural_key_problem,
    video_url_problem,
)
from catalog.wording import quote

# --------------------------------------------------------------------------- field rules


def _validator(problem_of):
    """A form validator from one of the shared rule functions, which return a message or None."""

    def validate(value) -> None:
        problem = problem_of(value)
        if problem:
            raise ValidationError(sentence(problem))

    return validate


# One implementation of each value rule, shared with sync (catalog.validation).
validate_natural_key = _validator(natural_key_problem)  # DM-CONV-3
validate_video_url = _validator(video_url_problem)  # DM-VID-2/3
validate_instructions_url = _validator(instructions_url_problem)  # DM-SCH-1


def validate_metadata(value) -> None:
    """DM-VID-4: a JSON object whose values are never null, at any depth."""
    problem = metadata_problem(value)
    if problem:
        message = problem if problem.startswith("metadata") else f"metadata {problem}"
        raise ValidationError(sentence(message))


def strict_key_fields(form: forms.BaseForm, *names: str) -> None:
    """Make these fields reject surrounding whitespace instead of silently trimming it (DM-CONV-3)."""
    for name in names:
        field = form.fields.get(name)
        if isinstance(field, forms.CharField):
            field.strip = False
            field.validators.append(validate_natural_key)


# --------------------------------------------------------------------------- archiving (DM-ARCH-1)


def active_change_problems(objs: Sequence[models.Model], active: bool, *, actor: User | None = None) -> list[str]:
    """Why these rows may not be archived (active=False) or unarchived (active=True); empty when they may."""
    if not objs:
        return []
    model = type(objs[0])
    pks = [obj.pk for obj in objs]
    problems: list[str] = []
    if model is Schema and not active:
        users = defaultdict(list)
        for schema, project in Project.objects.active().filter(schema__in=pks).values_list("schema__name", "name"):
            users[schema].append(project)
        problems += [_about("Schema", s, archive_problem("projects", p)) for s, p in users.items()]
    elif model is Schema and active:
        archived = defaultdict(list)
        for schema, group in (
            SchemaQuestionGroup.objects.filter(schema__in=pks, group__is_active=False)
            .order_by("position")
            .values_list("schema__name", "group__title")
        ):
            archived[schema].append(group)
        problems += [_about("Schema", s, unarchive_groups_problem(g)) for s, g in archived.items()]
    elif model is QuestionGroup and not active:
        users = defaultdict(list)
        for group, schema in SchemaQuestionGroup.objects.filter(group__in=pks, schema__is_active=True).values_list(
            "group__title", "schema__name"
        ):
            users[group].append(schema)
        problems += [_about("Question group", g, archive_problem("schemas", s)) for g, s in users.items()]
    elif model is Project and active:
        for name, schema in Project.objects.filter(pk__in=pks, schema__is_active=False).values_list(
            "name", "schema__name"
        ):
            problems.append(_about("Project", name, unarchive_schema_problem(schema, False)))
    elif model is User and not active and actor is not None and actor.pk in pks:
        problems.append("You cannot archive your own account.")
    return problems


def _about(kind: str, name: str, problem: str) -> str:
    """A list action's message names the row: 'Schema "Food": cannot archive: …'."""
    return f"{kind} {quote(name)}: {problem}."


def after_active_change(model: type[models.Model], pks: Iterable[int]) -> None:
    """Side effects of archiving or unarchiving that the flag alone does not carry."""
    if model is QuestionGroup:
        refresh_question_activity(
            QuestionGroupQuestion.objects.filter(group__in=list(pks)).values_list("question_id", flat=True)
        )


class ArchiveRulesMixin:
    """Checks DM-ARCH-1 when the change form flips `is_active`. The admin sets `actor` on the class."""

    actor: User | None = None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "is_active" in self.changed_data and "is_active" in cleaned:
            for problem in active_change_problems([self.instance], cleaned["is_active"], actor=self.actor):
                self.add_error("is_active", problem)
        return cleaned


class ArchivableForm(ArchiveRulesMixin, forms.ModelForm):
    pass
