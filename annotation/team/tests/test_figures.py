"""The team figures against values computed by hand on annotation.team.tests.workspace (issue 17, points 1 and 5)."""

import datetime

import pytest

from annotation import analytics
from annotation.progress import schema_layout
from annotation.team.figures import ANNOTATOR, META, REVIEWER, Filters, team_figures
from annotation.team.tests import workspace

pytestmark = pytest.mark.django_db
ALL_TIME = Filters()


@pytest.fixture
def team():
    return workspace.build()


def _row(figures, person, role):
    (row,) = [r for r in figures.rows if r.person == person and r.role == role]
    return row


def test_annotator_figures_count_overrides_archived_assignments_and_skip_archived_videos(team):
    figures = team_figures(ALL_TIME)
    ann = _row(figures, team.ann, ANNOTATOR)
    assert ann.projects_assigned == 1  # Dogs is archived
    assert ann.completion == 100.0  # Cats: 4 of 2 videos × 2 questions; Dogs' archived row is left out
    # q1: 2/2 (v2 matches the override, not the reviewer's "no"); q2: 1 approved of 2 reviewed → 3/4
    assert (ann.tally.correct, ann.tally.total, ann.accuracy) == (3, 4, 75.0)
    assert ann.submitted == 5  # 4 in Cats + 1 in Dogs (archived assignment); the archived video's answer is out
    assert ann.reviews is None
    assert ann.last_activity == workspace.at(10, 8)
    cats, dogs = sorted(ann.cells, key=lambda c: c.project.name)
    assert (cats.active, cats.done, cats.total, cats.training) == (True, 4, 4, True)
    assert (dogs.active, dogs.done, dogs.total, dogs.training, dogs.accuracy) == (False, 1, 2, False, None)


def test_model_users_are_annotators_with_their_own_accuracy(team):
    model = _row(team_figures(ALL_TIME), team.model, ANNOTATOR)
    assert model.person.is_model
    assert (model.completion, model.accuracy, model.submitted) == (50.0, 50.0, 2)


def test_reviewer_figures(team):
    figures = team_figures(ALL_TIME)
    rex = _row(figures, team.rex, REVIEWER)
    assert rex.projects_assigned == 2
    assert rex.completion == pytest.approx(5 * 100 / 6)  # GT: Cats 4/4, Dogs 1/2
    assert (rex.tally.correct, rex.tally.total, rex.accuracy) == (3, 4, 75.0)  # Cats only: one of 4 overridden
    assert rex.submitted == 5
    assert rex.reviews == 2
    assert rex.last_activity == workspace.at(7)  # the Dogs ground truth, after the last review (Nov 5)
    # A reviewer also holds annotator rows: there is a row, with nothing done.
    assert _row(figures, team.rex, ANNOTATOR).submitted == 0


def test_meta_reviewer_figures(team):
    boss = _row(team_figures(ALL_TIME), team.boss, META)
    assert boss.projects_assigned == 2
    assert boss.submitted == 1
    assert boss.accuracy is None and boss.reviews is None
    assert boss.completion == pytest.approx(5 * 100 / 6)
    assert boss.last_activity == workspace.at(6)


def test_accuracy_is_the_leaderboards(team):
    """The team page does not have an accuracy rule of its own: the same tallies as SCORE-ACC's tables."""
    questions = analytics.questions_of(schema_layout(team.cats.schema_id))
    board = analytics.annotator_accuracy(team.cats, questions).leaderboard()
    by_user = {r.user_id: r.percent for r in board.rows}
    figures = team_figures(Filters(project_id=team.cats.pk))
    assert _row(figures, team.ann, ANNOTATOR).accuracy == by_user["Ann Lee"]
    assert _row(figures, team.model, ANNOTATOR).accuracy == by_user["Model 1"]


def test_date_range_counts_only_what_was_made_in_it(team):
    figures = team_figures(Filters(start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 2)))
    ann = _row(figures, team.ann, ANNOTATOR)
    assert ann.submitted == 4
    assert ann.accuracy == 75.0  # accuracy and completion are not ranged
    assert figures.answers_per_day[team.ann.pk] == {datetime.date(2026, 11, 1): 2, datetime.date(2026, 11, 2): 2}
    assert _row(figures, team.rex, REVIEWER).submitted == 0
    assert _row(figures, team.rex, REVIEWER).reviews == 0


def test_filters_by_group_project_and_role(team):
    pets = team_figures(Filters(project_group_id=team.group.pk))
    assert [p.name for p in pets.projects] == ["Cats"]
    assert _row(pets, team.ann, ANNOTATOR).submitted == 4
    dogs = team_figures(Filters(project_id=team.dogs.pk))
    assert team.model not in {r.person for r in dogs.rows}
    reviewers = team_figures(Filters(role=REVIEWER))
    assert {r.role for r in reviewers.rows} == {REVIEWER}


def test_outsiders_and_archived_users_have_no_rows(team):
    team.model.is_active = False
    team.model.save()
    people = {r.person for r in team_figures(ALL_TIME).rows}
    assert team.olly not in people and team.model not in people
