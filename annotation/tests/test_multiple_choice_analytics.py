"""Analytics of multiple-choice questions (issue 15, point 3): exact-set accuracy on every page, per-option
precision and recall (pure arithmetic and the annotator page), and agreement with the MASI distance.
Requirement IDs by analogy: SCORE-ACC-2 (accuracy), SCORE-LB-2 (per question), SCORE-AGR-1..4 (agreement)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotation import analytics
from annotation.models import Answer, GroundTruth
from annotation.progress import schema_layout
from annotation.report import annotator_report
from annotation.scoring.accuracy import Tally
from annotation.scoring.per_option import OptionScore, option_scores
from annotation.scoring.sets import masi_agreement
from annotation.tests.factories import AnswerFactory
from annotation.tests.multiple_choice import Motions, build_motions
from catalog.question_types import get
from catalog.tests.factories import UserFactory
from tests.support.analytics_example import build_example

MULTIPLE = get("multiple")

# --------------------------------------------------------------------------- the arithmetic (no database)


def test_precision_counts_ticked_options_the_ground_truth_holds_and_recall_the_reverse():
    pairs = [({"pan"}, {"pan"}), ({"pan"}, {"pan", "zoom"}), ({"zoom"}, set()), ({"tilt"}, {"tilt"})]

    scores = option_scores(pairs, ["pan", "tilt", "zoom"])

    assert scores == (
        OptionScore("pan", answered=2, truth=2, both=2),
        OptionScore("tilt", answered=1, truth=1, both=1),
        OptionScore("zoom", answered=1, truth=1, both=0),
    )
    assert (scores[0].precision, scores[0].recall) == (100.0, 100.0)
    assert (scores[2].precision, scores[2].recall) == (0.0, 0.0)


def test_an_option_nobody_ticked_has_no_precision_and_one_the_truth_never_holds_no_recall():
    (pan, tilt) = option_scores([(set(), {"pan"}), ({"tilt"}, set())], ["pan", "tilt"])

    assert (pan.precision, pan.recall) == (None, 0.0)
    assert (tilt.precision, tilt.recall) == (0.0, None)


def test_no_pairs_leave_every_option_undefined_and_unknown_values_are_ignored():
    assert option_scores([], ["pan"]) == (OptionScore("pan", 0, 0, 0),)
    assert option_scores([({"roll"}, {"roll", "pan"})], ["pan"]) == (OptionScore("pan", 0, 1, 0),)


def test_the_type_decodes_stored_answers_and_other_types_score_no_options():
    from catalog.models import Question

    q = Question(qtype="multiple", options=["pan", "tilt"], display_values=["Pan", "Tilt"])
    assert MULTIPLE.scores_options and MULTIPLE.agreement_distance == "set distance: MASI"
    assert MULTIPLE.option_scores(q, [('["pan","tilt"]', '["pan"]')]) == (
        OptionScore("pan", 1, 1, 1),
        OptionScore("tilt", 1, 0, 0),
    )
    for other in ("single", "description"):
        assert not get(other).scores_options and get(other).option_scores(q, []) is None
    assert get("single").agreement_distance and not get("description").measures_agreement


# --------------------------------------------------------------------------- read side (the fixtures use the DB)


@pytest.fixture
def motions(reviewer) -> Motions:
    return build_motions(reviewer)


def questions(m: Motions):
    return analytics.questions_of(schema_layout(m.project.schema_id))


def test_accuracy_of_a_multiple_question_is_an_exact_set_match(motions):
    table = analytics.annotator_accuracy(motions.project, questions(motions))

    assert table.tally("Ann Annotator", motions.question.pk) == Tally(2, 4)  # v1 misses zoom, v2 adds it
    assert table.tally("Bob Builder", motions.question.pk) == Tally(2, 3)  # "none of these" on v2 is right


def test_the_personal_report_grades_sets_the_same_way(motions):
    ann = motions.answerers["Ann Annotator"]
    answers = Answer.objects.filter(user=ann).values_list("video_id", "question_id", "value", "review__status")
    gt = GroundTruth.objects.filter(project=motions.project).values_list("video_id", "question_id", "value")

    rows, overall = annotator_report(questions=[motions.question], answers=answers, gt=gt)

    assert (rows[0].correct, rows[0].total) == (2, 4)
    assert overall.tally == Tally(2, 4)


def test_the_annotators_own_report_page_grades_sets_exactly(client, motions):
    ann = motions.answerers["Ann Annotator"]
    for video in motions.videos:
        AnswerFactory(project=motions.project, video=video, question=motions.single, user=ann, value="yes")
    client.force_login(ann)

    response = client.get(reverse("annotate:report", args=[motions.project.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<td>Which camera motions\?</td><td>[^<]*</td><td>2/4</td>", html)
    assert re.search(r"<td>Is the shot steady\?</td><td>[^<]*</td><td>4/4</td>", html)


def test_option_scores_for_everyone_pool_every_answer(motions):
    (report,) = analytics.option_scores(motions.project, questions(motions))

    assert report.question == motions.question and report.compared == 7
    pan, tilt, zoom = report.scores
    assert (pan.precision, pan.recall) == (100.0, 100.0)
    assert (tilt.both, tilt.answered, tilt.truth) == (1, 2, 1)  # Bob's tilt on v0 is not in the GT
    assert (zoom.both, zoom.answered, zoom.truth) == (1, 2, 2)
    assert report.label("zoom") == "Zoom"


def test_option_scores_for_one_user(motions):
    (report,) = analytics.option_scores(motions.project, questions(motions), user_id="Ann Annotator")

    assert report.compared == 4
    assert [(s.option, s.precision, s.recall) for s in report.scores] == [
        ("pan", 100.0, 100.0),
        ("tilt", 100.0, 100.0),
        ("zoom", 0.0, 0.0),
    ]


def test_option_scores_leave_out_videos_without_ground_truth_and_inactive_users(motions):
    GroundTruth.objects.filter(video=motions.videos[3], question=motions.question).delete()
    ghost = UserFactory(is_active=False)
    AnswerFactory(project=motions.project, video=motions.videos[0], question=motions.question, user=ghost, value="[]")

    (report,) = analytics.option_scores(motions.project, questions(motions))

    assert report.compared == 6  # Ann's v3 has no GT now; the inactive user never counts


def test_agreement_measures_multiple_questions_with_the_masi_distance(motions):
    report = analytics.agreement(motions.project, questions(motions))

    (row,) = [r for r in report.rows if r.question == motions.question]
    expected = masi_agreement(
        [
            [frozenset({"pan"}), frozenset({"pan", "tilt"})],
            [frozenset({"pan"}), frozenset({"pan", "zoom"})],
            [frozenset({"zoom"}), frozenset()],
            [frozenset({"tilt"})],
        ]
    )
    assert row.result == expected and row.result.pairable_units == 3
    assert row.distance == "set distance: MASI"
    assert row.coders == 2


# --------------------------------------------------------------------------- pages


def page(client, user, name, project, **query):
    client.force_login(user)
    response = client.get(reverse(f"review:{name}", args=[project.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_annotator_page_shows_set_accuracy_and_a_precision_recall_chart(client, reviewer, motions):
    html = page(client, reviewer, "analytics_annotators", motions.project)

    matrix = re.search(r'<tr><th scope="row" title="camera_motion">Which camera motions\?</th>(.*?)</tr>', html, re.S)
    assert re.findall(r'title="(\d+/\d+)">([^<]*)<', matrix[1]) == [("2/3", "66.6%"), ("2/4", "50%")]
    options = html[html.index('id="options"') :]
    assert 'data-options="3"' in options and "7 answers compared" in options
    assert "Pan, precision: 100% (2 of 2 answers that ticked it)" not in options  # everyone: 4 of 4
    assert "Pan, precision: 100% (4 of 4 answers that ticked it)" in options
    assert "Tilt, precision: 50% (1 of 2 answers that ticked it)" in options
    assert "Zoom, recall: 50% (1 of 2 ground-truth answers that hold it)" in options
    assert '<option value="" selected>Everyone</option>' in options


def test_the_per_option_chart_can_show_one_answerer(client, reviewer, motions):
    html = page(client, reviewer, "analytics_annotators", motions.project, opt="Ann Annotator")

    options = html[html.index('id="options"') :]
    assert "4 answers compared" in options
    assert "Zoom, precision: 0% (0 of 1 answers that ticked it)" in options
    assert '<option value="Ann Annotator" selected>' in options


def test_an_unknown_answerer_falls_back_to_everyone(client, reviewer, motions):
    html = page(client, reviewer, "analytics_annotators", motions.project, opt="Nobody")

    assert "7 answers compared" in html


def test_pages_without_multiple_questions_show_no_per_option_section(client, reviewer, motions):
    example = build_example(reviewer)
    html = page(client, reviewer, "analytics_annotators", example.project)

    assert 'id="options"' not in html
    assert 'id="options"' not in page(client, reviewer, "analytics_reviewers", motions.project)


def test_the_agreement_page_lists_multiple_questions_with_their_distance(client, reviewer, motions):
    html = page(client, reviewer, "analytics_agreement", motions.project)

    row = re.search(r'<th scope="row" title="camera_motion">.*?</tr>', html, re.S)[0]
    assert '<td class="distance">set distance: MASI</td>' in row
    assert "single- and multiple-choice question" in html


def test_an_outsider_sees_no_per_option_figures(client, outsider, motions):
    client.force_login(outsider)

    response = client.get(reverse("review:analytics_annotators", args=[motions.project.pk]), {"opt": "Ann Annotator"})

    assert response.status_code == 404


def test_the_per_option_reads_do_not_grow_with_answerers(client, reviewer, motions):
    client.force_login(reviewer)
    path = reverse("review:analytics_annotators", args=[motions.project.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    before = count()
    for _ in range(5):
        user = UserFactory()
        for video in motions.videos:
            AnswerFactory(project=motions.project, video=video, question=motions.question, user=user, value='["pan"]')
    assert count() == before == 13  # the page's 11, plus GT and answers of the multiple questions
