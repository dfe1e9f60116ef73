"""Per-option precision and recall of multiple-choice questions (issue 15, point 3) outside the chart: the
per_option.csv download of the annotator analytics page and the per-option blocks of the accuracy API.
Requirement IDs by analogy: SCORE-LB-6 (CSV downloads), API-4 (reports), SEC-5 (who may read them).

The worked answers are those of annotation/tests/multiple_choice.py; Bob ranks first (2/3), Ann second (2/4).
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from annotation.tests.factories import AnswerFactory
from annotation.tests.multiple_choice import Motions, build_motions
from catalog.models import Assignment
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import AdminFactory, UserFactory
from tests.support.analytics_example import build_example
from tests.support.api_cast import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def motions(reviewer) -> Motions:
    return build_motions(reviewer)


def add_answerers(m: Motions, n: int) -> None:
    for _ in range(n):
        user = UserFactory()
        for video in m.videos:
            AnswerFactory(project=m.project, video=video, question=m.question, user=user, value='["pan"]')


def count_queries(get) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert get().status_code == 200
    return len(queries)


# --------------------------------------------------------------------------- per_option.csv


def per_option_csv(client, user, project, namespace="review"):
    client.force_login(user)
    url = reverse(f"{namespace}:analytics_annotators", args=[project.pk])
    return client.get(url, {"format": "csv", "table": "per_option"})


def test_per_option_csv_lists_everyone_then_each_answerer_by_rank_with_the_counts(client, reviewer, motions):
    response = per_option_csv(client, reviewer, motions.project)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="per_option.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        *("question_text", "option", "label", "user_id", "user_type", "compared"),
        *("precision_percent", "recall_percent", "ticked", "in_ground_truth", "both"),
    ]
    assert rows[1:] == [
        ["camera_motion", "pan", "Pan", "everyone", "", "7", "100.0", "100.0", "4", "4", "4"],
        ["camera_motion", "tilt", "Tilt", "everyone", "", "7", "50.0", "100.0", "2", "1", "1"],
        ["camera_motion", "zoom", "Zoom", "everyone", "", "7", "50.0", "50.0", "2", "2", "1"],
        # Bob ranks first (2/3): his tilt on v0 is not in the GT, and no GT he answered holds tilt (recall empty).
        ["camera_motion", "pan", "Pan", "Bob Builder", "human", "3", "100.0", "100.0", "2", "2", "2"],
        ["camera_motion", "tilt", "Tilt", "Bob Builder", "human", "3", "0.0", "", "1", "0", "0"],
        ["camera_motion", "zoom", "Zoom", "Bob Builder", "human", "3", "100.0", "100.0", "1", "1", "1"],
        ["camera_motion", "pan", "Pan", "Ann Annotator", "human", "4", "100.0", "100.0", "2", "2", "2"],
        ["camera_motion", "tilt", "Tilt", "Ann Annotator", "human", "4", "100.0", "100.0", "1", "1", "1"],
        ["camera_motion", "zoom", "Zoom", "Ann Annotator", "human", "4", "0.0", "0.0", "1", "1", "0"],
    ]


def test_percentages_in_per_option_csv_are_unrounded(client, reviewer, motions):
    AnswerFactory(
        project=motions.project,
        video=motions.videos[3],
        question=motions.question,
        user=motions.answerers["Bob Builder"],
        value='["pan"]',
    )

    rows = list(csv.reader(io.StringIO(per_option_csv(client, reviewer, motions.project).content.decode())))

    pan = next(r for r in rows if r[1] == "pan" and r[3] == "everyone")
    assert float(pan[6]) == pytest.approx(400 / 5) and pan[6] == "80.0"
    bob_pan = next(r for r in rows if r[1] == "pan" and r[3] == "Bob Builder")
    assert float(bob_pan[6]) == pytest.approx(200 / 3) and len(bob_pan[6]) > 6


def test_the_per_option_section_links_its_csv_next_to_the_charts(client, reviewer, motions):
    client.force_login(reviewer)

    html = client.get(reverse("review:analytics_annotators", args=[motions.project.pk])).content.decode()

    options = html[html.index('id="options"') :]
    assert 'href="?format=csv&amp;table=per_option"' in options[: options.index("option-charts")]
    assert "Download per_option.csv" in options


def test_a_global_admin_downloads_it_from_the_meta_reviewer_portal(client, motions):
    admin = AdminFactory(user_id="Admin One")
    ensure_global_admin_rows(users=[admin])

    response = per_option_csv(client, admin, motions.project, namespace="meta")

    assert response.status_code == 200 and response.content.decode().count("\n") == 10


def test_a_project_without_multiple_questions_has_a_header_only_csv(client, reviewer):
    example = build_example(reviewer)
    example.answer(UserFactory(), q1=3, q2=5)

    response = per_option_csv(client, reviewer, example.project)

    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "question_text,option,label,user_id,user_type,compared,precision_percent,recall_percent,ticked,"
        "in_ground_truth,both"
    ]


def test_the_reviewer_page_has_no_per_option_csv(client, reviewer, motions):
    client.force_login(reviewer)
    url = reverse("review:analytics_reviewers", args=[motions.project.pk])

    response = client.get(url, {"format": "csv", "table": "per_option"})

    assert response["Content-Disposition"] == 'attachment; filename="leaderboard.csv"'


def test_outsiders_and_annotators_do_not_get_per_option_csv(client, outsider, motions):
    assert per_option_csv(client, outsider, motions.project).status_code == 404
    assert per_option_csv(client, motions.answerers["Ann Annotator"], motions.project).status_code == 404


def test_per_option_csv_does_not_grow_with_answerers(client, reviewer, motions):
    client.force_login(reviewer)
    url = reverse("review:analytics_annotators", args=[motions.project.pk])

    def get():
        return client.get(url, {"format": "csv", "table": "per_option"})

    before = count_queries(get)
    add_answerers(motions, 5)
    assert count_queries(get) == before


# --------------------------------------------------------------------------- the accuracy API


def accuracy(user, project, **query):
    return token_client(user).get(f"/api/projects/{project.pk}/accuracy/", query)


PAN_EVERYONE = {
    "option": "pan",
    "label": "Pan",
    "precision": 100.0,
    "recall": 100.0,
    "ticked": 4,
    "in_ground_truth": 4,
    "both": 4,
}


def test_annotator_accuracy_carries_everyones_per_option_figures(motions, reviewer):
    body = accuracy(reviewer, motions.project).json()

    (block,) = body["per_option"]
    assert block["question_text"] == "camera_motion" and block["compared"] == 7
    assert block["options"][0] == PAN_EVERYONE
    assert [(o["option"], o["precision"], o["recall"]) for o in block["options"][1:]] == [
        ("tilt", 50.0, 100.0),
        ("zoom", 50.0, 50.0),
    ]


def test_each_users_multiple_question_carries_their_per_option_figures(motions, reviewer):
    body = accuracy(reviewer, motions.project).json()

    bob, ann = body["users"]
    assert (bob["user_name"], ann["user_name"]) == ("Bob Builder", "Ann Annotator")
    motion, steady = ann["questions"]
    assert motion["per_option"]["compared"] == 4
    assert [(o["option"], o["precision"], o["recall"], o["ticked"], o["in_ground_truth"], o["both"]) for o in
            motion["per_option"]["options"]] == [
        ("pan", 100.0, 100.0, 2, 2, 2),
        ("tilt", 100.0, 100.0, 1, 1, 1),
        ("zoom", 0.0, 0.0, 1, 1, 0),
    ]  # fmt: skip
    tilt = bob["questions"][0]["per_option"]["options"][1]
    assert (tilt["precision"], tilt["recall"]) == (0.0, None)
    assert "per_option" not in steady  # a single-choice question scores no options


def test_an_answerer_without_compared_answers_has_undefined_figures(motions, reviewer):
    cy = UserFactory(user_id="Cy Clist")
    Assignment.objects.create(user=cy, project=motions.project, role=Assignment.Role.ANNOTATOR)
    AnswerFactory(project=motions.project, video=motions.videos[0], question=motions.single, user=cy, value="yes")

    body = accuracy(reviewer, motions.project).json()

    found = next(u for u in body["users"] if u["user_name"] == "Cy Clist")
    block = found["questions"][0]["per_option"]
    assert block["compared"] == 0
    assert {(o["precision"], o["recall"], o["ticked"]) for o in block["options"]} == {(None, None, 0)}


def test_reviewer_accuracy_has_no_per_option_figures(motions, reviewer):
    body = accuracy(reviewer, motions.project, kind="reviewer").json()

    assert body["per_option"] == []
    assert all("per_option" not in q for u in body["users"] for q in u["questions"])


def test_a_project_without_multiple_questions_has_an_empty_per_option_list(reviewer):
    example = build_example(reviewer)
    example.answer(UserFactory(), q1=3, q2=5)

    body = accuracy(reviewer, example.project).json()

    assert body["per_option"] == [] and body["users"]
    assert all("per_option" not in q for u in body["users"] for q in u["questions"])


def test_outsiders_and_annotators_read_no_per_option_figures(motions, outsider):
    assert accuracy(outsider, motions.project).status_code == 404
    response = accuracy(motions.answerers["Ann Annotator"], motions.project)
    assert response.status_code == 403 and "per_option" not in response.json()


def test_the_accuracy_api_does_not_grow_with_answerers(motions, reviewer):
    client = token_client(reviewer)
    url = f"/api/projects/{motions.project.pk}/accuracy/"

    client.get(url)  # the token's first use is recorded once
    before = count_queries(lambda: client.get(url))
    add_answerers(motions, 5)
    assert count_queries(lambda: client.get(url)) == before


def test_the_schema_describes_the_per_option_blocks():
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]

    assert components["Accuracy"]["properties"]["per_option"]["type"] == "array"
    assert "per_option" in components["Accuracy"]["required"]
    tally = components["QuestionTally"]
    assert "per_option" in tally["properties"] and "per_option" not in tally["required"]
    figure = components["OptionFigure"]
    assert set(figure["properties"]) == {"option", "label", "precision", "recall", "ticked", "in_ground_truth", "both"}
    assert figure["properties"]["precision"]["nullable"] is True
