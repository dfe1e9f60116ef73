"""Video, question, question group, schema and project forms (PORTAL-ADM-3..7)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import mark_safe

from catalog import question_types
from catalog.admin_forms.rules import (
    ArchivableForm,
    strict_key_fields,
    validate_instructions_url,
    validate_metadata,
    validate_video_url,
)
from catalog.models import (
    QuestionGroup,
    Schema,
)
from catalog.set_rules import (
    distinct_values_problems,
    frozen_project_problem,
    kept_weights,
    lost_default_problem,
    moved_options_problem,
    non_reusable_problem,
    removed_options_problem,
    sentence,
    verification_problem,
    weight_problem,
)
from catalog.validation import MAX_OPTIONS
from catalog.verification import get_registry

# --------------------------------------------------------------------------- videos and questions


class VideoForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strict_key_fields(self, "video_uid")
        if "url" in self.fields:
            self.fields["url"].validators.append(validate_video_url)
        if "metadata" in self.fields:
            self.fields["metadata"].validators.append(validate_metadata)
            self.fields["metadata"].help_text = "A JSON object; values may not be null."


def _row_problems(values, what: str) -> list[str]:
    """DM-Q-2 for the option rows: each problem names its row, worded as sync words it."""
    if not values:
        return [f"{what[:1].upper()}{what[1:]}s must not be empty."]
    return [f"Row {i + 1} {what}: {problem}." for i, problem in distinct_values_problems(values)]


class OptionRowsWidget(forms.Widget):
    """A choice question's options (single or multiple) as rows of value, label and weight (PORTAL-ADM-7).

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
            mark_safe(' readonly class="lp-locked" title="Stored option values are read-only: answers refer to them"')
            if locked
            else "",
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
    """The default option, typed, with suggestions from the question's options (a datalist). How each type takes
    its default goes along as JSON, so static/js/admin_order.js keeps the suggestions and the help right for
    the chosen type as the option rows and the type change (on the add page)."""

    def __init__(self, options=(), qtype: str | None = None, attrs=None):
        super().__init__({"data-lp-default-option": "", **({"data-lp-qtype": qtype} if qtype else {}), **(attrs or {})})
        kind = question_types.find(qtype)
        suggests = kind.default_suggests if kind else "option"
        self.options = list(options) if suggests == "option" else []  # the script fills the others in

    def render(self, name, value, attrs=None, renderer=None):
        widget_id = (attrs or {}).get("id") or f"id_{name}"
        attrs = {**(attrs or {}), "list": f"{widget_id}_choices"}
        types = {t.name: {"help": t.default_help, "suggests": t.default_suggests} for t in question_types.all()}
        return format_html(
            '{}<datalist id="{}_choices">{}</datalist>{}',
            super().render(name, value, attrs, renderer),
            widget_id,
            format_html_join("", '<option value="{}"></option>', ((o,) for o in self.options)),
            json_script(types, f"{widget_id}_types"),
        )


NO_DEFAULT = "Empty means no default."


class QuestionForm(forms.ModelForm):
    """DM-Q-2/3/4: options edited as rows (value, label, weight) and stored as the model's parallel lists.

    Stored values are read-only; rows may be appended, reordered, relabelled and reweighted, never removed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strict_key_fields(self, "text")
        if "display_text" in self.fields:
            self.fields["display_text"].required = False
            self.fields["display_text"].help_text = "Shown in the UI; defaults to the text."
        stored = list(self.instance.options or []) if self.instance.pk else []
        if "options" in self.fields:
            field = self.fields["options"] = OptionRowsField(
                required=False,
                label="Options",
                help_text=f"Single and multiple questions: up to {MAX_OPTIONS} options. Stored values are "
                "read-only; labels default to the value and weights to 1.0. Options can be appended or reordered "
                "(a multiple question's stored options keep their order), never removed.",
            )
            field.widget.locked = set(stored)
            labels, weights = self.instance.labels(), self.instance.weights()
            self.initial["options"] = [
                {"value": o, "label": labels.get(o, o), "weight": _shown_weight(weights.get(o, 1.0))} for o in stored
            ]
        if "default_option" in self.fields:
            self._default_field(stored)

    def _default_field(self, stored: list[str]) -> None:
        """A stored question's type may choose its own default field (multiple: checkboxes); otherwise the text
        box, whose help names every type on the add page and the question's own type on the change page."""
        field = self.fields["default_option"]
        kind = question_types.find(self.instance.qtype) if self.instance.pk else None
        labels = self.instance.labels() if kind else {}
        own = kind.default_field([(o, labels.get(o, o)) for o in stored]) if kind else None
        if own is not None:
            own.label = kind.default_key.replace("_", " ").capitalize()  # "Default options"
            self.fields["default_option"] = own
            return
        field.empty_value = None
        field.widget = DefaultOptionInput(stored, kind.name if kind else None)
        if kind:
            field.help_text = f"{kind.default_help} {NO_DEFAULT}"
        else:
            helps = (
                f"{t.label} questions: {t.default_help[:1].lower()}{t.default_help[1:]}" for t in question_types.all()
            )
            field.help_text = f"{' '.join(helps)} {NO_DEFAULT}"

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
        # An unknown qtype was refused by the field's choices (cleaned has none) and gets no branch here.
        kind = question_types.find(qtype)
        if kind is not None and not kind.has_options:
            if rows:
                self.add_error("options", f"{kind.label} questions have no options; leave the rows empty.")
            else:
                self._set_lists(cleaned, None, None, None)
        elif kind is not None and "options" not in self.errors and rows is not None:
            self._clean_options(cleaned, rows, kind)
        if (
            self.instance.pk
            and cleaned.get("default_option") is None
            and "default_option" in self.fields
            and "default_option" not in self.errors
        ):
            groups = QuestionGroup.objects.filter(memberships__question=self.instance, is_auto_submit=True)
            if problem := lost_default_problem(self.instance.text, groups.values_list("title", flat=True)):
                self.add_error("default_option", sentence(problem))
        return cleaned

    def _set_lists(self, cleaned, options, labels, weights) -> None:
        cleaned["options"] = options
        # The admin shows no fields for the parallel lists, so they are set on the instance directly.
        self.instance.display_values, self.instance.option_weights = labels, weights

    def _clean_options(self, cleaned, rows, kind) -> None:
        options = [value for value, _, _ in rows]
        if len(options) > MAX_OPTIONS:
            self.add_error("options", f"A question has at most {MAX_OPTIONS} options; got {len(options)}.")
            return
        problems = _row_problems(options, "value")
        if problems:
            self.add_error("options", problems)
            return
        if self.instance.pk and (
            problem := removed_options_problem(self.instance.text, self.instance.options, options)
        ):
            self.add_error("options", sentence(problem))
            return
        if (
            self.instance.pk
            and kind.fixed_option_order
            and (problem := moved_options_problem(self.instance.text, self.instance.options, options))
        ):
            self.add_error("options", sentence(problem))
            return
        # An empty label is the value; an empty weight keeps the option's stored weight, or 1.0 (DM-Q-4).
        labels = [label or value for value, label, _ in rows]
        stored_weights = self.instance.weights() if self.instance.pk else {}
        weights = kept_weights(options, [weight for _, _, weight in rows], stored_weights)
        problems = _row_problems(labels, "label")
        problems += [f"Row {i + 1} weight: {p}." for i, w in enumerate(weights) if (p := weight_problem(w))]
        if problems:
            self.add_error("options", problems)
        text = cleaned.get("text", self.instance.text if self.instance.pk else None)
        try:  # the type reads the typed default: one option, or a JSON list of options (multiple)
            cleaned["default_option"] = kind.default_from_form(text, options, cleaned.get("default_option"))
        except ValueError as e:
            self.add_error("default_option", sentence(str(e)))
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
        strict_key_fields(self, "title")
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
        if "verification_function" in self.changed_data and (
            problem := verification_problem(name, get_registry().functions)
        ):
            self.add_error("verification_function", sentence(problem))
        if self.instance.pk and self.instance.is_reusable and cleaned.get("is_reusable") is False:
            schemas = Schema.objects.filter(memberships__group=self.instance).values_list("name", flat=True)
            if problem := non_reusable_problem(schemas):
                self.add_error("is_reusable", sentence(problem))
        return cleaned


class SchemaForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strict_key_fields(self, "name")
        if "instructions_url" in self.fields:
            self.fields["instructions_url"].validators.append(validate_instructions_url)


class ProjectForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strict_key_fields(self, "name")
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
            self.add_error("description", sentence(frozen_project_problem(self.instance.name, ["description"])))
        return cleaned


class ProjectGroupForm(ArchivableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strict_key_fields(self, "name")
