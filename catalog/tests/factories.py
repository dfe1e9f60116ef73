import factory
from factory.django import DjangoModelFactory

from catalog.models import (
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroup,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
    Video,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    user_id = factory.Sequence(lambda n: f"User {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    user_type = User.UserType.HUMAN

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        if obj.user_type == User.UserType.MODEL:
            obj.set_unusable_password()
        else:
            obj.set_password(extracted or "secret123")
        if create:
            obj.save(update_fields=["password"])


class AdminFactory(UserFactory):
    user_id = factory.Sequence(lambda n: f"Admin {n}")
    email = factory.Sequence(lambda n: f"admin{n}@example.com")
    user_type = User.UserType.ADMIN


class ModelUserFactory(UserFactory):
    user_id = factory.Sequence(lambda n: f"Model {n}")
    email = None
    user_type = User.UserType.MODEL


class VideoFactory(DjangoModelFactory):
    class Meta:
        model = Video

    video_uid = factory.Sequence(lambda n: f"clip{n}.mp4")
    url = factory.LazyAttribute(lambda o: f"https://videos.example.com/{o.video_uid}")
    metadata = factory.LazyFunction(dict)


class SingleQuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    text = factory.Sequence(lambda n: f"Question {n}?")
    display_text = factory.LazyAttribute(lambda o: o.text)
    qtype = "single"
    options = factory.LazyFunction(lambda: ["yes", "no"])
    display_values = factory.LazyFunction(lambda: ["Yes", "No"])
    option_weights = factory.LazyFunction(lambda: [1.0, 1.0])
    default_option = None


class DescriptionQuestionFactory(SingleQuestionFactory):
    text = factory.Sequence(lambda n: f"Describe thing {n}.")
    qtype = "description"
    options = None
    display_values = None
    option_weights = None


class MultipleQuestionFactory(SingleQuestionFactory):
    """A multiple-choice question: answers are sets of options, stored as a canonical JSON list
    ('["pan","zoom"]'); default_option holds such a list too (None: no default)."""

    text = factory.Sequence(lambda n: f"Which of these are present {n}?")
    qtype = "multiple"
    options = factory.LazyFunction(lambda: ["pan", "tilt", "zoom"])
    display_values = factory.LazyFunction(lambda: ["Pan", "Tilt", "Zoom"])
    option_weights = factory.LazyFunction(lambda: [1.0, 1.0, 1.0])


class QuestionGroupFactory(DjangoModelFactory):
    class Meta:
        model = QuestionGroup
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Group {n}")
    display_title = factory.LazyAttribute(lambda o: o.title)

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if create and extracted:
            QuestionGroupQuestion.objects.bulk_create(
                QuestionGroupQuestion(group=obj, question=q, position=i) for i, q in enumerate(extracted)
            )


class SchemaFactory(DjangoModelFactory):
    class Meta:
        model = Schema
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Schema {n}")

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            SchemaQuestionGroup.objects.bulk_create(
                SchemaQuestionGroup(schema=obj, group=g, position=i) for i, g in enumerate(extracted)
            )


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Project {n}")
    schema = factory.SubFactory(SchemaFactory)

    @factory.post_generation
    def videos(obj, create, extracted, **kwargs):
        if create and extracted:
            ProjectVideo.objects.bulk_create(
                ProjectVideo(project=obj, video=v, position=i) for i, v in enumerate(extracted)
            )


class ProjectGroupFactory(DjangoModelFactory):
    class Meta:
        model = ProjectGroup

    name = factory.Sequence(lambda n: f"Project group {n}")


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Assignment.Role.ANNOTATOR


class CustomDisplayFactory(DjangoModelFactory):
    class Meta:
        model = CustomDisplay

    project = factory.SubFactory(ProjectFactory)
    video = factory.SubFactory(VideoFactory)
    question = factory.SubFactory(SingleQuestionFactory)
    custom_display_text = "Custom text?"
