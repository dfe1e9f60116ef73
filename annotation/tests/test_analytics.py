"""Project analytics (PORTAL-REV-14): leaderboards, matrix, compare, CSV, agreement, access and query budgets.

The analytics URLs live in the reviewer ("review") and meta-reviewer ("meta") namespaces, which both mount
`analytics_urls` through `review_urls` (`annotation/urls.py`).
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from annotation import analytics
from annotation.models import AnswerReview, GroundTruth
from annotation.scoring.accuracy import Tally
from annotation.scoring.agreement import Agreement
from annotation.tests.factories import AnswerFactory
from catalog.models import Assignment, Project, Question, User
from catalog.tests.factories import (
    AdminFactory,
    DescriptionQuestionFactory,
    ModelUserFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)
from tests.support.analytics_example import Example, build_example

PAGES = ("analytics_annotators", "analytics_reviewers", "analytics_agreement")
NOMINAL = "nominal: same option or not"  # the single type's agreement distance
GATED = "Analytics are available once the project&#x27;s ground truth is complete (training mode)."


def url(name: str, project: Project, ns: str = "review", **query) -> str:
    base = reverse(f"{ns}:{name}", args=[project.pk])
    if not query:
        return base
    pairs = [(k, v) for k, values in query.items() for v in (values if isinstance(values, list) else [values])]
    return base + "?" + "&".join(f"{k}={v}" for k, v in pairs)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


# --------------------------------------------------------------------------- the worked example (SCORE-ACC-6)


@pytest.fixture
def example(reviewer) -> Example:
    return build_example(reviewer)


@pytest.fixture
def ann(example) -> User:
    # SCORE-ACC-6: q1 4/5 (the overridden video counts against the current value), q2 3/5, q3 2 approved,
    # 1 rejected, 2 unreviewed.
    return example.answer(UserFactory(user_id="Ann Annotator"), q1=4, q2=3, approved=2, rejected=1, pending=2)


# --------------------------------------------------------------------------- read side


def test_annotator_accuracy_follows_the_worked_example(example, ann):
    table = analytics.annotator_accuracy(example.project, [example.q1, example.q2, example.q3])

    assert table.tally("Ann Annotator", example.q1.pk) == Tally(4, 5)
    assert table.tally("Ann Annotator", example.q2.pk) == Tally(3, 5)
    assert table.tally("Ann Annotator", example.q3.pk) == Tally(2, 3)
    assert table.overall("Ann Annotator") == Tally(9, 13)


def test_reviewer_accuracy_counts_rows_not_overridden(example):
    table = analytics.reviewer_accuracy(example.project, [example.q1, example.q2, example.q3])

    assert table.overall("Rex Reviewer") == Tally(4, 5)
    assert table.overall("Val Validator") == Tally(10, 10)
    assert set(table.people) == {"Rex Reviewer", "Val Validator"}


def test_archived_videos_and_users_are_left_out(example, ann):
    example.videos[4].is_active = False
    example.videos[4].save()
    gone = example.answer(UserFactory(user_id="Gone Away", is_active=False), q1=5)

    table = analytics.annotator_accuracy(example.project, [example.q1, example.q2, example.q3])

    assert gone.user_id not in table.people
    assert table.tally("Ann Annotator", example.q1.pk) == Tally(4, 4)


# --------------------------------------------------------------------------- annotator page


def test_annotator_leaderboard_shows_the_worked_example(client, reviewer, example, ann):
    client.force_login(reviewer)

    response = client.get(url("analytics_annotators", example.project))

    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(r'<tr class="podium rank-1">(.*?)</tr>', html, re.S)[1]
    assert "Ann Annotator (AA)" in row
    assert '<span class="pill needs" title="needs improvement">69.2%</span>' in row
    assert "9/13" in row
    assert html.count('<rect class="bar needs"') == 1


def test_reviewer_leaderboard_shows_the_worked_example(client, reviewer, example):
    client.force_login(reviewer)

    response = client.get(url("analytics_reviewers", example.project))

    assert response.status_code == 200
    html = response.content.decode()
    first = re.search(r'<tr class="podium rank-1">(.*?)</tr>', html, re.S)[1]
    second = re.search(r'<tr class="podium rank-2">(.*?)</tr>', html, re.S)[1]
    assert "Val Validator (VV)" in first and "100%" in first and "10/10" in first
    assert "Rex Reviewer (RR)" in second
    assert '<span class="pill good" title="good">80%</span>' in second
    assert "4/5" in second
    assert "Not overridden" in html


def test_leaderboard_csv_is_exactly_as_specified(client, reviewer, example, ann):
    example.answer(ModelUserFactory(user_id="Model 1"), q1=5)
    example.answer(UserFactory(user_id="Ned Nodata"), pending=2)
    client.force_login(reviewer)

    response = client.get(url("analytics_annotators", example.project, format="csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="leaderboard.csv"'
    assert csv_rows(response) == [
        ["rank", "user_id", "user_type", "accuracy_percent", "correct", "total"],
        ["1", "Model 1", "model", "100.0", "5", "5"],
        ["2", "Ann Annotator", "human", str(900 / 13), "9", "13"],
        ["", "Ned Nodata", "human", "", "0", "0"],
    ]


def test_reviewer_csv_uses_the_same_format(client, reviewer, example):
    client.force_login(reviewer)

    response = client.get(url("analytics_reviewers", example.project, format="csv"))

    assert csv_rows(response)[1:] == [
        ["1", "Val Validator", "human", "100.0", "10", "10"],
        ["2", "Rex Reviewer", "human", "80.0", "4", "5"],
    ]


def test_per_question_csv_holds_unrounded_percentages(client, reviewer, example, ann):
    example.answer(UserFactory(user_id="Sam Single"), q1=1)
    client.force_login(reviewer)

    response = client.get(url("analytics_annotators", example.project, format="csv", table="per_question"))

    assert response["Content-Disposition"] == 'attachment; filename="per_question.csv"'
    assert csv_rows(response) == [
        ["question_text", "Ann Annotator", "Sam Single"],
        ["pizza_visible", "80.0", "20.0"],
        ["oven_open", "60.0", ""],
        ["describe_scene", str(200 / 3), ""],
    ]


def test_leaderboard_ranks_models_and_lists_no_data_last(client, reviewer, example, ann):
    example.answer(ModelUserFactory(user_id="Model 1"), q1=5, q2=5)
    example.answer(UserFactory(user_id="Bea Baker"), q1=5, q2=5, approved=3)
    example.answer(UserFactory(user_id="Ned Nodata"), pending=3)
    client.force_login(reviewer)

    html = client.get(url("analytics_annotators", example.project)).content.decode()

    names = re.findall(r"<td>([^<]+ \(\w\w\))</td>", html)
    assert names == ["Bea Baker (BB)", "Model 1 (M1)", "Ann Annotator (AA)", "Ned Nodata (NN)"]
    model_row = re.search(r'<tr class="podium rank-2">(.*?)</tr>', html, re.S)[1]
    assert '<span class="badge model">Model</span>' in model_row
    assert re.search(r'<tr class="no-data">.*?Ned Nodata.*?no data', html, re.S)
    # Summary: the mean of 100, 100 and 69.23…, the highest, the lowest, the count.
    assert re.search(r"Average</span><span class=\"stat-value\">89.7%", html)
    assert re.search(r"Highest</span><span class=\"stat-value\">100%", html)
    assert re.search(r"Lowest</span><span class=\"stat-value\">69.2%", html)
    assert re.search(r"stat-value\">3</span><span class=\"stat-note\">\+ 1 with no data", html)
    # The chart: one bar per ranked user, coloured by band.
    assert re.search(r'data-bars="3"', html)
    assert len(re.findall(r'<rect class="bar (excellent|needs)"', html)) == 3


def test_matrix_defaults_to_the_top_five_and_takes_chosen_users(client, reviewer, example, ann):
    others = [example.answer(UserFactory(user_id=f"User {c}"), q1=5, q2=5) for c in "ABCDEF"]
    client.force_login(reviewer)

    html = client.get(url("analytics_annotators", example.project)).content.decode()
    matrix = re.search(r'<table class="list matrix">(.*?)</table>', html, re.S)[1]
    assert re.findall(r'<th class="num">([^<]+) \(', matrix) == ["User A", "User B", "User C", "User D", "User E"]

    chosen = url("analytics_annotators", example.project, u=["Ann Annotator", others[5].user_id]).replace(" ", "+")
    matrix = re.search(r'<table class="list matrix">(.*?)</table>', client.get(chosen).content.decode(), re.S)[1]
    assert re.findall(r'<th class="num">([^<]+) \(', matrix) == ["User F", "Ann Annotator"]
    q3_row = re.search(r'title="describe_scene">Describe the scene.</th>(.*?)</tr>', matrix, re.S)[1]
    assert re.findall(r'title="([^"]*)">([^<]+)</td>', q3_row) == [("0/0", "—"), ("2/3", "66.6%")]


def test_compare_shows_each_value_the_mean_and_signed_differences(client, reviewer, example, ann):
    example.answer(UserFactory(user_id="Bea Baker"), q1=5, q2=5, approved=3)
    client.force_login(reviewer)

    query = url("analytics_annotators", example.project, cmp=["Ann Annotator", "Bea Baker"]).replace(" ", "+")
    html = client.get(query).content.decode()

    table = re.search(r'<table class="list matrix comparison">(.*?)</table>', html, re.S)[1]
    q1_row = re.search(r"Is a pizza visible\?</th>(.*?)</tr>", table, re.S)[1]
    # Bea (rank 1) 100%, Ann 80%: mean 90, differences +10.0 / -10.0.
    assert re.sub(r"<[^>]+>|\s+", " ", q1_row).split() == ["100%", "+10.0", "80%", "-10.0", "90%"]
    overall = re.search(r'<tr class="overall">(.*?)</tr>', table, re.S)[1]
    # Overall: 100 and 69.23…: mean 84.61…, differences +15.38… and -15.38…, truncated.
    assert re.sub(r"<[^>]+>|\s+", " ", overall).split() == ["Overall", "100%", "+15.3", "69.2%", "-15.3", "84.6%"]


def test_compare_needs_two_to_five_users(client, reviewer, example, ann):
    client.force_login(reviewer)

    html = client.get(url("analytics_annotators", example.project, cmp="Ann+Annotator")).content.decode()

    assert "Pick 2 to 5 users to compare (you picked 1)." in html
    assert 'class="list matrix comparison"' not in html


# --------------------------------------------------------------------------- training-mode gating


@pytest.mark.parametrize("name", ["analytics_annotators", "analytics_reviewers"])
def test_leaderboards_wait_for_complete_ground_truth(client, reviewer, project, name):
    client.force_login(reviewer)

    for query in ({}, {"format": "csv"}):
        response = client.get(url(name, project, **query))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert GATED in html
        assert "Annotation mode" in html
        assert "<table" not in html and 'class="bar-chart"' not in html


def test_agreement_is_offered_in_annotation_mode(client, reviewer, project, annotator):
    q = project.schema.groups.first().questions.filter(qtype="single").first()
    for user, value in ((annotator, "yes"), (reviewer, "yes")):
        for video in project.videos.all():
            AnswerFactory(project=project, video=video, question=q, user=user, value=value)
    client.force_login(reviewer)

    response = client.get(url("analytics_agreement", project))

    assert response.status_code == 200
    html = response.content.decode()
    assert GATED not in html
    assert "— (all answers identical)" in html


# --------------------------------------------------------------------------- agreement (SCORE-AGR-6)


@pytest.fixture
def coded(reviewer):
    """The SCORE-AGR-6 answers on a single question, a second question on which everyone agrees, and a model."""
    q = SingleQuestionFactory(text="topping", display_text="Topping?", options=["A", "B"], display_values=["A", "B"])
    same = SingleQuestionFactory(text="crust", display_text="Crust?")
    text = DescriptionQuestionFactory(text="notes", display_text="Notes")
    videos = [VideoFactory() for _ in range(4)]
    schema = SchemaFactory(groups=[QuestionGroupFactory(questions=[q, same, text])])
    project = ProjectFactory(schema=schema, videos=videos)
    Assignment.objects.create(user=reviewer, project=project, role=Assignment.Role.REVIEWER)
    c1, c2, c3 = UserFactory(user_id="Coder One"), UserFactory(user_id="Coder Two"), AdminFactory(user_id="Coder Adm")
    model = ModelUserFactory(user_id="Model 9")
    gone = UserFactory(user_id="Gone Coder", is_active=False)
    table = {
        0: {c1: "A", c2: "A", c3: "B"},
        1: {c1: "A", c2: "A", model: "B"},
        2: {c1: "B", c2: "B", c3: "B", gone: "A"},
        3: {c1: "A"},
    }
    for i, answers in table.items():
        for user, value in answers.items():
            AnswerFactory(project=project, video=videos[i], question=q, user=user, value=value)
            AnswerFactory(project=project, video=videos[i], question=same, user=user, value="yes")
            AnswerFactory(project=project, video=videos[i], question=text, user=user, value=value)
    return project


def test_agreement_matches_the_worked_example(client, reviewer, coded):
    client.force_login(reviewer)

    html = client.get(url("analytics_agreement", coded)).content.decode()

    rows = re.findall(r'<tr>\s*<th scope="row" title="(\w+)">.*?</th>(.*?)</tr>', html, re.S)
    cells = {name: re.findall(r"<td[^>]*>([^<]*)</td>", body) for name, body in rows}
    # Pairable videos, distance, coders, n, PA (10/14 = 71.42…%, truncated), α = 0.5625 to 3 decimals.
    assert cells == {
        "topping": ["3", NOMINAL, "3", "8", "71.4%", "0.563"],
        "crust": ["3", NOMINAL, "3", "8", "100%", "— (all answers identical)"],
    }
    assert "notes" not in dict(rows)  # description questions are excluded
    assert re.search(r'Mean percent agreement</span><span class="stat-value">85.7%', html)
    assert re.search(r"Mean Krippendorff's <span class=\"sym\">α</span></span><span class=\"stat-value\">0.563", html)
    assert 'data-bars="2"' in html and html.count('<rect class="bar') == 1  # no bar for an undefined α


def test_agreement_can_include_model_users(client, reviewer, coded):
    client.force_login(reviewer)

    html = client.get(url("analytics_agreement", coded, models="1")).content.decode()

    topping = re.search(r'title="topping">.*?</th>(.*?)</tr>', html, re.S)[1]
    # v2 becomes A, A, B: PA = 10/18 = 55.5…%, α = 1 − (4/9)/(5/9) = 0.2.
    assert re.findall(r"<td[^>]*>([^<]*)</td>", topping) == ["3", NOMINAL, "4", "9", "55.5%", "0.200"]
    assert 'class="toggle-option on" href="?models=1"' in html


def test_agreement_read_side_returns_unrounded_values(coded):
    questions = list(Question.objects.filter(text__in=["topping", "crust", "notes"]).order_by("-qtype", "-text"))

    report = analytics.agreement(coded, questions)

    topping = next(r for r in report.rows if r.question.text == "topping")
    assert topping.result.percent_agreement == pytest.approx(100 * 10 / 14)
    assert topping.result.alpha == pytest.approx(0.5625)
    assert report.coders == 3


def test_alpha_chart_draws_negative_values_left_of_zero():
    from annotation.views.analytics_charts import alpha_chart

    def row(text, alpha, identical=False):
        q = SingleQuestionFactory.build(text=text, display_text=text)
        return analytics.AgreementRow(q, 2, Agreement(2, 4, 50.0, alpha, identical))

    chart = alpha_chart([row("up", 0.9), row("down", -0.3), row("same", None, identical=True)])

    assert [t.label for t in chart.ticks] == ["-0.5", "0", "0.5", "1"]
    up, down, same = chart.bars
    assert up.x == chart.zero_x and up.css == "reliable"
    assert down.x < chart.zero_x and down.x + down.width == pytest.approx(chart.zero_x) and down.css == "low"
    assert not same.defined and same.value == "— (all answers identical)"


# --------------------------------------------------------------------------- access (SEC-4/5)


@pytest.mark.parametrize("name", PAGES)
def test_outsider_gets_404_everywhere(client, outsider, project, name):
    client.force_login(outsider)

    assert client.get(url(name, project)).status_code == 404
    assert client.get(url(name, project, format="csv")).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_plain_annotator_gets_404(client, annotator, project, name):
    client.force_login(annotator)

    assert client.get(url(name, project)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_non_admin_gets_403_on_the_meta_portal(client, reviewer, outsider, project, name):
    for user in (reviewer, outsider):
        client.force_login(user)
        assert client.get(url(name, project, ns="meta")).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitor_is_sent_to_login(client, project, name):
    response = client.get(url(name, project))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("name", PAGES)
def test_archived_project_is_404(client, reviewer, project, name):
    Project.objects.filter(pk=project.pk).update(is_active=False)
    client.force_login(reviewer)

    assert client.get(url(name, project)).status_code == 404


def test_global_admin_uses_both_portals_with_links_in_each(client, example, ann):
    client.force_login(example.admin)

    meta = client.get(url("analytics_reviewers", example.project, ns="meta"))
    review = client.get(url("analytics_annotators", example.project))

    assert meta.status_code == 200 and review.status_code == 200
    assert meta.context["portal"] == "meta-review" and review.context["portal"] == "review"
    assert f'href="/meta-review/{example.project.pk}/analytics/agreement/"' in meta.content.decode()
    assert f'href="/review/{example.project.pk}/analytics/agreement/"' in review.content.decode()
    # Each page links back to the project page of the portal it was opened from.
    assert f'class="back" href="/meta-review/{example.project.pk}/"' in meta.content.decode()
    assert f'class="back" href="/review/{example.project.pk}/"' in review.content.decode()


def test_admin_without_an_admin_row_gets_404_on_meta(client, project):
    admin_user = AdminFactory()  # no rows yet in this project

    client.force_login(admin_user)

    assert client.get(url("analytics_agreement", project, ns="meta")).status_code == 404


def test_user_text_is_escaped(client, reviewer, example):
    example.answer(UserFactory(user_id="<b>Bold</b> Person"), q1=5)
    client.force_login(reviewer)

    html = client.get(url("analytics_annotators", example.project)).content.decode()

    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; Person" in html


# --------------------------------------------------------------------------- query budgets


def crowd(example: Example, n: int) -> None:
    """n answerers of mixed skill, and n reviewers sharing the GT rows of q2."""
    for i in range(n):
        example.answer(UserFactory(), q1=i % 6, q2=5 - i % 6, approved=i % 3, rejected=1, pending=1)
    if n:
        reviewers = [UserFactory() for _ in range(n)]
        for i, gt in enumerate(GroundTruth.objects.filter(project=example.project, question=example.q2)):
            gt.reviewer = reviewers[i % n]
            gt.save()
    assert AnswerReview.objects.exists()


# Session, user, the reviewer row, project_figures without a user (3), schema_layout (2), the reads, and the
# navigation's role lookup when a page renders. Pinned for 2 and 8 users: none of these grows with users.
BUDGET = {
    "analytics_annotators": 11,  # reads: GT values; answers with their users and review status
    "analytics_reviewers": 10,  # read: GT rows with their reviewers
    "analytics_agreement": 10,  # read: answers to single questions
}


@pytest.mark.parametrize("n", [2, 8])
@pytest.mark.parametrize("name", PAGES)
def test_pages_use_a_fixed_number_of_queries(client, reviewer, example, ann, django_assert_num_queries, n, name):
    crowd(example, n)
    client.force_login(reviewer)
    everyone = list(User.objects.filter(answers__project=example.project).distinct().values_list("user_id", flat=True))
    query = {"u": everyone, "cmp": everyone[:5], "models": "1"}

    with django_assert_num_queries(BUDGET[name]):
        response = client.get(url(name, example.project, **query).replace(" ", "+"))

    assert response.status_code == 200


@pytest.mark.parametrize("n", [2, 8])
def test_csv_uses_a_fixed_number_of_queries(client, reviewer, example, ann, django_assert_num_queries, n):
    crowd(example, n)
    client.force_login(reviewer)

    with django_assert_num_queries(BUDGET["analytics_annotators"] - 1):  # no page, so no navigation
        response = client.get(url("analytics_annotators", example.project, format="csv", table="per_question"))

    assert len(csv_rows(response)[0]) == 1 + n + 1


def test_gated_page_skips_the_reads(client, reviewer, project, django_assert_num_queries):
    client.force_login(reviewer)

    with django_assert_num_queries(7):  # session, user, row, project_figures (3), navigation
        assert client.get(url("analytics_annotators", project)).status_code == 200
