"""A project with a multiple-choice question (issue 15) and its worked answers, shared by the analytics, API and
export tests of the type, so that none of them imports another.

"Which camera motions?" has the options pan, tilt, zoom (shown Pan, Tilt, Zoom) and sits in one group with a
single-choice question. Four videos have complete GT; Ann and Bob answered as in ANSWERS:

    video  GT            Ann            Bob
    v0     [pan]         [pan]          [pan, tilt]
    v1     [pan, zoom]   [pan]          [pan, zoom]
    v2     []            [zoom]         []
    v3     [tilt]        [tilt]         —
"""

from __future__ import annotations

from dataclasses import dataclass

from annotation.tests.factories import AnswerFactory, GroundTruthFactory
from catalog.models import Assignment, Project, Question, User, Video
from catalog.question_types.multiple import encode
from catalog.tests.factories import (
    MultipleQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)

GT = [["pan"], ["pan", "zoom"], [], ["tilt"]]
ANSWERS = {
    "Ann Annotator": [["pan"], ["pan"], ["zoom"], ["tilt"]],
    "Bob Builder": [["pan", "tilt"], ["pan", "zoom"], [], None],
}


def multiple_question(**fields) -> Question:
    return MultipleQuestionFactory(**{"text": "camera_motion", "display_text": "Which camera motions?"} | fields)


@dataclass
class Motions:
    project: Project
    question: Question
    single: Question
    videos: list[Video]
    reviewer: User
    answerers: dict[str, User]


def build_motions(*viewers: User, answers: bool = True) -> Motions:
    """The project above; `viewers` get annotator and reviewer rows. GT is set by "Gus Groundtruth" (single: "yes")."""
    question = multiple_question()
    single = SingleQuestionFactory(text="steady_shot", display_text="Is the shot steady?")
    group = QuestionGroupFactory(title="Camera", questions=[question, single])
    videos = [VideoFactory(video_uid=f"motion{i}.mp4") for i in range(len(GT))]
    project = ProjectFactory(name="Motions", schema=SchemaFactory(groups=[group]), videos=videos)
    gus = UserFactory(user_id="Gus Groundtruth")
    Assignment.objects.create(user=gus, project=project, role=Assignment.Role.REVIEWER)
    for video, chosen in zip(videos, GT, strict=True):
        GroundTruthFactory(project=project, video=video, question=question, reviewer=gus, value=encode(chosen))
        GroundTruthFactory(project=project, video=video, question=single, reviewer=gus, value="yes")
    for viewer in viewers:
        for role in (Assignment.Role.ANNOTATOR, Assignment.Role.REVIEWER):
            Assignment.objects.create(user=viewer, project=project, role=role)
    answerers = {}
    if answers:
        for name, values in ANSWERS.items():
            user = answerers[name] = UserFactory(user_id=name)
            Assignment.objects.create(user=user, project=project, role=Assignment.Role.ANNOTATOR)
            for video, chosen in zip(videos, values, strict=True):
                if chosen is not None:
                    AnswerFactory(project=project, video=video, question=question, user=user, value=encode(chosen))
    return Motions(project, question, single, videos, gus, answerers)
