"""Search by GT for multiple-choice questions (issue 15, point 2): "contains option X" and "exactly these
options" criteria, built in the criteria builder, matched over the GT rows whatever the options hold (quotes,
commas, % and _), shown readably, and the search portal's GT cards. By analogy with PORTAL-SRCH-4..9."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from annotation import search
from annotation.models import Answer, GroundTruth
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import (
    AdminFactory,
    MultipleQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db

QUOTE, COMMA, PERCENT, UNDER = 'say "hi"', "a,b", "100%", "x_y"


@pytest.fixture
def project(db):
    """One multiple-choice question whose options need escaping anywhere text is matched, four videos."""
    tricky = MultipleQuestionFactory(
        text="Which marks?",
        options=[QUOTE, COMMA, PERCENT, UNDER],
        display_values=["Quote", "Comma", "Percent", "Under"],
        option_weights=[1.0] * 4,
    )
    group = QuestionGroupFactory(questions=[tricky])
    videos = [VideoFactory(video_uid=f"mark{i}.mp4") for i in range(4)]
    return ProjectFactory(schema=SchemaFactory(groups=[group]), videos=videos)


@pytest.fixture
def admin(project):
    user = AdminFactory(user_id="Sam Searcher")
    ensure_global_admin_rows(users=[user])
    return user


@pytest.fixture
def labelled(project, reviewer):
    """GT: mark0 {quote, 100%}, mark1 {a,b}, mark2 none of these, mark3 no GT."""
    group = project.schema.memberships.get().group
    (question,) = group.ordered_questions()
    videos = list(project.videos.order_by("project_links__position"))
    kind = question.kind
    for video, values in zip(videos, ([PERCENT, QUOTE], [COMMA], []), strict=False):
        stored = kind.to_stored(question, values)
        GroundTruth.objects.create(
            project=project, video=video, question=question, value=stored, reviewer_value=stored, reviewer=reviewer
        )
    return group, question, videos


def crit(project, question, wanted):
    return f"{project.pk}~{question.pk}~{wanted}"


def matched(project, question, *wanted, match_all=False):
    criteria = [search.Criterion(project.pk, question.pk, w) for w in wanted]
    return [
        m.video_id for m in search.match_criteria(criteria, match_all=match_all, kinds={question.pk: question.kind})
    ]


# --------------------------------------------------------------------------- access


def test_non_admins_cannot_search_or_edit_multiple_choice_gt(client, reviewer, outsider, project, labelled):
    group, question, videos = labelled
    for user in (reviewer, outsider):
        client.force_login(user)
        url = reverse("search:criteria_project")
        assert client.get(url, {"scope": project.pk, "c": crit(project, question, "has:a,b")}).status_code == 403
        submit = reverse("search:submit", args=[project.pk, videos[3].pk, group.pk])
        assert client.post(submit, {f"v{videos[3].pk}g{group.pk}-q{question.pk}": [COMMA]}).status_code == 403
    assert GroundTruth.objects.count() == 3


# --------------------------------------------------------------------------- matching


def test_contains_matches_sets_holding_the_option_whatever_it_holds(project, labelled):
    group, question, (mark0, mark1, mark2, mark3) = labelled
    assert matched(project, question, f"has:{QUOTE}") == [mark0.pk]
    assert matched(project, question, f"has:{PERCENT}") == [mark0.pk]
    assert matched(project, question, f"has:{COMMA}") == [mark1.pk]  # not "a" and "b"
    assert matched(project, question, f"has:{UNDER}") == []  # _ is no wildcard
    assert matched(project, question, "has:a") == [] and matched(project, question, "has:%") == []
    # ALL over two "contains" criteria: both options; ANY: either.
    assert matched(project, question, f"has:{QUOTE}", f"has:{COMMA}", match_all=True) == []
    assert matched(project, question, f"has:{QUOTE}", f"has:{PERCENT}", match_all=True) == [mark0.pk]
    assert matched(project, question, f"has:{QUOTE}", f"has:{COMMA}") == [mark0.pk, mark1.pk]


def test_exactly_is_the_same_set_and_none_of_these_is_the_empty_set(project, labelled):
    group, question, (mark0, mark1, mark2, mark3) = labelled
    stored = question.kind.to_stored
    assert matched(project, question, stored(question, [QUOTE, PERCENT])) == [mark0.pk]  # in any order
    assert matched(project, question, stored(question, [QUOTE])) == []  # a subset is not the set
    assert matched(project, question, "[]") == [mark2.pk]  # no GT (mark3) is not "none of these"
    assert matched(project, question, '["100%","say \\"hi\\""]') == []  # not canonical: matches nothing


# --------------------------------------------------------------------------- the builder and the results page


def test_the_builder_offers_contains_or_exactly_with_a_box_per_option(client, admin, project, labelled):
    group, question, videos = labelled
    client.force_login(admin)
    page = client.get(
        reverse("search:criteria_project"), {"scope": project.pk, "pick_scope": project.pk, "pick_q": question.pk}
    ).content.decode()
    assert '<option value="contains">contains each ticked option</option>' in page
    assert '<option value="exactly">is exactly the ticked options</option>' in page
    assert '<input type="checkbox" name="add_a" value="say &quot;hi&quot;"> Quote' in page
    assert '<input type="checkbox" name="add_a" value=""> None of these' in page
    assert "{#" not in page and "comment %}" not in page  # no template comment leaks onto the page


@pytest.mark.parametrize(
    ("mode", "ticked", "added"),
    [
        ("contains", [COMMA, QUOTE], [f"has:{COMMA}", f"has:{QUOTE}"]),  # one criterion per option
        ("exactly", [PERCENT, QUOTE], ['["say \\"hi\\"","100%"]']),  # the set in option order
        ("exactly", [""], ["[]"]),
        ("exactly", ["", COMMA], []),  # a contradiction adds nothing
        ("exactly", ["roll"], []),
        ("contains", [], []),
    ],
)
def test_adding_a_criterion_folds_the_ticked_options_into_the_query(
    client, admin, project, labelled, mode, ticked, added
):
    group, question, videos = labelled
    client.force_login(admin)
    response = client.get(
        reverse("search:criteria_project"),
        {"scope": project.pk, "add_scope": project.pk, "add_q": question.pk, "add_mode": mode, "add_a": ticked},
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query, keep_blank_values=True)
    assert query.get("c", []) == [crit(project, question, w) for w in added]
    assert "add_mode" not in query and "add_a" not in query


def test_results_read_as_labels_and_cards_show_shares(client, admin, annotator, project, labelled):
    group, question, (mark0, mark1, mark2, mark3) = labelled
    Answer.objects.create(project=project, video=mark0, question=question, user=annotator, value='["say \\"hi\\""]')
    client.force_login(admin)
    url = reverse("search:criteria_project")
    wanted = [crit(project, question, f"has:{QUOTE}"), crit(project, question, "[]")]
    response = client.get(url, {"scope": project.pk, "c": wanted})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Which marks? contains “Quote”" in page and "Which marks? is exactly “None of these”" in page
    assert "ground truth “Quote; Percent”" in page and "ground truth “None of these”" in page
    assert "Quote — 100%: AO | GT" in page and "Percent | GT" in page  # the editable card's shares
    assert '["' not in page.replace('value="[]"', "")  # no stored text shown


def test_search_submit_writes_the_canonical_set(client, admin, project, labelled):
    group, question, (mark0, mark1, mark2, mark3) = labelled
    client.force_login(admin)
    url = reverse("search:submit", args=[project.pk, mark3.pk, group.pk])
    response = client.post(
        url, {f"v{mark3.pk}g{group.pk}-q{question.pk}": [UNDER, COMMA]}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert GroundTruth.objects.get(video=mark3).value == '["a,b","x_y"]'
