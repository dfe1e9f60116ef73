import factory
from factory.django import DjangoModelFactory

from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from catalog.tests.factories import ProjectFactory, SingleQuestionFactory, UserFactory, VideoFactory


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    project = factory.SubFactory(ProjectFactory)
    video = factory.SubFactory(VideoFactory)
    question = factory.SubFactory(SingleQuestionFactory)
    user = factory.SubFactory(UserFactory)
    value = "yes"


class GroundTruthFactory(DjangoModelFactory):
    class Meta:
        model = GroundTruth

    project = factory.SubFactory(ProjectFactory)
    video = factory.SubFactory(VideoFactory)
    question = factory.SubFactory(SingleQuestionFactory)
    reviewer = factory.SubFactory(UserFactory)
    value = "yes"
    reviewer_value = factory.LazyAttribute(lambda o: o.value)


class GroundTruthHistoryFactory(DjangoModelFactory):
    class Meta:
        model = GroundTruthHistory

    project = factory.SubFactory(ProjectFactory)
    video = factory.SubFactory(VideoFactory)
    question = factory.SubFactory(SingleQuestionFactory)
    actor = factory.SubFactory(UserFactory)
    source = GroundTruthHistory.Source.REVIEW
    kind = GroundTruthHistory.Kind.CREATED
    new_value = "yes"


class AnswerReviewFactory(DjangoModelFactory):
    class Meta:
        model = AnswerReview

    answer = factory.SubFactory(AnswerFactory)
    reviewer = factory.SubFactory(UserFactory)
    status = AnswerReview.Status.APPROVED
