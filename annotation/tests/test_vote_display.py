"""Issue 11 point 8: review cards name voters with page-unique initials (full name on hover), show each share
as a bar and a number, mark model users; GT forms never pre-select an option nobody chose; training forms
pre-select nothing; training feedback does not ask for an answer when the ground truth is empty too."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from annotation.cards import QuestionFeedback
from annotation.initials import unique_initials
from annotation.models import Answer, GroundTruth
from annotation.tests.portal import answer, post_answers, questions, set_gt, videos
from catalog import question_types
from catalog.models import Assignment, Question
from catalog.tests.factories import ModelUserFactory, UserFactory


def person(pk: int, user_id: str) -> SimpleNamespace:
    words = user_id.split()
    initials = (words[0][0] + words[-1][0]).upper() if len(words) > 1 else user_id[:2].upper()
    return SimpleNamespace(pk=pk, user_id=user_id, initials=initials)


# --------------------------------------------------------------------------- page-unique initials (pure)


def test_distinct_initials_are_kept():
    assert unique_initials([person(1, "Ann Otator"), person(2, "Robot")]) == {1: "AO", 2: "RO"}


def test_clashing_initials_grow_until_they_differ():
    labels = unique_initials([person(1, "Robot 1"), person(2, "Reviewer 1"), person(3, "Ann Otator")])
    assert labels == {1: "Ro1", 2: "Re1", 3: "AO"}


def test_longer_clashes_grow_further_and_never_repeat():
    people = [person(1, "Robot 1"), person(2, "Robert 1"), person(3, "Reviewer 1"), person(4, "R 1"), person(5, "Rx")]
    labels = unique_initials(people)
    assert len({label.casefold() for label in labels.values()}) == 5
    assert labels[1] == "Robo1" and labels[2] == "Robe1" and labels[3] == "Re1"


def test_same_person_twice_is_one_label():
    assert unique_initials([person(1, "Ann Otator"), person(1, "Ann Otator")]) == {1: "AO"}


# --------------------------------------------------------------------------- review cards


pytestmark_db = pytest.mark.django_db


CHECKED = r'name="v(\d+)g\d+-q\d+" value="(\w+)" id="[^"]+" checked'


def option_label(page: str, value: str) -> str:
    return re.search(
        rf'<label class="option vote"[^>]*><input type="radio"[^>]*value="{value}"[^>]*>.*?</label>', page, re.S
    )[0]


@pytestmark_db
def test_robot_1_and_reviewer_1_get_different_initials_with_names_on_hover(client, reviewer, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    robot = ModelUserFactory(user_id="Robot 1")
    human = UserFactory(user_id="Reviewer 1")
    Assignment.objects.create(user=robot, project=project, role=Assignment.Role.MODEL)
    Assignment.objects.create(user=human, project=project, role=Assignment.Role.ANNOTATOR)
    answer(robot, project, video, single, description, value="no", confidence=0.873)
    answer(human, project, video, single, description, value="no")
    client.force_login(reviewer)
    page = client.get(reverse("review:project", args=[project.pk]), {"ann": [robot.pk, human.pk]}).content.decode()
    no = option_label(page, "no")
    assert (
        '<abbr class="voter model" title="Robot 1 · model · confidence 0.87">Ro1 <span class="conf">0.87</span>' in no
    )
    assert '<abbr class="voter" title="Reviewer 1">Re1</abbr>' in no
    assert '<progress class="share-bar" max="100" value="100">' in no and "100%" in no
    assert 'title="No — 100%: Re1, Ro1 (0.87)"' in no  # PORTAL-REV-3's text, on hover
    assert "Answered: Reviewer 1 (Re1), Robot 1 (Ro1)" in page  # captions use the same labels
    assert ">R1<" not in page and "(R1)" not in page
    assert "share-bar" not in option_label(page, "yes")  # nobody chose it: only the label


@pytestmark_db
def test_search_page_labels_are_unique_across_its_cards(client, project):
    from catalog.roles import ensure_global_admin_rows
    from catalog.tests.factories import AdminFactory, ProjectFactory

    group, single, description = questions(project)
    video = videos(project)[0]
    other = ProjectFactory(schema=project.schema, videos=[video])
    robot, human = ModelUserFactory(user_id="Robot 1"), UserFactory(user_id="Reviewer 1")
    answer(robot, project, video, single, description, value="no")  # Robot 1 only on the first card
    answer(human, other, video, single, description, value="yes")  # Reviewer 1 only on the second
    admin = AdminFactory(user_id="Meta Admin")
    ensure_global_admin_rows(users=[admin])
    client.force_login(admin)
    page = client.get(reverse("search:editor"), {"video_uid": video.video_uid}).content.decode()
    assert ">Ro1" in page and ">Re1<" in page and ">R1<" not in page


@pytestmark_db
def test_gt_form_preselects_no_option_nobody_chose(client, reviewer, annotator, project):
    group, single, description = questions(project)
    first, second = videos(project)
    Question.objects.filter(pk=single.pk).update(default_option="no")
    answer(annotator, project, first, single, description, value="yes")  # the default "no" has no vote here
    answer(annotator, project, second, single, description, value="no")  # and one vote here
    client.force_login(reviewer)
    page = client.get(reverse("review:project", args=[project.pk]), {"ann": [annotator.pk]}).content.decode()
    checked = re.findall(CHECKED, page)
    assert checked == [(str(second.pk), "no")]


@pytestmark_db
def test_gt_form_preselects_the_ground_truth(client, reviewer, project):
    group, single, description = questions(project)
    video = videos(project)[0]
    GroundTruth.objects.create(
        project=project, video=video, question=single, value="no", reviewer_value="no", reviewer=reviewer
    )
    client.force_login(reviewer)
    page = client.get(reverse("review:project", args=[project.pk])).content.decode()
    assert re.findall(CHECKED, page) == [(str(video.pk), "no")]


@pytestmark_db
def test_training_form_preselects_nothing_and_needs_a_choice(client, annotator, reviewer, project):
    group, single, description = questions(project)
    Question.objects.filter(pk=single.pk).update(default_option="yes")
    set_gt(project, reviewer, lambda q, v: "yes" if q.qtype == "single" else "A dog")
    client.force_login(annotator)
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert "Training mode" in page and re.findall(CHECKED, page) == []
    refused = post_answers(client, project, videos(project)[0], group, {description: "A dog"})
    assert refused.status_code == 400 and "Choose an answer." in refused.content.decode()
    assert not Answer.objects.filter(user=annotator).exists()


@pytestmark_db
def test_annotation_mode_still_prefills_the_default(client, annotator, project):
    group, single, description = questions(project)
    Question.objects.filter(pk=single.pk).update(default_option="no")
    client.force_login(annotator)
    page = client.get(reverse("annotate:project", args=[project.pk])).content.decode()
    assert [value for _, value in re.findall(CHECKED, page)] == ["no", "no"]


def feedback(own: str, gt: str | None) -> str:
    display = SimpleNamespace(kind=question_types.get("description"))
    return QuestionFeedback(display=display, own=own, gt=gt).description_message


def test_training_feedback_on_empty_answers():
    assert feedback("", "") == "Matches the ground truth: both are empty"
    assert feedback("  ", "") == "Matches the ground truth: both are empty"
    assert feedback("", "A dog") == "Please provide an answer next time"
    assert feedback("", None) == "There is no ground truth to compare with yet"
    assert feedback(" a DOG ", "A dog") == "Matches the ground truth exactly"
    assert feedback("A cat", "") == "Compare your answer with the ground truth below"


@pytestmark_db
def test_training_feedback_page_with_empty_ground_truth(client, annotator, reviewer, project):
    group, single, description = questions(project)
    set_gt(project, reviewer, lambda q, v: "yes" if q.qtype == "single" else "")
    client.force_login(annotator)
    body = post_answers(client, project, videos(project)[0], group, {single: "yes", description: ""}).content.decode()
    assert "Matches the ground truth: both are empty" in body and "Please provide an answer" not in body
