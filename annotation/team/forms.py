"""Forms of the team pages: the filters (all in the query string, PORTAL-GEN-2), payments, feedback, replies."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from annotation.team import records
from annotation.team.figures import ROLE_LABELS, TEAM_ROLES, Filters
from annotation.team.models import Feedback, Payment
from catalog.models import Project, ProjectGroup

DEFAULT_DAYS = 30  # with no dates in the query string, the last 30 days


class DateInput(forms.DateInput):
    input_type = "date"


class TeamFilters(forms.Form):
    """The team page's view state. Absent dates mean the last 30 days; empty ones mean no bound."""

    group = forms.ModelChoiceField(
        queryset=ProjectGroup.objects.active().order_by("name"),
        required=False,
        empty_label="every project group",
        label="Project group",
    )
    project = forms.ModelChoiceField(
        queryset=Project.objects.active().order_by("name"),
        required=False,
        empty_label="every project",
    )
    role = forms.ChoiceField(choices=[("", "every role"), *((r, ROLE_LABELS[r]) for r in TEAM_ROLES)], required=False)
    start = forms.DateField(required=False, label="From", widget=DateInput)
    end = forms.DateField(required=False, label="To", widget=DateInput)

    def __init__(self, data, *args, **kwargs):
        data = data.copy()
        if "start" not in data and "end" not in data:
            today = timezone.localdate()
            data["start"] = (today - datetime.timedelta(days=DEFAULT_DAYS - 1)).isoformat()
            data["end"] = today.isoformat()
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(f"The range starts ({start}) after it ends ({end}).")
        return data

    def filters(self, **extra) -> Filters:
        """The filters to apply; fields that do not validate are left out (the form shows their errors)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        group, project = data.get("group"), data.get("project")
        return Filters(
            project_group_id=group.pk if group else None,
            project_id=project.pk if project else None,
            role=data.get("role") or None,
            start=data.get("start") if "start" not in self.errors else None,
            end=data.get("end") if "end" not in self.errors else None,
            **extra,
        )

    def query(self) -> str:
        """The query string of these filters, for the export links."""
        return self.data.urlencode()


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["paid_on", "amount", "currency", "period", "note"]
        widgets = {"paid_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}
        labels = {"paid_on": "Date paid"}

    def clean_currency(self):
        code = self.cleaned_data["currency"].strip().upper()
        try:
            return records.check_currency(code)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than 0.")
        return amount


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["given_on", "project", "text"]
        widgets = {"given_on": DateInput, "text": forms.Textarea(attrs={"rows": 3})}
        labels = {"given_on": "Date", "text": "Feedback", "project": "About project (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.active().order_by("name")
        self.fields["project"].empty_label = "no particular project"

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the feedback.")
        return text


class ReplyForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Your reply")

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write a reply.")
        return text
