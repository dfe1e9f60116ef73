"""The API and multiple-choice questions (issue 15, points 1 and 4): answers and ground truth go in and come out as
JSON lists, stored in the canonical form; a value the type cannot take is a 400 naming the field; question payloads
show default_options; the reports measure the type; the OpenAPI schema says "a string or a list of strings".
Requirement IDs by analogy: API-3/4/5 (reads, writes), SYNC-ANN / SYNC-GT (record shapes), API-1 (schema)."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from annotation.models import Answer, GroundTruth, GroundTruthHistory
from annotation.tests.multiple_choice import Motions, build_motions
from catalog.models import Assignment
from catalog.tests.factories import ModelUserFactory, UserFactory
from tests.support.api_cast import record, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def motions(reviewer) -> Motions:
    return build_motions(reviewer)


@pytest.fixture
def nia(motions):
    user = UserFactory(user_id="Nia Newcomer")
    Assignment.objects.create(user=user, project=motions.project, role=Assignment.Role.ANNOTATOR)
    return user


def group_of(m: Motions):
    return m.project.schema.memberships.get().group


def post(user, url: str, body):
    return token_client(user).post(url, body, format="json")


def answers_record(m: Motions, video, motion, steady="yes", **extra) -> dict:
    return record(m.project, video, group_of(m), {m.question: motion, m.single: steady}, **extra)


# --------------------------------------------------------------------------- answers in and out


def test_an_annotator_submits_a_list_in_any_order_and_it_is_stored_in_option_order(motions, nia):
    response = post(nia, "/api/annotations/", [answers_record(motions, motions.videos[0], ["zoom", "pan"])])

    assert response.status_code == 200, response.json()
    assert Answer.objects.get(user=nia, question=motions.question).value == '["pan","zoom"]'
    body = token_client(nia).get("/api/answers/", {"question_text": "camera_motion"}).json()
    assert [a["value"] for a in body["results"]] == [["pan", "zoom"]]


def test_none_of_these_is_an_empty_list_and_comes_back_as_one(motions, nia):
    response = post(nia, "/api/annotations/", [answers_record(motions, motions.videos[1], [])])

    assert response.status_code == 200
    assert Answer.objects.get(user=nia, question=motions.question).value == "[]"
    (answer,) = token_client(nia).get("/api/answers/", {"question_text": "camera_motion"}).json()["results"]
    assert answer["value"] == []


def test_a_model_user_submits_predictions_as_lists(motions):
    model = ModelUserFactory(user_id="Motion Model")
    Assignment.objects.create(user=model, project=motions.project, role=Assignment.Role.MODEL)
    body = [
        answers_record(motions, v, ["tilt"], confidence_scores={"camera_motion": 0.8, "steady_shot": None})
        for v in motions.videos[:2]
    ]

    response = post(model, "/api/annotations/", body)

    assert response.status_code == 200 and response.json()["created"] == 2
    values = Answer.objects.filter(user=model, question=motions.question).values_list("value", "confidence_score")
    assert list(values) == [('["tilt"]', 0.8)] * 2


@pytest.mark.parametrize(
    ("motion", "steady", "field", "message"),
    [
        (["roll"], "yes", "answers.camera_motion", '"roll" is not an option (pan, tilt, zoom)'),
        (["pan", "pan"], "yes", "answers.camera_motion", '"pan" is listed twice'),
        ("pan", "yes", "answers.camera_motion", "must be a list of options"),
        (["pan"], ["yes"], "answers.steady_shot", "must be a string"),
        ([1], "yes", "answers.camera_motion", "must be a string or a list of strings"),
        ({"pan": True}, "yes", "answers.camera_motion", "must be a string or a list of strings"),
    ],
    ids=["not-an-option", "twice", "a-string", "a-list-for-single", "numbers", "object"],
)
def test_a_value_the_type_cannot_take_is_a_400_naming_the_field(motions, nia, motion, steady, field, message):
    body = [
        answers_record(motions, motions.videos[0], ["pan"]),  # valid, and not written either
        answers_record(motions, motions.videos[1], motion, steady),
    ]

    response = post(nia, "/api/annotations/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"index": 1, "field": field, "message": message}]
    assert not Answer.objects.filter(user=nia).exists()


# --------------------------------------------------------------------------- ground truth in and out


def test_a_reviewer_sets_ground_truth_as_a_list_and_reads_it_and_its_history_as_lists(motions, reviewer):
    response = post(reviewer, "/api/ground-truth/", [answers_record(motions, motions.videos[0], ["tilt", "pan"], "no")])

    assert response.status_code == 200, response.json()
    gt = GroundTruth.objects.get(video=motions.videos[0], question=motions.question)
    assert (gt.value, gt.reviewer_value) == ('["pan","tilt"]', '["pan","tilt"]')
    client = token_client(reviewer)
    (row,) = client.get("/api/ground-truth/", {"question_text": "camera_motion", "video_uid": "motion0.mp4"}).json()[
        "results"
    ]
    assert (row["value"], row["reviewer_value"]) == (["pan", "tilt"], ["pan", "tilt"])
    assert client.get(f"/api/ground-truth/{gt.pk}/").json()["value"] == ["pan", "tilt"]
    history = client.get("/api/ground-truth/history/", {"question_text": "camera_motion"}).json()["results"]
    assert (history[0]["old_value"], history[0]["new_value"]) == (["pan"], ["pan", "tilt"])
    assert GroundTruthHistory.objects.filter(question=motions.question).first().new_value == '["pan","tilt"]'


def test_a_global_admin_overrides_with_a_list(motions, admin):
    Assignment.objects.get_or_create(user=admin, project=motions.project, role=Assignment.Role.ADMIN)

    response = post(admin, "/api/ground-truth/override/", [answers_record(motions, motions.videos[2], [])])

    assert response.status_code == 200, response.json()
    gt = GroundTruth.objects.get(video=motions.videos[2], question=motions.question)
    assert gt.value == "[]" and gt.overridden_by is None  # the value was already [], so nothing was overridden
    response = post(admin, "/api/ground-truth/override/", [answers_record(motions, motions.videos[2], ["zoom"])])
    gt.refresh_from_db()
    assert (gt.value, gt.reviewer_value, gt.overridden_by) == ('["zoom"]', "[]", admin)


def test_a_bad_ground_truth_list_is_a_400_and_nothing_changes(motions, reviewer):
    response = post(reviewer, "/api/ground-truth/", [answers_record(motions, motions.videos[0], ["pan", "roll"])])

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "answers.camera_motion"
    assert GroundTruth.objects.get(video=motions.videos[0], question=motions.question).value == '["pan"]'


# --------------------------------------------------------------------------- questions and reports


def test_question_payloads_show_default_options_as_a_list(motions, reviewer):
    motions.question.default_option = '["pan","zoom"]'
    motions.question.save()
    motions.single.default_option = "yes"
    motions.single.save()
    client = token_client(reviewer)

    multiple = client.get(f"/api/questions/{motions.question.pk}/").json()
    single = client.get(f"/api/questions/{motions.single.pk}/").json()
    (group,) = client.get("/api/question-groups/", {"question_group_title": "Camera"}).json()["results"]

    assert (multiple["default_options"], multiple["default_option"]) == (["pan", "zoom"], None)
    assert (single["default_options"], single["default_option"]) == (None, "yes")
    assert group["questions"][0]["default_options"] == ["pan", "zoom"]


def test_a_question_without_defaults_shows_null_for_both(motions, reviewer):
    body = token_client(reviewer).get(f"/api/questions/{motions.question.pk}/").json()

    assert (body["default_options"], body["default_option"], body["qtype"]) == (None, None, "multiple")


def test_the_reports_grade_sets_exactly_and_name_the_masi_distance(motions, reviewer):
    client = token_client(reviewer)

    accuracy = client.get(f"/api/projects/{motions.project.pk}/accuracy/").json()
    agreement = client.get(f"/api/projects/{motions.project.pk}/agreement/").json()

    ann = next(u for u in accuracy["users"] if u["user_name"] == "Ann Annotator")
    motion = {k: v for k, v in ann["questions"][0].items() if k != "per_option"}  # test_multiple_choice_figures.py
    assert motion == {"question_text": "camera_motion", "correct": 2, "total": 4, "percent": 50.0}
    row = next(q for q in agreement["questions"] if q["question_text"] == "camera_motion")
    assert row["distance"] == "set distance: MASI" and row["alpha"] == pytest.approx(1 / 22)


# --------------------------------------------------------------------------- the outsider


def test_the_outsider_neither_reads_nor_writes_multiple_choice_values(motions, outsider):
    client = token_client(outsider)

    assert client.get("/api/answers/", {"question_text": "camera_motion"}).json()["results"] == []
    assert client.get("/api/ground-truth/").json()["results"] == []
    assert client.get(f"/api/questions/{motions.question.pk}/").status_code == 404
    assert client.get(f"/api/projects/{motions.project.pk}/agreement/").status_code == 404
    response = post(outsider, "/api/annotations/", [answers_record(motions, motions.videos[0], ["pan"])])
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "project_name"
    assert not Answer.objects.filter(user=outsider).exists()


# --------------------------------------------------------------------------- the OpenAPI schema


def test_the_schema_describes_a_value_as_a_string_or_a_list_of_strings():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    one_of = [{"type": s["type"], **({"items": s["items"]} if "items" in s else {})} for s in _value(components)]

    assert one_of == [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    answers = components["AnnotationRecordRequest"]["properties"]["answers"]["additionalProperties"]
    assert [s["type"] for s in answers["oneOf"]] == ["string", "array"]
    for name, fields in {"GroundTruth": ["value", "reviewer_value"], "GroundTruthHistory": ["new_value"]}.items():
        for field in fields:
            assert [s["type"] for s in components[name]["properties"][field]["oneOf"]] == ["string", "array"]
    default_options = components["Question"]["properties"]["default_options"]
    assert default_options["type"] == "array" and default_options["nullable"] is True


def _value(components) -> list[dict]:
    return components["Answer"]["properties"]["value"]["oneOf"]
