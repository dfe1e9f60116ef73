"""Forms and rule checks behind the admin site (PORTAL-ADM-2).

The admin saves nothing when a rule fails: every check here reports a form error (or, for list actions,
a message) before any row is written. Role changes go through catalog.roles, the one implementation
shared with sync and bulk assignment.

Value rules come from catalog.validation and syncing.records, shared with sync. The set-level checks
here (DM-QG-4/5/6, DM-SCH-3, DM-PG-2, the archive rules of DM-ARCH-1) mirror what the sync steps check
inside their batch runs; a shared module for them would let both call one implementation.
"""

from __future__ import annotations

import inspect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import mark_safe

from catalog.models import (
    Assignment,
    CustomDisplay,
    Project,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
)
from catalog.roles import RoleError, check_pair_active, check_remove, check_role_allowed, check_user_type_change
from catalog.validation import (
    MAX_OPTIONS,
    instructions_url_problem,
    metadata_problem,
    removed_options,
    video_url_problem,
)
from syncing.records import is_number, natural_key_problem
from syncing.verification import get_registry

# --------------------------------------------------------------------------- field rules


def _validator(problem_of):
    """A form validator from one of the shared rule functions, which return a message or None."""

    def validate(value) -> None:
        problem = problem_of(value)
        if problem:
            raise ValidationError(problem[0].upper() + problem[1:] + ".")

    return validate


# One implementation of each value rule, shared with sync (catalog.validation, syncing.records).
validate_natural_key = _validator(natural_key_problem)  # DM-CONV-3
validate_video_url = _validator(video_url_problem)  # DM-VID-2/3
validate_instructions_url = _validator(instructions_url_problem)  # DM-SCH-1


def validate_metadata(value) -> None:
    """DM-VID-4: a JSON object whose values are never null, at any depth."""
    problem = metadata_problem(value)
    if problem:
        message = problem if problem.startswith("metadata") else f"metadata {problem}"
        raise ValidationError(message[0].upper() + message[1:] + ".")


def _natural_key_fields(form: forms.BaseForm, *names: str) -> None:
    """Make these fields reject surrounding whitespace instead of silently trimming it (DM-CONV-3)."""
    for name in names:
        field = form.fields.get(name)
        if isinstance(field, forms.CharField):
            field.strip = False
            field.validators.append(validate_natural_key)


def _names(items: Iterable, limit: int = 5) -> str:
    items = [f'"{item}"' for item in items]
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


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
        for schema, project in Project.objects.filter(schema__in=pks, is_active=True).values_list(
            "schema__name", "name"
        ):
            users[schema].append(project)
        problems += [f'Schema "{s}" is used by active projects {_names(p)}.' for s, p in users.items()]
    elif model is Schema and active:
        archived = defaultdict(list)
        for schema, group in SchemaQuestionGroup.objects.filter(schema__in=pks, group__is_active=False).values_list(
            "schema__name", "group__title"
        ):
            archived[schema].append(group)
        problems += [f'Schema "{s}" has archived question groups {_names(g)}.' for s, g in archived.items()]
    elif model is QuestionGroup and not active:
        users = defaultdict(list)
        for group, schema in SchemaQuestionGroup.objects.filter(group__in=pks, schema__is_active=True).values_list(
            "group__title", "schema__name"
        ):
            users[group].append(schema)
        problems += [f'Question group "{g}" is used by active schemas {_names(s)}.' for g, s in users.items()]
    elif model is Project and active:
        for name, schema in Project.objects.filter(pk__in=pks, schema__is_active=False).values_list(
            "name", "schema__name"
        ):
            problems.append(f'Project "{name}" cannot be unarchived: its schema "{schema}" is archived.')
    elif model is User and not active and actor is not None and actor.pk in pks:
        problems.append("You cannot archive your own account.")
    return problems


def refresh_question_activity(question_ids: Iterable[int]) -> None:
    """DM-Q-6: a question is active exactly when at least one active group contains it."""
    question_ids = set(question_ids)
    if not question_ids:
        return
    active_ids = set(
        QuestionGroupQuestion.objects.filter(question_id__in=question_ids, group__is_active=True).values_list(
            "question_id", flat=True
        )
    )
    now = timezone.now()
    Question.objects.filter(pk__in=active_ids, is_active=False).update(is_active=True, updated_at=now)
    Question.objects.filter(pk__in=question_ids - active_ids, is_active=True).update(is_active=False, updated_at=now)


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


# --------------------------------------------------------------------------- users


class UserTypeRulesMixin:
    """DM-USR-2: humans and admins have an email; model users have none."""

    def clean_email(self):
        email = self.cleaned_data.get("email")
        return email.strip().lower() if email else None

    def _check_email_for_type(self, user_type: str | None) -> None:
        email = self.cleaned_data.get("email")
        if user_type == User.UserType.MODEL and email:
            self.add_error("email", "Model users have no email; leave it empty.")
        elif user_type in (User.UserType.HUMAN, User.UserType.ADMIN) and not email and "email" not in self.errors:
            self.add_error("email", "Human and admin users need an email: it is their login.")


class LabelPizzaUserCreationForm(UserTypeRulesMixin, BaseUserCreationForm):
    """Create a user. Humans and admins get a hashed password; model users get none (DM-USR-2)."""

    class Meta:
        model = User
        fields = ("user_id", "email", "user_type", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _natural_key_fields(self, "user_id")
        self.fields["password1"].required = False
        self.fields["password2"].required = False
        self.fields["password1"].help_text = "Required for human and admin users; leave empty for model users."
        if "is_active" in self.fields:
            self.fields["is_active"].help_text = "Untick to create the user archived."

    def clean(self):
        user_type = self.cleaned_data.get("user_type")
        self._check_email_for_type(user_type)
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if user_type == User.UserType.MODEL:
            if password1 or password2:
                self.add_error("password1", "Model users have no password; they use an API token.")
        elif user_type:
            if not password1:
                self.add_error("password1", "Human and admin users need a password.")
            if not password2:
                self.add_error("password2", "Enter the same password again.")
        return super().clean()

    def set_password_and_save(self, user, password_field_name="password1", commit=True):
        if user.user_type == User.UserType.MODEL:
            user.set_unusable_password()
            if commit:
                user.save()
            return user
        return super().set_password_and_save(user, password_field_name, commit)


def user_type_change_effects(user: User, new_type: str) -> str | None:
    """What saving human↔admin will do to the user's project roles (DM-ROLE-6/7), in words; None otherwise."""
    old_type = user.user_type
    if old_type == User.UserType.HUMAN and new_type == User.UserType.ADMIN:
        projects = Project.objects.count()
        return (
            f'Promoting "{user.user_id}" to admin makes them a global admin: they get active annotator, reviewer '
            f"and admin rows in all {projects} project{'s' if projects != 1 else ''}, archived ones included, "
            "and in every project created later. Existing weights are kept; new pairs get 1.0 (DM-ROLE-6)."
        )
    if old_type == User.UserType.ADMIN and new_type == User.UserType.HUMAN:
        rows = Assignment.objects.filter(user=user, is_active=True)
        n_rows, n_projects = rows.count(), rows.values("project").distinct().count()
        return (
            f'Demoting "{user.user_id}" to human archives all {n_rows} active role row{"s" if n_rows != 1 else ""} '
            f"they hold in {n_projects} project{'s' if n_projects != 1 else ''}: they lose access everywhere and "
            "must be assigned again to get it back (DM-ROLE-7)."
        )
    return None


class LabelPizzaUserChangeForm(UserTypeRulesMixin, ArchiveRulesMixin, UserChangeForm):
    """Edit a user: rename (DM-CONV-4), email, human↔admin (DM-USR-3) and archived state.

    A human↔admin change is explained first and saved only once `confirm_type_change` is ticked.
    """

    confirm_type_change = forms.BooleanField(
        required=False,
        label="Confirm the role changes",
        help_text="Needed when the type changes between human and admin; the form explains the effect first.",
    )

    class Meta:
        model = User
        fields = ("user_id", "email", "user_type", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _natural_key_fields(self, "user_id")
        if "user_type" in self.fields:
            self.fields["user_type"].help_text = (
                "Human → admin gives annotator, reviewer and admin roles in every project; admin → human archives "
                "every role of the user (DM-ROLE-6/7). Model users can never change type."
            )

    def clean(self):
        cleaned = super().clean()
        new_type = cleaned.get("user_type", self.instance.user_type)
        try:
            check_user_type_change(self.instance, self.instance.user_type, new_type)
        except RoleError as error:
            self.add_error("user_type", str(error))
        self._check_email_for_type(new_type)
        effects = user_type_change_effects(self.instance, new_type) if self.instance.pk else None
        if effects and "user_type" not in self.errors and not cleaned.get("confirm_type_change"):
            self.add_error("confirm_type_change", f"{effects} Tick “Confirm the role changes” and save again.")
        if (
            self.actor is not None
            and self.actor.pk == self.instance.pk
            and self.instance.user_type == User.UserType.ADMIN
            and new_type != User.UserType.ADMIN
        ):
            self.add_error("user_type", "You cannot demote your own account.")
        return cleaned


class LabelPizzaPasswordChangeForm(AdminPasswordChangeForm):
    """Set a new password. Humans and admins always keep a usable one (DM-USR-2), so no 'disable' choice."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = True
        self.fields["password2"].required = True


# --------------------------------------------------------------------------- videos and questions


class VideoForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _natural_key_fields(self, "video_uid")
        if "url" in self.fields:
            self.fields["url"].validators.append(validate_video_url)
        if "metadata" in self.fields:
            self.fields["metadata"].validators.append(validate_metadata)
            self.fields["metadata"].help_text = "A JSON object; values may not be null (DM-VID-4)."


def _check_unique_strings(values, what: str) -> str | None:
    if not isinstance(values, list) or not values:
        return f"{what} must be a non-empty list."
    if not all(isinstance(v, str) and v for v in values):
        return f"{what} must hold non-empty strings."
    if len(set(values)) != len(values):
        return f"{what} must be unique."
    return None


class OptionRowsWidget(forms.Widget):
    """A single question's options as rows of value, label and weight (PORTAL-ADM-7).

    Row i posts `<name>-value-i`, `<name>-label-i` and `<name>-weight-i`; rows are read in index order, so
    static/js/admin_order.js renumbers the names when it moves a row. Stored values are read-only.
    """

    parts = ("value", "label", "weight")

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.locked: set[str] = set()

    def value_from_datadict(self, data, files, name):
        found = re.compile(rf"^{re.escape(name)}-(?:value|label|weight)-(\d+)$")
        indices = sorted({int(m.group(1)) for key in data if (m := found.match(key))})
        rows = []
        for i in indices:
            row = {part: data.get(f"{name}-{part}-{i}", "") for part in self.parts}
            if any(str(v).strip() for v in row.values()):
                rows.append(row)
        return rows

    def value_omitted_from_data(self, data, files, name):
        return False

    @classmethod
    def as_data(cls, name: str, rows) -> dict:
        """What a browser posts for these rows (used by tests)."""
        return {f"{name}-{part}-{i}": row.get(part, "") for i, row in enumerate(rows or []) for part in cls.parts}

    def render(self, name, value, attrs=None, renderer=None):
        rows = list(value or [])
        body = format_html_join(
            "",
            "{}",
            ((self._row(name, i, row, row.get("value") in self.locked),) for i, row in enumerate(rows)),
        )
        blank = self._row(name, len(rows), {}, False) if len(rows) < MAX_OPTIONS else ""
        return format_html(
            '<div class="lp-option-rows" data-lp-option-rows="{}" data-max="{}">'
            "<table><thead><tr><th>Value</th><th>Label</th><th>Weight</th><th>Order</th></tr></thead>"
            "<tbody>{}{}</tbody></table>"
            '<p><button type="button" class="button" data-lp-append>Append option</button> '
            '<span class="lp-sub">at most {} options; empty rows are ignored</span></p></div>',
            name,
            MAX_OPTIONS,
            body,
            blank,
            MAX_OPTIONS,
        )

    @staticmethod
    def _row(name: str, i: int, row: dict, locked: bool):
        value = format_html(
            '<input type="text" name="{}-value-{}" value="{}" aria-label="Value"{}>',
            name,
            i,
            row.get("value", ""),
            mark_safe(' readonly class="lp-locked" title="Stored values are read-only (DM-Q-4)"') if locked else "",
        )
        return format_html(
            "<tr data-lp-row{}><td>{}</td>"
            '<td><input type="text" name="{}-label-{}" value="{}" aria-label="Label"></td>'
            '<td><input type="number" step="any" min="0" name="{}-weight-{}" value="{}" aria-label="Weight"'
            ' class="lp-weight"></td>'
            '<td class="lp-order-buttons"><button type="button" class="button" data-lp-up title="Move up">↑</button>'
            '<button type="button" class="button" data-lp-down title="Move down">↓</button></td></tr>',
            " data-lp-locked" if locked else "",
            value,
            name,
            i,
            row.get("label", ""),
            name,
            i,
            row.get("weight", ""),
        )


class OptionRowsField(forms.Field):
    widget = OptionRowsWidget

    def to_python(self, value):
        """Rows of strings → [(value, label, weight or None)]; a bad weight is reported with its row."""
        out, errors = [], []
        for number, row in enumerate(value or [], start=1):
            weight = str(row.get("weight", "")).strip()
            try:
                weight = float(weight) if weight else None
            except ValueError:
                errors.append(f'Row {number}: the weight "{weight}" is not a number.')
                weight = None
            out.append((row.get("value", ""), row.get("label", "").strip(), weight))
        if errors:
            raise ValidationError(errors)
        return out

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class DefaultOptionInput(forms.TextInput):
    """The default option: typed, or chosen from the question's options (a datalist the rows keep up to date)."""

    def __init__(self, options=(), attrs=None):
        super().__init__({"data-lp-default-option": "", **(attrs or {})})
        self.options = list(options)

    def render(self, name, value, attrs=None, renderer=None):
        widget_id = (attrs or {}).get("id") or f"id_{name}"
        attrs = {**(attrs or {}), "list": f"{widget_id}_choices"}
        return format_html(
            '{}<datalist id="{}_choices">{}</datalist>',
            super().render(name, value, attrs, renderer),
            widget_id,
            format_html_join("", '<option value="{}"></option>', ((o,) for o in self.options)),
        )


class QuestionForm(forms.ModelForm):
    """DM-Q-2/3/4: options edited as rows (value, label, weight) and stored as the model's parallel lists.

    Stored values are read-only; rows may be appended, reordered, relabelled and reweighted, never removed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _natural_key_fields(self, "text")
        if "display_text" in self.fields:
            self.fields["display_text"].required = False
            self.fields["display_text"].help_text = "Shown in the UI; defaults to the text."
        stored = list(self.instance.options or []) if self.instance.pk else []
        if "options" in self.fields:
            field = self.fields["options"] = OptionRowsField(
                required=False,
                label="Options",
                help_text=f"Single questions only: up to {MAX_OPTIONS} options. Stored values are read-only; "
                "labels default to the value and weights to 1.0. Options can be appended or reordered, never removed.",
            )
            field.widget.locked = set(stored)
            labels, weights = self.instance.labels(), self.instance.weights()
            self.initial["options"] = [
                {"value": o, "label": labels.get(o, o), "weight": _shown_weight(weights.get(o, 1.0))} for o in stored
            ]
        if "default_option" in self.fields:
            self.fields["default_option"].empty_value = None
            self.fields["default_option"].widget = DefaultOptionInput(stored)
            self.fields["default_option"].help_text = (
                "One of the options for single questions (or any text for description questions). "
                "Empty means no default."
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "default_option" in self.fields and "default_option" not in self.changed_data:
            # Keep a stored "" default (allowed for description questions, DM-Q-3) that the form shows as empty.
            cleaned["default_option"] = self.instance.default_option
        if "display_text" in self.fields and not cleaned.get("display_text"):
            text = cleaned.get("text", self.instance.text if self.instance.pk else None)
            if text:
                cleaned["display_text"] = text
        qtype = cleaned.get("qtype", self.instance.qtype if self.instance.pk else None)
        rows = cleaned.get("options") if "options" in self.fields else None
        if qtype == Question.QType.DESCRIPTION:
            if rows:
                self.add_error("options", "Description questions have no options; leave the rows empty.")
            else:
                self._set_lists(cleaned, None, None, None)
        elif qtype == Question.QType.SINGLE and "options" not in self.errors and rows is not None:
            self._clean_single(cleaned, rows)
        if self.instance.pk and cleaned.get("default_option") is None and "default_option" in self.fields:
            groups = list(
                QuestionGroup.objects.filter(memberships__question=self.instance, is_auto_submit=True).values_list(
                    "title", flat=True
                )
            )
            if groups:
                self.add_error(
                    "default_option", f"Auto-submit groups {_names(groups)} need a default option (DM-QG-4)."
                )
        return cleaned

    def _set_lists(self, cleaned, options, labels, weights) -> None:
        cleaned["options"] = options
        # The admin shows no fields for the parallel lists, so they are set on the instance directly.
        self.instance.display_values, self.instance.option_weights = labels, weights

    def _clean_single(self, cleaned, rows) -> None:
        options = [value for value, _, _ in rows]
        if len(options) > MAX_OPTIONS:
            self.add_error("options", f"A question has at most {MAX_OPTIONS} options; got {len(options)}.")
            return
        problem = _check_unique_strings(options, "Option values")
        if problem:
            self.add_error("options", problem)
            return
        removed = removed_options(self.instance.options if self.instance.pk else [], options)
        if removed:
            message = f"Existing options cannot be removed or have their value changed: {_names(removed)} (DM-Q-4)."
            self.add_error("options", message)
            return
        # An empty label is the value; an empty weight keeps the option's stored weight, or 1.0 (DM-Q-4).
        stored_weights = self.instance.weights() if self.instance.pk else {}
        labels = [label or value for value, label, _ in rows]
        weights = [stored_weights.get(value, 1.0) if weight is None else weight for value, _, weight in rows]
        problem = _check_unique_strings(labels, "Labels")
        if problem:
            self.add_error("options", problem)
        if not all(is_number(w) and w >= 0 for w in weights):
            self.add_error("options", "Weights must be finite numbers ≥ 0.")
        default = cleaned.get("default_option")
        if default is not None and default not in options:
            self.add_error("default_option", "The default option must be one of the options.")
        self._set_lists(cleaned, options, labels, [float(w) for w in weights])


def _shown_weight(weight) -> str:
    return f"{weight:g}" if isinstance(weight, float) else str(weight)


def shown_path(path: str) -> str:
    """A file path as the admin shows it: relative to the project root when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return path


def function_signature(name: str, fn) -> str:
    """`name(answers: dict[str, str]) -> None`, with postponed annotations evaluated when they can be."""
    try:
        signature = inspect.signature(fn, eval_str=True)
    except Exception:  # noqa: BLE001 - an annotation that does not evaluate is shown as written
        signature = inspect.signature(fn)
    return f"{name}{signature}"


class VerificationFunctionSelect(forms.Select):
    """A choice of the registered verification functions; the chosen one's signature and docstring are shown
    below it (PORTAL-ADM-6), and static/js/admin_verification.js swaps them when the choice changes."""

    def __init__(self, registry, current: str | None = None, attrs=None):
        names = sorted(registry.functions)
        choices = [("", "— none —"), *((name, name) for name in names)]
        if current and current not in registry.functions:
            choices.append((current, f"{current} (not registered)"))
        super().__init__({"data-verification-select": "", **(attrs or {})}, choices=choices)
        self.docs = {
            name: {
                "signature": function_signature(name, registry.functions[name]),
                "doc": inspect.getdoc(registry.functions[name]) or "No docstring.",
                "source": shown_path(registry.sources.get(name, "")),
            }
            for name in names
        }

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        widget_id = (attrs or {}).get("id") or f"id_{name}"
        chosen = self.docs.get(value or "")
        return format_html(
            '{}<div class="lp-fn-doc" id="{}_doc" aria-live="polite">{}</div>{}',
            select,
            widget_id,
            format_html("<code>{}</code><pre>{}</pre><small>{}</small>", chosen["signature"], chosen["doc"],
                        chosen["source"]) if chosen else "",
            json_script(self.docs, f"{widget_id}_docs"),
        )  # fmt: skip


class QuestionGroupForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _natural_key_fields(self, "title")
        if "display_title" in self.fields:
            self.fields["display_title"].required = False
            self.fields["display_title"].help_text = "The tab label; defaults to the title."

    def clean(self):
        cleaned = super().clean()
        if "display_title" in self.fields and not cleaned.get("display_title"):
            title = cleaned.get("title", self.instance.title if self.instance.pk else None)
            if title:
                cleaned["display_title"] = title
        name = cleaned.get("verification_function")
        if name and "verification_function" in self.changed_data:
            registered = get_registry().functions
            if name not in registered:
                known = ", ".join(sorted(registered)) or "none"
                self.add_error("verification_function", f'"{name}" is not registered (registered: {known}) (DM-QG-7).')
        if self.instance.pk and cleaned.get("is_reusable") is False:
            schemas = list(
                Schema.objects.filter(memberships__group=self.instance).values_list("name", flat=True).distinct()
            )
            if len(schemas) > 1:
                self.add_error(
                    "is_reusable", f"Used by several schemas ({_names(schemas)}), so it must stay reusable (DM-QG-6)."
                )
        return cleaned


class SchemaForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _natural_key_fields(self, "name")
        if "instructions_url" in self.fields:
            self.fields["instructions_url"].validators.append(validate_instructions_url)


class ProjectForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _natural_key_fields(self, "name")
        if "schema" in self.fields:
            self.fields["schema"].queryset = Schema.objects.active()
            self.fields["schema"].help_text = "Fixed at creation. Only active schemas can be chosen."

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and not self.instance.is_active
            and not cleaned.get("is_active")
            and "description" in self.changed_data
        ):
            self.add_error("description", "An archived project's description cannot change (DM-ARCH-3).")
        return cleaned


class ProjectGroupForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _natural_key_fields(self, "name")


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
                    f"Auto-submit needs a default option on every question; missing on {_names(missing)}."
                )
        if group.is_reusable:
            displayed = list(
                CustomDisplay.objects.filter(question__in=questions)
                .values_list("question__text", flat=True)
                .distinct()[:6]
            )
            if displayed:
                raise ValidationError(
                    f"A reusable group may not hold questions with custom displays: {_names(displayed)} (DM-QG-5)."
                )


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
                raise ValidationError(f"Archived groups cannot be added to a new schema: {_names(archived)}.")
            taken = list(
                SchemaQuestionGroup.objects.filter(group__in=[g for g in groups if not g.is_reusable])
                .values_list("group__title", "schema__name")
                .distinct()
            )
            if taken:
                raise ValidationError(
                    [f'Non-reusable group "{g}" already belongs to schema "{s}" (DM-QG-6).' for g, s in taken]
                )
        owners = defaultdict(list)
        for title, text in QuestionGroupQuestion.objects.filter(group__in=groups).values_list(
            "group__title", "question__text"
        ):
            owners[text].append(title)
        shared = [f'Groups {_names(t)} share the question "{q}" (DM-SCH-3).' for q, t in owners.items() if len(t) > 1]
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
                raise ValidationError(f"Archived videos cannot be added to a new project: {_names(archived)}.")
        elif self.has_changed():
            was_active = Project.objects.filter(pk=self.instance.pk).values_list("is_active", flat=True).first()
            if not was_active and not self.instance.is_active:
                raise ValidationError("An archived project's video order cannot change (DM-ARCH-3).")


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
