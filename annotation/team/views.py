"""The team pages: the team page and its exports (global admins), and each person's page.

Access, checked first in every view: the team page and the exports are for global admins (anyone else gets 403,
as in the meta-reviewer portal); a person's page is for global admins and the person, and is a 404 for everyone
else so that it does not reveal who is on the team. Only admins write payments and feedback; only the person
replies. Every page runs a fixed number of queries (PORTAL-GEN-4).
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotation.team import charts, records, report
from annotation.team.figures import PLURAL_LABELS, ROLE_LABELS, SUBMITTED_LABELS, TEAM_ROLES, Row, team_figures
from annotation.team.forms import FeedbackForm, PaymentForm, ReplyForm, TeamFilters
from annotation.team.models import Change, Feedback, FeedbackReply, Payment
from catalog.models import User

PORTAL = "team"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_admin(user: User) -> None:
    if not user.is_global_admin:
        raise PermissionDenied("The team page is for admins.")


def _person_or_404(request, person_pk: int) -> User:
    """The person whose page this is, if the viewer is an admin or that person; else 404."""
    if not (request.user.is_global_admin or request.user.pk == person_pk):
        raise Http404("No such person")
    return get_object_or_404(User, pk=person_pk)


# --------------------------------------------------------------------------- sorting

SORTS = {
    "person": lambda r: r.person.user_id.lower(),
    "role": lambda r: TEAM_ROLES.index(r.role),
    "projects": lambda r: r.projects_assigned,
    "submitted": lambda r: r.submitted,
    "completion": lambda r: r.completion,
    "accuracy": lambda r: r.accuracy,
    "reviews": lambda r: r.reviews,
    "last": lambda r: r.last_activity,
}
COLUMNS = (
    ("person", "Person", False),
    ("role", "Role", False),
    ("projects", "Projects assigned", True),
    ("submitted", "Submitted", True),
    ("completion", "Completion", True),
    ("accuracy", "Accuracy", True),
    ("reviews", "Reviews done", True),
    ("last", "Last activity", True),
)


def sort_rows(rows: list[Row], key: str, descending: bool) -> list[Row]:
    """Rows by one column; rows without a value (—) come last either way, then by person and role."""
    value = SORTS.get(key, SORTS["person"])
    base = sorted(rows, key=lambda r: (r.person.user_id.lower(), TEAM_ROLES.index(r.role)))
    defined = [r for r in base if value(r) is not None]
    undefined = [r for r in base if value(r) is None]
    return sorted(defined, key=value, reverse=descending) + undefined


def _sort_links(request, key: str, descending: bool) -> list[dict]:
    links = []
    for column, label, numeric in COLUMNS:
        params = request.GET.copy()
        params["sort"] = column
        current = column == key
        # A column sorts ascending first, except numbers, which start with the largest.
        params["dir"] = ("asc" if descending else "desc") if current else ("desc" if numeric else "asc")
        arrow = (" ▼" if descending else " ▲") if current else ""
        links.append({"key": column, "label": label, "url": "?" + params.urlencode(), "arrow": arrow, "num": numeric})
    return links


# --------------------------------------------------------------------------- the team page


@login_required
@require_GET
def team_page(request):
    """One row per person and role across the filtered projects, sortable, with the answers-per-day chart."""
    _require_admin(request.user)
    form = TeamFilters(request.GET)
    filters = form.filters()
    figures = team_figures(filters)
    key = request.GET.get("sort") if request.GET.get("sort") in SORTS else "person"
    descending = request.GET.get("dir") == "desc"
    rows = sort_rows(figures.rows, key, descending)
    names = {r.person.pk: r.person.display_name for r in rows if r.role == "annotator"}
    days = charts.day_range(filters.start, filters.end, figures.answers_per_day)
    chart = charts.answers_per_day_chart(names, figures.answers_per_day, days)
    people = {r.person.pk for r in rows}
    context = {
        "portal": PORTAL,
        "form": form,
        "filters": filters,
        "rows": rows,
        "columns": _sort_links(request, key, descending),
        "chart": chart,
        "stats": {
            "people": len(people),
            "projects": len(figures.projects),
            "answers": sum(r.submitted for r in rows if r.role == "annotator"),
            "ground_truths": sum(r.submitted for r in rows if r.role == "reviewer"),
        },
        "query": request.GET.urlencode(),
        "submitted_labels": SUBMITTED_LABELS,
    }
    return render(request, "team/team.html", context)


@login_required
@require_GET
def export(request, fmt: str):
    """The team page's figures (with its filters) as one .xlsx workbook, or the rows as CSV."""
    _require_admin(request.user)
    filters = TeamFilters(request.GET).filters()
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        data, name, kind = report.csv_bytes(team_figures(filters)), f"team_{stamp}.csv", "text/csv; charset=utf-8"
    else:
        data, name, kind = report.workbook_bytes(filters), f"team_{stamp}.xlsx", XLSX
    return HttpResponse(
        data, content_type=kind, headers={"Content-Disposition": content_disposition_header(True, name)}
    )


# --------------------------------------------------------------------------- a person's page


def person_context(request, person: User, *, payment_form=None, feedback_form=None) -> dict:
    """Everything a person page shows: per-project figures by role, payments, feedback with replies, changes."""
    form = TeamFilters(request.GET)
    filters = form.filters(person_id=person.pk)
    # Every project of the person: the group and project filters belong to the team page.
    figures = team_figures(dataclasses.replace(filters, project_group_id=None, project_id=None))
    payments = list(Payment.objects.filter(person=person).select_related("created_by"))
    feedback = list(
        Feedback.objects.filter(person=person)
        .select_related("project", "author")
        .prefetch_related(Prefetch("replies", queryset=FeedbackReply.objects.select_related("author")))
    )
    changes = list(
        Change.objects.filter(person=person).select_related("actor", "payment", "feedback").order_by("-at", "-id")
    )
    totals: dict[str, object] = {}
    for p in payments:
        totals[p.currency] = totals.get(p.currency, 0) + p.amount
    is_admin = request.user.is_global_admin
    today = timezone.localdate()
    return {
        "portal": PORTAL if is_admin else "me",
        "person": person,
        "is_self": request.user.pk == person.pk,
        "is_admin": is_admin,
        "form": form,
        "filters": filters,
        "roles": [(ROLE_LABELS[r], SUBMITTED_LABELS[r], figures.by_role(r)) for r in TEAM_ROLES if figures.by_role(r)],
        "payments": payments,
        "totals": sorted(totals.items()),
        "feedback": feedback,
        "changes": changes,
        "payment_form": payment_form or (PaymentForm(initial={"paid_on": today}) if is_admin else None),
        "feedback_form": feedback_form or (FeedbackForm(initial={"given_on": today}) if is_admin else None),
        "reply_form": ReplyForm(),
        "plural_labels": PLURAL_LABELS,
    }


@login_required
@require_GET
def person_page(request, person_pk: int):
    person = _person_or_404(request, person_pk)
    return render(request, "team/person.html", person_context(request, person))


@login_required
@require_GET
def my_page(request):
    """Everyone's own page, linked from every portal's header."""
    return redirect("team:person", person_pk=request.user.pk)


def _back(person: User, anchor: str) -> str:
    return reverse("team:person", args=[person.pk]) + anchor


@login_required
@require_POST
def add_payment(request, person_pk: int):
    person = _person_or_404(request, person_pk)
    _require_admin(request.user)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        context = person_context(request, person, payment_form=form)
        return render(request, "team/person.html", context, status=400)
    records.record_payment(actor=request.user, person=person, **form.cleaned_data)
    messages.success(request, f"Payment of {form.cleaned_data['amount']} {form.cleaned_data['currency']} recorded.")
    return redirect(_back(person, "#payments"))


@login_required
@require_POST
def add_feedback(request, person_pk: int):
    person = _person_or_404(request, person_pk)
    _require_admin(request.user)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        context = person_context(request, person, feedback_form=form)
        return render(request, "team/person.html", context, status=400)
    records.give_feedback(actor=request.user, person=person, **form.cleaned_data)
    messages.success(request, "Feedback saved.")
    return redirect(_back(person, "#feedback"))


@login_required
@require_http_methods(["GET", "POST"])
def edit_payment(request, payment_pk: int):
    _require_admin(request.user)
    payment = get_object_or_404(Payment.objects.select_related("person"), pk=payment_pk)
    form = PaymentForm(request.POST or None, instance=payment)
    if request.method == "POST" and form.is_valid():
        changed = records.edit_payment(actor=request.user, payment=payment, **form.cleaned_data)
        messages.success(request, "Payment updated." if changed else "Nothing changed.")
        return redirect(_back(payment.person, "#payments"))
    context = {"portal": PORTAL, "person": payment.person, "form": form, "what": "payment", "record": payment}
    return render(request, "team/edit.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit_feedback(request, feedback_pk: int):
    _require_admin(request.user)
    feedback = get_object_or_404(Feedback.objects.select_related("person", "project"), pk=feedback_pk)
    form = FeedbackForm(request.POST or None, instance=feedback)
    if request.method == "POST" and form.is_valid():
        changed = records.edit_feedback(actor=request.user, feedback=feedback, **form.cleaned_data)
        messages.success(request, "Feedback updated." if changed else "Nothing changed.")
        return redirect(_back(feedback.person, "#feedback"))
    context = {"portal": PORTAL, "person": feedback.person, "form": form, "what": "feedback", "record": feedback}
    return render(request, "team/edit.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def reply(request, feedback_pk: int):
    feedback = get_object_or_404(Feedback.objects.select_related("person"), pk=feedback_pk)
    _person_or_404(request, feedback.person_id)
    if request.user.pk != feedback.person_id:
        raise PermissionDenied("Only the person the feedback is for can reply to it.")
    form = ReplyForm(request.POST)
    if form.is_valid():
        records.reply_to_feedback(actor=request.user, feedback=feedback, text=form.cleaned_data["text"])
        messages.success(request, "Reply sent.")
    else:
        messages.error(request, "Write a reply before sending it.")
    return redirect(_back(feedback.person, f"#feedback-{feedback.pk}"))
