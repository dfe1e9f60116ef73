"""Ordering and option editors of the admin portal (PORTAL-ADM-2/5/6/7)."""

import pytest

from catalog.admin_forms import OptionRowsWidget
from catalog.models import Question, QuestionGroup, Schema
from catalog.tests.admin_posts import form_data, url
from catalog.tests.factories import (
    AdminFactory,
    DescriptionQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    VideoFactory,
)
from catalog.validation import MAX_OPTIONS


@pytest.fixture
def staff_client(client, db):
    client.force_login(AdminFactory(user_id="Ada Admin"))
    return client


def groups_of(schema) -> list[int]:
    return list(schema.memberships.order_by("position").values_list("group", flat=True))


def reordered(data: dict, prefix: str, order: list[int]) -> dict:
    """Row i of the inline gets position order[i], as admin_order.js sets them after moves."""
    return data | {f"{prefix}-{i}-position": str(position) for i, position in enumerate(order)}


def with_rows(data: dict, *rows) -> dict:
    rows = [dict(zip(("value", "label", "weight"), row, strict=False)) for row in rows]
    kept = {k: v for k, v in data.items() if not k.startswith("options-")}
    return kept | OptionRowsWidget.as_data("options", rows)


# --------------------------------------------------------------------------- group and question order


def test_schema_change_page_has_order_controls(staff_client):
    schema = SchemaFactory(groups=[QuestionGroupFactory(), QuestionGroupFactory()])
    page = staff_client.get(url(Schema, "change", schema.pk)).content.decode()
    assert "js/admin_order.js" in page
    assert "lp-ordered" in page


def test_schema_groups_reorder_via_post(staff_client):
    a, b, c = (QuestionGroupFactory(questions=[SingleQuestionFactory()]) for _ in range(3))
    schema = SchemaFactory(groups=[a, b, c])
    data = reordered(form_data(staff_client.get(url(Schema, "change", schema.pk))), "memberships", [2, 0, 1])
    assert staff_client.post(url(Schema, "change", schema.pk), data).status_code == 302
    assert groups_of(schema) == [b.pk, c.pk, a.pk]
    assert list(schema.memberships.order_by("position").values_list("position", flat=True)) == [0, 1, 2]


def test_schema_of_an_active_project_can_only_be_reordered(staff_client):
    """DM-SCH-2: the group set is fixed; order changes save, member changes, additions and deletions do not."""
    a, b = (QuestionGroupFactory(questions=[SingleQuestionFactory()]) for _ in range(2))
    other = QuestionGroupFactory(questions=[SingleQuestionFactory()], is_reusable=True)
    schema = SchemaFactory(groups=[a, b])
    ProjectFactory(schema=schema, videos=[VideoFactory()])
    data = reordered(form_data(staff_client.get(url(Schema, "change", schema.pk))), "memberships", [1, 0])
    data |= {
        "memberships-0-group": other.pk,  # read-only after creation: ignored
        "memberships-0-DELETE": "on",  # no delete permission: ignored
        "memberships-TOTAL_FORMS": "3",
        "memberships-2-group": other.pk,  # no add permission: ignored
        "memberships-2-position": "2",
    }
    assert staff_client.post(url(Schema, "change", schema.pk), data).status_code == 302
    assert groups_of(schema) == [b.pk, a.pk]


def test_schema_reorder_refuses_duplicate_positions(staff_client):
    a, b = (QuestionGroupFactory(questions=[SingleQuestionFactory()]) for _ in range(2))
    schema = SchemaFactory(groups=[a, b])
    data = reordered(form_data(staff_client.get(url(Schema, "change", schema.pk))), "memberships", [0, 0])
    response = staff_client.post(url(Schema, "change", schema.pk), data)
    assert response.status_code == 200
    assert groups_of(schema) == [a.pk, b.pk]


def test_question_order_of_a_group_reorders_via_post(staff_client):
    q1, q2 = SingleQuestionFactory(), SingleQuestionFactory()
    group = QuestionGroupFactory(questions=[q1, q2])
    page = staff_client.get(url(QuestionGroup, "change", group.pk))
    assert "js/admin_order.js" in page.content.decode()
    data = reordered(form_data(page), "memberships", [1, 0])
    assert staff_client.post(url(QuestionGroup, "change", group.pk), data).status_code == 302
    assert list(group.memberships.order_by("position").values_list("question", flat=True)) == [q2.pk, q1.pk]


# --------------------------------------------------------------------------- option rows


def test_question_change_form_renders_option_rows(staff_client):
    question = SingleQuestionFactory(display_values=["Yes!", "No!"])
    page = staff_client.get(url(Question, "change", question.pk)).content.decode()
    assert 'name="options-value-0" value="yes"' in page and "readonly" in page
    assert 'name="options-label-1" value="No!"' in page
    assert 'name="options-value-2" value=""' in page  # the append row
    assert "Append option" in page and "js/admin_order.js" in page
    assert '<datalist id="id_default_option_choices"><option value="yes">' in page
    assert staff_client.get(url(Question, "add")).status_code == 200
    assert staff_client.get(url(Question, "change", DescriptionQuestionFactory().pk)).status_code == 200


def test_options_append_relabel_reweight_and_reorder(staff_client):
    question = SingleQuestionFactory(display_values=["Yes!", "No!"], option_weights=[2.0, 0.5])
    data = form_data(staff_client.get(url(Question, "change", question.pk)))
    data = with_rows(data, ("no", "Nope", "3"), ("yes", "Yes!", ""), ("maybe", "Perhaps", "0"))
    data["default_option"] = "maybe"
    assert staff_client.post(url(Question, "change", question.pk), data).status_code == 302
    question.refresh_from_db()
    assert question.options == ["no", "yes", "maybe"]
    assert question.display_values == ["Nope", "Yes!", "Perhaps"]
    assert question.option_weights == [3.0, 2.0, 0.0]  # an empty weight keeps the stored one
    assert question.default_option == "maybe"


@pytest.mark.parametrize(
    "rows",
    [
        [("yes", "Yes", "1")],  # "no" deleted
        [("yes", "Yes", "1"), ("nah", "No", "1")],  # the value "no" changed
        [("yes", "Yes", "1"), ("no", "Yes", "1")],  # duplicate label
        [("yes", "Yes", "1"), ("no", "No", "-1")],  # negative weight
        [("yes", "Yes", "x"), ("no", "No", "1")],  # not a number
        [("yes", "Yes", "inf"), ("no", "No", "1")],  # not finite (issue 16.12)
        [("yes", "Yes", "1e999"), ("no", "No", "1")],
        [("yes", "Yes", "nan"), ("no", "No", "1")],
    ],
)
def test_bad_option_rows_are_refused_with_a_field_error(staff_client, rows):
    question = SingleQuestionFactory()
    before = Question.objects.values().get(pk=question.pk)
    data = with_rows(form_data(staff_client.get(url(Question, "change", question.pk))), *rows)
    response = staff_client.post(url(Question, "change", question.pk), data)
    assert response.status_code == 200
    assert "options" in response.context["adminform"].form.errors
    assert Question.objects.values().get(pk=question.pk) == before


def test_more_than_thirty_options_are_refused(staff_client):
    question = SingleQuestionFactory()
    rows = [("yes",), ("no",)] + [(f"extra {i}",) for i in range(MAX_OPTIONS - 1)]
    data = with_rows(form_data(staff_client.get(url(Question, "change", question.pk))), *rows)
    response = staff_client.post(url(Question, "change", question.pk), data)
    assert "options" in response.context["adminform"].form.errors
    assert Question.objects.get(pk=question.pk).options == ["yes", "no"]
    data = with_rows(data, *rows[:MAX_OPTIONS])
    assert staff_client.post(url(Question, "change", question.pk), data).status_code == 302
    assert len(Question.objects.get(pk=question.pk).options) == MAX_OPTIONS


def test_default_option_must_be_one_of_the_rows(staff_client):
    question = SingleQuestionFactory()
    data = form_data(staff_client.get(url(Question, "change", question.pk))) | {"default_option": "maybe"}
    response = staff_client.post(url(Question, "change", question.pk), data)
    assert "default_option" in response.context["adminform"].form.errors
    assert Question.objects.get(pk=question.pk).default_option is None
