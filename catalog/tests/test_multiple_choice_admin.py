"""Creating and editing multiple-choice questions in the admin (issue 15 point 5), like single-choice ones:
option rows, append-only, default options as a list stored in the canonical form.
Requirement IDs by analogy: PORTAL-ADM-7, DM-Q-2/3/4, DM-QG-4."""

from __future__ import annotations

import html
import json
import re

import pytest

from catalog.admin_forms import OptionRowsWidget
from catalog.models import Question
from catalog.tests.admin_posts import form_data, url
from catalog.tests.factories import (
    AdminFactory,
    DescriptionQuestionFactory,
    MultipleQuestionFactory,
    QuestionGroupFactory,
    SingleQuestionFactory,
    UserFactory,
)

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


def test_the_change_page_ticks_the_default_options_with_checkboxes(staff_client):
    q = MultipleQuestionFactory(default_option='["pan","zoom"]', display_values=["Pan", "Tilt", "Zoom"])
    response = staff_client.get(url(Question, "change", q.pk))
    page = response.content.decode()
    boxes = re.findall(r'<input type="checkbox" name="default_option" value="([^"]*)"[^>]*>', page)
    assert boxes == ["pan", "tilt", "zoom", ""]  # one box per stored option, then "None of these"
    assert re.findall(r'name="default_option" value="([^"]*)"[^>]*checked', page) == ["pan", "zoom"]
    assert re.search(r'value="tilt"[^>]*>\s*Tilt</label>', page) and "None of these" in page
    assert "data-lp-default-option" not in page  # no typed JSON and no single-option suggestions
    assert form_data(response)["default_option"] == ["pan", "zoom"]


@pytest.mark.parametrize(("stored", "ticked"), [("[]", [""]), (None, [])])
def test_none_of_these_and_no_default_show_as_ticked_boxes(staff_client, stored, ticked):
    q = MultipleQuestionFactory(default_option=stored)
    assert form_data(staff_client.get(url(Question, "change", q.pk)))["default_option"] == ticked


def test_ticking_boxes_stores_the_canonical_default(staff_client):
    q = MultipleQuestionFactory(default_option='["tilt"]')
    data = form_data(staff_client.get(url(Question, "change", q.pk))) | {"default_option": ["zoom", "pan"]}
    assert staff_client.post(url(Question, "change", q.pk), data).status_code == 302
    q.refresh_from_db()
    assert q.default_option == '["pan","zoom"]'
    data["default_option"] = [""]  # "None of these" alone: an answer
    assert staff_client.post(url(Question, "change", q.pk), data).status_code == 302
    q.refresh_from_db()
    assert q.default_option == "[]"
    del data["default_option"]  # nothing ticked: no default
    assert staff_client.post(url(Question, "change", q.pk), data).status_code == 302
    q.refresh_from_db()
    assert q.default_option is None


def test_an_unchanged_post_keeps_the_default(staff_client):
    q = MultipleQuestionFactory(default_option='["tilt","zoom"]')
    data = form_data(staff_client.get(url(Question, "change", q.pk)))
    assert staff_client.post(url(Question, "change", q.pk), data).status_code == 302
    q.refresh_from_db()
    assert q.default_option == '["tilt","zoom"]'


def test_none_of_these_with_an_option_is_refused(staff_client):
    q = MultipleQuestionFactory(default_option='["tilt"]')
    data = form_data(staff_client.get(url(Question, "change", q.pk))) | {"default_option": ["pan", ""]}
    response = staff_client.post(url(Question, "change", q.pk), data)
    assert errors(response) == {"default_option": ['"None of these" cannot be ticked together with an option.']}
    q.refresh_from_db()
    assert q.default_option == '["tilt"]'


def test_editing_appends_options_relabels_and_keeps_stored_values(staff_client):
    q = MultipleQuestionFactory(default_option='["tilt"]')
    data = form_data(staff_client.get(url(Question, "change", q.pk)))
    data = with_rows(data, ("pan", "Panning", "0.5"), ("tilt", "Tilt"), ("zoom", "Zoom"), ("roll", "Roll"))
    data["default_option"] = ["zoom", "pan"]
    assert staff_client.post(url(Question, "change", q.pk), data).status_code == 302
    q.refresh_from_db()
    assert q.options == ["pan", "tilt", "zoom", "roll"]
    assert q.display_values == ["Panning", "Tilt", "Zoom", "Roll"]
    assert q.option_weights == [0.5, 1.0, 1.0, 1.0]
    assert q.default_option == '["pan","zoom"]'
    # The appended option can be ticked once saved.
    data = form_data(staff_client.get(url(Question, "change", q.pk))) | {"default_option": ["roll", "pan"]}
    assert staff_client.post(url(Question, "change", q.pk), data).status_code == 302
    q.refresh_from_db()
    assert q.default_option == '["pan","roll"]'


def test_an_option_appended_in_the_same_save_cannot_be_ticked_yet(staff_client):
    q = MultipleQuestionFactory()
    data = with_rows(
        form_data(staff_client.get(url(Question, "change", q.pk))), ("pan",), ("tilt",), ("zoom",), ("roll",)
    )
    data["default_option"] = ["roll"]
    response = staff_client.post(url(Question, "change", q.pk), data)
    assert errors(response) == {
        "default_option": ['"roll" is not a stored option; options appended here can be ticked once saved.']
    }
    q.refresh_from_db()
    assert q.options == ["pan", "tilt", "zoom"]


def test_the_change_page_help_says_how_to_tick(staff_client):
    q = MultipleQuestionFactory()
    page = html.unescape(staff_client.get(url(Question, "change", q.pk)).content.decode())
    assert 'Tick the options a new answer starts with, or "None of these"' in page
    assert "Nothing ticked: no default. Options appended here can be ticked once saved." in page


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
    data = form_data(staff_client.get(url(Question, "change", q.pk)))
    del data["default_option"]  # nothing ticked
    (message,) = errors(staff_client.post(url(Question, "change", q.pk), data))["default_option"]
    assert message.startswith(f'Question "{q.text}" needs a default option: auto-submit groups contain it')
    q.refresh_from_db()
    assert q.default_option == "[]"
    data["default_option"] = ["", "pan"]  # refused for itself, not also as a lost default
    assert errors(staff_client.post(url(Question, "change", q.pk), data)) == {
        "default_option": ['"None of these" cannot be ticked together with an option.']
    }
    data["default_option"] = ["tilt", "pan"]
    assert staff_client.post(url(Question, "change", q.pk), data).status_code == 302
    q.refresh_from_db()
    assert q.default_option == '["pan","tilt"]'


def test_help_texts_name_both_choice_types(staff_client):
    page = staff_client.get(url(Question, "add")).content.decode()
    assert "Single questions only" not in page
    assert "Single and multiple questions" in page


def test_the_add_page_tells_the_script_how_each_type_takes_its_default(staff_client):
    """The add page keeps one text box; admin_order.js shows the chosen type's help and suggestions."""
    page = staff_client.get(url(Question, "add")).content.decode()
    found = re.search(r'<script id="id_default_option_types" type="application/json">(.*?)</script>', page)
    types = json.loads(found.group(1))
    assert {name: t["suggests"] for name, t in types.items()} == {
        "single": "option",
        "multiple": "list",
        "description": "",
    }
    assert types["multiple"]["help"].startswith('A JSON list of options, e.g. ["pan", "zoom"]')
    assert types["single"]["help"].startswith("One of the options.")


def test_a_non_staff_user_cannot_open_the_question_admin(client):
    client.force_login(UserFactory())
    response = client.get(url(Question, "add"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert add(client, **option_rows(("pan",))).status_code == 302
    assert not Question.objects.exists()


def test_the_text_box_help_names_every_type_on_the_add_page_and_its_own_on_a_change_page(staff_client):
    page = html.unescape(staff_client.get(url(Question, "add")).content.decode())
    assert (
        'Single questions: one of the options. Multiple questions: a JSON list of options, e.g. ["pan", "zoom"]; '
        '[] means "None of these". Description questions: any text. Empty means no default.'
    ) in page
    single = html.unescape(staff_client.get(url(Question, "change", SingleQuestionFactory().pk)).content.decode())
    assert "One of the options. Empty means no default." in single and "Multiple questions:" not in single
    assert '<option value="yes">' in single  # suggestions: the single question's options
    description = staff_client.get(url(Question, "change", DescriptionQuestionFactory().pk)).content.decode()
    assert "Any text. Empty means no default." in description


def test_the_question_list_shows_defaults_as_people_read_them(client):
    """PORTAL-ADM-7: the changelist's default column shows labels, never the stored list."""
    from catalog.tests.factories import AdminFactory, MultipleQuestionFactory, SingleQuestionFactory

    MultipleQuestionFactory(text="Which motions?", default_option='["pan","zoom"]')
    MultipleQuestionFactory(text="Which others?", default_option="[]")
    SingleQuestionFactory(text="Is it sunny?", options=["yes", "no"], display_values=["Yes", "No"], default_option="no")
    client.force_login(AdminFactory())
    page = client.get("/admin/catalog/question/").content.decode()
    assert "Pan; Zoom" in page and "None of these" in page and ">No<" in page
    assert "[&quot;pan&quot;" not in page and '["pan"' not in page
