"""Creating and editing multiple-choice questions in the admin (issue 15 point 5), like single-choice ones:
option rows, append-only, default options as a list stored in the canonical form.
Requirement IDs by analogy: PORTAL-ADM-7, DM-Q-2/3/4, DM-QG-4."""

from __future__ import annotations

import html

import pytest

from catalog.admin_forms import OptionRowsWidget
from catalog.models import Question
from catalog.tests.admin_posts import form_data, url
from catalog.tests.factories import AdminFactory, MultipleQuestionFactory, QuestionGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, db):
    client.force_login(AdminFactory(user_id="Ada Admin"))
    return client


def option_rows(*rows) -> dict:
    rows = [dict(zip(("value", "label", "weight"), row, strict=False)) for row in rows]
    return OptionRowsWidget.as_data("options", rows)


def with_rows(data: dict, *rows) -> dict:
    return {k: v for k, v in data.items() if not k.startswith("options-")} | option_rows(*rows)


def add(staff_client, **fields):
    data = {"text": "Which motions?", "display_text": "", "qtype": "multiple"} | fields
    return staff_client.post(url(Question, "add"), data)


def errors(response) -> dict:
    assert response.status_code == 200
    return {k: [html.unescape(str(e)) for e in v] for k, v in response.context["adminform"].form.errors.items()}


def test_a_multiple_question_is_created_with_option_rows_and_default_options(staff_client):
    rows = option_rows(("pan", "Pan", "2"), ("tilt",), ("zoom", "Zoom"))
    response = add(staff_client, default_option='["zoom", "pan"]', **rows)
    assert response.status_code == 302
    q = Question.objects.get()
    assert (q.qtype, q.options, q.display_values, q.option_weights) == (
        "multiple",
        ["pan", "tilt", "zoom"],
        ["Pan", "tilt", "Zoom"],
        [2.0, 1.0, 1.0],
    )
    assert q.default_option == '["pan","zoom"]'  # the canonical stored form: option order, compact


def test_none_of_these_and_no_default_are_both_possible(staff_client):
    assert add(staff_client, default_option="[]", **option_rows(("pan",))).status_code == 302
    assert Question.objects.get().default_option == "[]"
    assert add(staff_client, text="Which objects?", **option_rows(("cat",))).status_code == 302
    assert Question.objects.get(text="Which objects?").default_option is None


@pytest.mark.parametrize(
    ("default", "message"),
    [
        ("pan", 'Default options must be a JSON list of options, e.g. ["pan", "zoom"]; [] means none of these.'),
        ('["roll"]', '"roll" is not an option (pan, tilt).'),
        ('["pan", "pan"]', '"pan" is listed twice.'),
        ('"pan"', "Must be a list of options."),
    ],
)
def test_default_options_that_are_not_a_list_of_options_are_refused(staff_client, default, message):
    response = add(staff_client, default_option=default, **option_rows(("pan",), ("tilt",)))
    assert errors(response) == {"default_option": [message]}
    assert not Question.objects.exists()


def test_a_multiple_question_needs_options_like_a_single_one(staff_client):
    assert "options" in errors(add(staff_client))
    assert "options" in errors(add(staff_client, **option_rows(("pan",), ("pan",))))
    assert not Question.objects.exists()


def test_editing_appends_options_relabels_and_keeps_stored_values(staff_client):
    q = MultipleQuestionFactory(default_option='["tilt"]')
    data = form_data(staff_client.get(url(Question, "change", q.pk)))
    assert data["default_option"] == '["tilt"]'  # shown as stored, and posted back unchanged
    data = with_rows(data, ("pan", "Panning", "0.5"), ("tilt", "Tilt"), ("zoom", "Zoom"), ("roll", "Roll"))
    data["default_option"] = '["roll", "pan"]'
    assert staff_client.post(url(Question, "change", q.pk), data).status_code == 302
    q.refresh_from_db()
    assert q.options == ["pan", "tilt", "zoom", "roll"]
    assert q.display_values == ["Panning", "Tilt", "Zoom", "Roll"]
    assert q.option_weights == [0.5, 1.0, 1.0, 1.0]
    assert q.default_option == '["pan","roll"]'


def test_options_are_never_removed_or_reordered(staff_client):
    """Stored sets list their options in option order, so the order of stored options is fixed."""
    q = MultipleQuestionFactory()
    data = form_data(staff_client.get(url(Question, "change", q.pk)))
    removed = errors(staff_client.post(url(Question, "change", q.pk), with_rows(data, ("pan",), ("tilt",))))
    assert "options" in removed
    moved = errors(staff_client.post(url(Question, "change", q.pk), with_rows(data, ("tilt",), ("pan",), ("zoom",))))
    assert moved["options"] == [
        f'Question "{q.text}" keeps its stored options in their order (pan, tilt, zoom): '
        "stored answers list them in that order; new options can only be appended."
    ]
    q.refresh_from_db()
    assert q.options == ["pan", "tilt", "zoom"]


def test_an_auto_submit_group_keeps_the_default_options(staff_client):
    q = MultipleQuestionFactory(default_option="[]")
    QuestionGroupFactory(questions=[q], is_auto_submit=True)
    data = form_data(staff_client.get(url(Question, "change", q.pk))) | {"default_option": ""}
    assert "default_option" in errors(staff_client.post(url(Question, "change", q.pk), data))
    q.refresh_from_db()
    assert q.default_option == "[]"


def test_help_texts_name_both_choice_types(staff_client):
    page = staff_client.get(url(Question, "add")).content.decode()
    assert "Single questions only" not in page
    assert "Single and multiple questions" in page


def test_a_non_staff_user_cannot_open_the_question_admin(client):
    client.force_login(UserFactory())
    response = client.get(url(Question, "add"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert add(client, **option_rows(("pan",))).status_code == 302
    assert not Question.objects.exists()
