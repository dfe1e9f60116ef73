"""The admin site for catalog models (PORTAL-ADM-1/2, DB-11, SEC-8)."""

import hashlib
import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.hashers import identify_hasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotation.tests.factories import AnswerFactory
from catalog.admin_forms import OptionRowsWidget
from catalog.models import (
    ApiToken,
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroup,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
    Video,
)
from catalog.tests.admin_posts import form_data, url
from catalog.tests.factories import (
    AdminFactory,
    AssignmentFactory,
    CustomDisplayFactory,
    DescriptionQuestionFactory,
    ModelUserFactory,
    ProjectFactory,
    ProjectGroupFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- helpers


def group_of(*questions):
    return QuestionGroupFactory(questions=list(questions))


def project_with(*videos, schema=None, **kwargs):
    schema = schema or SchemaFactory(groups=[group_of(SingleQuestionFactory())])
    return ProjectFactory(schema=schema, videos=list(videos) or [VideoFactory()], **kwargs)


def api_token():
    digest = hashlib.sha256(str(ApiToken.objects.count()).encode() + b"salt").hexdigest()
    return ApiToken.objects.create(user=UserFactory(), key_digest=digest, prefix=digest[:8])


def project_group():
    group = ProjectGroupFactory()
    ProjectGroupProject.objects.create(project_group=group, project=project_with())
    return group


# One builder per registered catalog model: each call adds one row (and whatever it needs).
BUILDERS = {
    User: UserFactory,
    ApiToken: api_token,
    Video: VideoFactory,
    Question: SingleQuestionFactory,
    QuestionGroup: lambda: group_of(SingleQuestionFactory()),
    QuestionGroupQuestion: lambda: group_of(SingleQuestionFactory()).memberships.get(),
    Schema: lambda: SchemaFactory(groups=[group_of(SingleQuestionFactory())]),
    SchemaQuestionGroup: lambda: SchemaFactory(groups=[group_of(SingleQuestionFactory())]).memberships.get(),
    Project: project_with,
    ProjectVideo: lambda: project_with().video_links.get(),
    ProjectGroup: project_group,
    ProjectGroupProject: lambda: project_group().memberships.get(),
    Assignment: AssignmentFactory,
    CustomDisplay: CustomDisplayFactory,
}
CATALOG_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "catalog"]
# Written by sync, the portals or token commands; the admin lists and shows them.
READ_ONLY = {ApiToken, CustomDisplay, QuestionGroupQuestion, SchemaQuestionGroup, ProjectVideo, ProjectGroupProject}
# Question.is_active is derived from its groups (DM-Q-6), so questions have no archive action.
ARCHIVABLE = [Video, User, QuestionGroup, Schema, Project, ProjectGroup, Assignment]


@pytest.fixture
def staff(db):
    return AdminFactory(user_id="Ada Admin")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(model, "changelist")).status_code == 200
    return len(ctx.captured_queries)


# --------------------------------------------------------------------------- every page loads


def test_every_catalog_model_has_an_admin_page():
    """PORTAL-ADM-1: every model has an admin page (and a builder in this module)."""
    models = set(apps.get_app_config("catalog").get_models())
    assert models == set(CATALOG_ADMINS) == set(BUILDERS)


@pytest.mark.parametrize("model", CATALOG_ADMINS, ids=lambda m: m.__name__)
def test_changelist_loads_with_search_and_filters(staff_client, model):
    BUILDERS[model]()
    assert staff_client.get(url(model, "changelist")).status_code == 200
    assert staff_client.get(url(model, "changelist"), {"q": "1"}).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.date_hierarchy:
        params = {f"{model_admin.date_hierarchy}__year": "2020"}
        assert staff_client.get(url(model, "changelist"), params).status_code == 200
    if "is_active" in str(model_admin.list_filter):
        assert staff_client.get(url(model, "changelist"), {"is_active__exact": "0"}).status_code == 200


@pytest.mark.parametrize("model", CATALOG_ADMINS, ids=lambda m: m.__name__)
def test_add_page_loads_or_is_refused(staff_client, staff, rf, model):
    """Membership rows, custom displays and tokens are written elsewhere; their add page is refused."""
    request = rf.get("/")
    request.user = staff
    can_add = admin.site._registry[model].has_add_permission(request)
    assert can_add == (model not in READ_ONLY)
    assert staff_client.get(url(model, "add")).status_code == (200 if can_add else 403)


@pytest.mark.parametrize("model", CATALOG_ADMINS, ids=lambda m: m.__name__)
def test_change_page_loads(staff_client, model):
    obj = BUILDERS[model]()
    assert staff_client.get(url(model, "change", obj.pk)).status_code == 200


def test_model_user_page_has_no_password_field(staff_client, staff):
    """DM-USR-2: model users have no password to show or reset; humans and admins do."""
    response = staff_client.get(url(User, "change", ModelUserFactory().pk))
    assert "../password/" not in response.content.decode()
    response = staff_client.get(url(User, "change", staff.pk))
    assert "../password/" in response.content.decode()


@pytest.mark.parametrize("model", CATALOG_ADMINS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(staff_client, model):
    """Lists select their related rows up front: 3 rows and 10 rows cost the same queries."""
    for _ in range(3):
        BUILDERS[model]()
    few = changelist_queries(staff_client, model)
    for _ in range(7):
        BUILDERS[model]()
    assert changelist_queries(staff_client, model) == few


def test_outsider_is_sent_to_the_admin_login(client, outsider):
    """SEC-8, DM-USR-4: only global admins use the admin site."""
    client.force_login(outsider)
    for path in (reverse("admin:index"), url(Video, "changelist"), url(User, "add")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", CATALOG_ADMINS, ids=lambda m: m.__name__)
def test_no_row_can_be_deleted(staff_client, model):
    """DM-CONV-5, PORTAL-ADM-2: no delete page and no delete action; archivable rows get archive actions."""
    obj = BUILDERS[model]()
    assert staff_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert staff_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    response = staff_client.get(url(model, "changelist"))
    form = response.context["action_form"]
    actions = {name for name, _ in form.fields["action"].choices} if form else set()
    assert "delete_selected" not in actions
    assert ({"archive_selected", "unarchive_selected"} <= actions) == (model in ARCHIVABLE)
    assert model.objects.filter(pk=obj.pk).exists()


# --------------------------------------------------------------------------- users


def test_creating_a_human_stores_a_hashed_password(staff_client):
    """DM-USR-1/2: the password is a Django hash, never plaintext; the email is stored lowercase."""
    response = staff_client.post(
        url(User, "add"),
        {
            "user_id": "Maria Lopez",
            "user_type": "human",
            "email": "  Maria@Example.COM ",
            "password1": "kitchen-pass-1",
            "password2": "kitchen-pass-1",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(user_id="Maria Lopez")
    assert user.email == "maria@example.com"
    assert "kitchen-pass-1" not in user.password
    assert identify_hasher(user.password).algorithm == user.password.split("$")[0]
    assert user.check_password("kitchen-pass-1")
    assert not user.is_staff


def test_creating_a_model_user_needs_no_email_and_no_password(staff_client):
    """DM-USR-2: model users have no email and an unusable password."""
    response = staff_client.post(
        url(User, "add"),
        {"user_id": "Model 9", "user_type": "model", "email": "", "password1": "", "password2": "", "is_active": "on"},
    )
    assert response.status_code == 302
    user = User.objects.get(user_id="Model 9")
    assert user.email is None
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"user_type": "model", "email": "bot@example.com"}, "email"),
        ({"user_type": "model", "password1": "pw-123456", "password2": "pw-123456"}, "password1"),
        ({"user_type": "human", "email": ""}, "email"),
        ({"user_type": "human", "password1": "", "password2": ""}, "password1"),
        ({"user_type": "admin", "password2": "something-else"}, "password2"),
        ({"user_id": " Padded"}, "user_id"),
    ],
)
def test_user_add_form_rules_give_form_errors(staff_client, data, field):
    """DM-USR-2, DM-CONV-3: wrong combinations are form errors and nothing is saved."""
    post = {"user_id": "New User", "user_type": "human", "email": "new@example.com", "is_active": "on"}
    post |= {"password1": "good-pass-1", "password2": "good-pass-1"} | data
    response = staff_client.post(url(User, "add"), post)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert User.objects.count() == 1


def test_model_user_cannot_become_human(staff_client):
    """DM-USR-3: a model user's type never changes; the form says so and nothing is saved."""
    model_user = ModelUserFactory()
    data = form_data(staff_client.get(url(User, "change", model_user.pk)))
    data |= {"user_type": "human", "email": "bot@example.com"}
    response = staff_client.post(url(User, "change", model_user.pk), data)
    assert response.status_code == 200
    assert "user_type" in response.context["adminform"].form.errors
    model_user.refresh_from_db()
    assert model_user.user_type == "model"
    assert model_user.email is None


def test_human_cannot_become_model(staff_client):
    human = UserFactory()
    data = form_data(staff_client.get(url(User, "change", human.pk))) | {"user_type": "model", "email": ""}
    response = staff_client.post(url(User, "change", human.pk), data)
    assert response.status_code == 200
    assert "user_type" in response.context["adminform"].form.errors
    human.refresh_from_db()
    assert human.user_type == "human"


def test_promoting_a_human_gives_admin_roles_everywhere(staff_client, project):
    """DM-ROLE-6, DB-11: human→admin makes them staff and adds expand(admin) in every project."""
    human = UserFactory()
    data = form_data(staff_client.get(url(User, "change", human.pk))) | {"user_type": "admin"}
    data["confirm_type_change"] = "on"  # the form explains DM-ROLE-6 first and saves once confirmed
    assert staff_client.post(url(User, "change", human.pk), data).status_code == 302
    human.refresh_from_db()
    assert human.is_staff and human.is_superuser
    roles = set(Assignment.objects.filter(user=human, project=project, is_active=True).values_list("role", flat=True))
    assert roles == {"annotator", "reviewer", "admin"}


def test_demoting_an_admin_archives_every_role(staff_client, project):
    """DM-ROLE-7: admin→human archives all of the user's rows; they lose staff rights."""
    other_admin = AdminFactory()
    for role in ("annotator", "reviewer", "admin"):
        Assignment.objects.create(user=other_admin, project=project, role=role)
    data = form_data(staff_client.get(url(User, "change", other_admin.pk))) | {"user_type": "human"}
    data["confirm_type_change"] = "on"  # the form explains DM-ROLE-7 first and saves once confirmed
    assert staff_client.post(url(User, "change", other_admin.pk), data).status_code == 302
    other_admin.refresh_from_db()
    assert not other_admin.is_staff
    assert not Assignment.objects.filter(user=other_admin, is_active=True).exists()


def test_admin_cannot_demote_or_archive_themselves(staff_client, staff):
    data = form_data(staff_client.get(url(User, "change", staff.pk)))
    response = staff_client.post(url(User, "change", staff.pk), data | {"user_type": "human"})
    assert "user_type" in response.context["adminform"].form.errors
    data.pop("is_active")
    response = staff_client.post(url(User, "change", staff.pk), data)
    assert "is_active" in response.context["adminform"].form.errors
    staff.refresh_from_db()
    assert staff.is_global_admin


def test_user_id_can_be_renamed_on_the_user_page(staff_client, annotator):
    """DM-CONV-4: users, and only users, may be renamed from their edit page."""
    data = form_data(staff_client.get(url(User, "change", annotator.pk))) | {"user_id": "Ann Renamed"}
    assert staff_client.post(url(User, "change", annotator.pk), data).status_code == 302
    annotator.refresh_from_db()
    assert annotator.user_id == "Ann Renamed"
    assert annotator.assignments.exists()


def test_staff_flags_cannot_be_set_by_hand(staff_client):
    """DB-11: is_staff and is_superuser follow user_type; posting them changes nothing."""
    human = UserFactory()
    data = form_data(staff_client.get(url(User, "change", human.pk))) | {"is_staff": "on", "is_superuser": "on"}
    assert staff_client.post(url(User, "change", human.pk), data).status_code == 302
    human.refresh_from_db()
    assert not human.is_staff and not human.is_superuser


def test_password_page_stores_a_new_hash(staff_client):
    human = UserFactory()
    response = staff_client.post(
        reverse("admin:auth_user_password_change", args=[human.pk]),
        {"password1": "brand-new-pass", "password2": "brand-new-pass", "set-password": "1"},
    )
    assert response.status_code == 302
    human.refresh_from_db()
    assert human.check_password("brand-new-pass")
    assert "brand-new-pass" not in human.password


def test_password_page_is_refused_for_model_users(staff_client):
    """DM-USR-2: model users keep an unusable password."""
    bot = ModelUserFactory()
    path = reverse("admin:auth_user_password_change", args=[bot.pk])
    response = staff_client.post(path, {"password1": "let-me-in-1", "password2": "let-me-in-1"})
    assert response.status_code == 302
    bot.refresh_from_db()
    assert not bot.has_usable_password()


def test_unarchiving_an_admin_restores_admin_rows(staff_client, project):
    """DM-ROLE-5: an unarchived admin holds expand(admin) in every project again."""
    other_admin = AdminFactory(is_active=False)
    changelist = url(User, "changelist")
    staff_client.post(changelist, {"action": "unarchive_selected", "_selected_action": [other_admin.pk]})
    other_admin.refresh_from_db()
    assert other_admin.is_global_admin and other_admin.is_staff
    assert Assignment.objects.filter(user=other_admin, project=project, is_active=True).count() == 3
    staff_client.post(changelist, {"action": "archive_selected", "_selected_action": [other_admin.pk]})
    other_admin.refresh_from_db()
    assert not other_admin.is_active and not other_admin.is_staff


def test_api_token_page_never_shows_the_key(staff_client):
    """DM-TOK-1: only the prefix, creation and last use are shown; revoking deletes the token."""
    token = api_token()
    response = staff_client.get(url(ApiToken, "change", token.pk))
    assert token.prefix in response.content.decode()
    assert token.key_digest not in response.content.decode()
    staff_client.post(url(ApiToken, "changelist"), {"action": "revoke_selected", "_selected_action": [token.pk]})
    assert not ApiToken.objects.exists()


# --------------------------------------------------------------------------- natural keys


def _natural_key_cases():
    return [
        (Video, VideoFactory, {"video_uid": "renamed.mp4"}),
        (Question, SingleQuestionFactory, {"text": "Renamed?", "qtype": "description"}),
        (QuestionGroup, lambda: group_of(SingleQuestionFactory()), {"title": "Renamed"}),
        (Schema, lambda: SchemaFactory(groups=[group_of(SingleQuestionFactory())]), {"name": "Renamed"}),
        (Project, project_with, {"name": "Renamed", "schema": "__other_schema__"}),
        (ProjectGroup, ProjectGroupFactory, {"name": "Renamed"}),
    ]


@pytest.mark.parametrize("model, build, changes", _natural_key_cases(), ids=lambda v: getattr(v, "__name__", ""))
def test_natural_keys_are_read_only_after_creation(staff_client, model, build, changes):
    """DM-CONV-4: posting a new natural key (or a project's schema, DM-PRJ-1) changes nothing."""
    obj = build()
    data = form_data(staff_client.get(url(model, "change", obj.pk)))
    for field, value in changes.items():
        assert field not in data
        data[field] = SchemaFactory().pk if value == "__other_schema__" else value
    assert staff_client.post(url(model, "change", obj.pk), data).status_code == 302
    fresh = model.objects.get(pk=obj.pk)
    for field in changes:
        assert getattr(fresh, field) == getattr(obj, field)


# --------------------------------------------------------------------------- videos and questions


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"metadata": "[1, 2]"}, "metadata"),
        ({"metadata": '{"a": {"b": null}}'}, "metadata"),
        ({"metadata": "{not json"}, "metadata"),
        ({"url": "ftp://files.example.com/a.mp4"}, "url"),
        ({"url": "//cdn.example.com/a.mp4"}, "url"),
        ({"url": "clips/a.mp4"}, "url"),
        ({"url": "https://www.youtube.com/channel/abc"}, "url"),
        ({"video_uid": "trailing.mp4 "}, "video_uid"),
    ],
)
def test_video_add_form_validates_url_metadata_and_uid(staff_client, changes, field):
    """DM-VID-2, DM-VID-4, DM-CONV-3: bad values are form errors and nothing is saved."""
    data = {"video_uid": "new.mp4", "url": "https://your-repo/new.mp4", "metadata": "{}", "is_active": "on"}
    response = staff_client.post(url(Video, "add"), data | changes)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Video.objects.exists()


def test_video_add_accepts_site_relative_urls_and_metadata(staff_client):
    data = {"video_uid": "local.mp4", "url": "/media/clips/local.mp4", "metadata": '{"fps": 30}', "is_active": "on"}
    assert staff_client.post(url(Video, "add"), data).status_code == 302
    assert Video.objects.get(video_uid="local.mp4").metadata == {"fps": 30}


def test_unassigned_video_filter(staff_client):
    project = project_with()
    loose = VideoFactory()
    response = staff_client.get(url(Video, "changelist"), {"in_project": "no"})
    assert [v.pk for v in response.context["cl"].result_list] == [loose.pk]
    response = staff_client.get(url(Video, "changelist"), {"in_project": "yes"})
    assert [v.pk for v in response.context["cl"].result_list] == [project.videos.get().pk]


def option_rows(*rows) -> dict:
    """POST data for the Question form's option rows: (value,), (value, label) or (value, label, weight)."""
    rows = [dict(zip(("value", "label", "weight"), row, strict=False)) for row in rows]
    return OptionRowsWidget.as_data("options", rows)


def with_rows(data: dict, *rows) -> dict:
    """The form's data with its option rows replaced."""
    return {k: v for k, v in data.items() if not k.startswith("options-")} | option_rows(*rows)


def test_question_options_cannot_be_removed(staff_client):
    """DM-Q-4: options are never removed."""
    question = SingleQuestionFactory()
    data = with_rows(form_data(staff_client.get(url(Question, "change", question.pk))), ("yes",))
    response = staff_client.post(url(Question, "change", question.pk), data)
    assert "options" in response.context["adminform"].form.errors
    question.refresh_from_db()
    assert question.options == ["yes", "no"]


def test_reordered_options_keep_their_labels_and_appended_ones_get_defaults(staff_client):
    """DM-Q-4: labels and weights belong to options; an appended option gets label = value, weight 1.0."""
    question = SingleQuestionFactory(display_values=["Yes!", "No!"], option_weights=[2.0, 0.5])
    data = form_data(staff_client.get(url(Question, "change", question.pk)))
    data = with_rows(data, ("no", "No!", "0.5"), ("yes", "Yes!", "2"), ("maybe",))
    assert staff_client.post(url(Question, "change", question.pk), data).status_code == 302
    question.refresh_from_db()
    assert question.options == ["no", "yes", "maybe"]
    assert question.display_values == ["No!", "Yes!", "maybe"]
    assert question.option_weights == [0.5, 2.0, 1.0]


def test_question_add_form_checks_single_and_description_rules(staff_client):
    """DM-Q-2/3: parallel lists for single questions, no options for description questions."""
    bad = [
        {"qtype": "single"} | option_rows(("a",), ("a",)),
        {"qtype": "single"} | option_rows(("a", "", "1"), ("b", "", "-1")),
        {"qtype": "single", "default_option": "c"} | option_rows(("a",), ("b",)),
        {"qtype": "single"},
        {"qtype": "description"} | option_rows(("a",)),
    ]
    for changes in bad:
        response = staff_client.post(url(Question, "add"), {"text": "Q?", "display_text": ""} | changes)
        assert response.status_code == 200, changes
        assert response.context["adminform"].form.errors, changes
    assert not Question.objects.exists()
    response = staff_client.post(url(Question, "add"), {"text": "Color?", "qtype": "single"} | option_rows(("red",)))
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.display_text, question.display_values, question.option_weights) == ("Color?", ["red"], [1.0])


# --------------------------------------------------------------------------- groups, schemas, projects


def test_question_group_is_created_with_ordered_questions(staff_client):
    """DM-QG-1/2: the inline rows become the ordered question list, positions from 0; questions activate."""
    first, second = SingleQuestionFactory(), DescriptionQuestionFactory()
    data = form_data(staff_client.get(url(QuestionGroup, "add")))
    data |= {"title": "Food", "memberships-0-question": second.pk, "memberships-1-question": first.pk}
    assert staff_client.post(url(QuestionGroup, "add"), data).status_code == 302
    group = QuestionGroup.objects.get(title="Food")
    assert group.display_title == "Food"
    assert group.ordered_questions() == [second, first]
    assert list(group.memberships.values_list("position", flat=True)) == [0, 1]
    assert Question.objects.filter(is_active=True).count() == 2


def test_question_group_needs_a_question(staff_client):
    data = form_data(staff_client.get(url(QuestionGroup, "add"))) | {"title": "Empty"}
    assert staff_client.post(url(QuestionGroup, "add"), data).status_code == 200
    assert not QuestionGroup.objects.exists()


def test_auto_submit_group_needs_default_options(staff_client):
    """DM-QG-4."""
    question = SingleQuestionFactory(default_option=None)
    data = form_data(staff_client.get(url(QuestionGroup, "add")))
    data |= {"title": "Auto", "is_auto_submit": "on", "memberships-0-question": question.pk}
    response = staff_client.post(url(QuestionGroup, "add"), data)
    assert response.status_code == 200
    assert "default option" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert not QuestionGroup.objects.exists()


def test_group_questions_can_be_reordered_but_not_changed(staff_client):
    """DM-QG-3: after creation only the order of the questions changes."""
    first, second = SingleQuestionFactory(), SingleQuestionFactory()
    group = group_of(first, second)
    data = form_data(staff_client.get(url(QuestionGroup, "change", group.pk)))
    assert "memberships-0-question" not in data
    data |= {
        "memberships-0-position": "5",
        "memberships-1-position": "1",
        "memberships-2-question": SingleQuestionFactory().pk,
    }
    data["memberships-TOTAL_FORMS"] = "3"
    assert staff_client.post(url(QuestionGroup, "change", group.pk), data).status_code == 302
    assert group.ordered_questions() == [second, first]
    assert list(group.memberships.values_list("position", flat=True)) == [0, 1]


def test_archiving_a_group_deactivates_questions_in_no_other_active_group(staff_client):
    """DM-Q-6, DM-ARCH-1."""
    shared, own = SingleQuestionFactory(), SingleQuestionFactory()
    group, _other = group_of(shared, own), group_of(shared)
    changelist = url(QuestionGroup, "changelist")
    staff_client.post(changelist, {"action": "archive_selected", "_selected_action": [group.pk]})
    assert not QuestionGroup.objects.get(pk=group.pk).is_active
    assert Question.objects.get(pk=shared.pk).is_active
    assert not Question.objects.get(pk=own.pk).is_active
    staff_client.post(changelist, {"action": "unarchive_selected", "_selected_action": [group.pk]})
    assert Question.objects.get(pk=own.pk).is_active


def test_group_in_an_active_schema_cannot_be_archived(staff_client):
    """DM-ARCH-1: archiving a group requires that no active schema contains it."""
    group = group_of(SingleQuestionFactory())
    SchemaFactory(groups=[group])
    staff_client.post(url(QuestionGroup, "changelist"), {"action": "archive_selected", "_selected_action": [group.pk]})
    assert QuestionGroup.objects.get(pk=group.pk).is_active


def test_schema_cannot_join_groups_that_share_a_question(staff_client):
    """DM-SCH-3."""
    shared = SingleQuestionFactory()
    one, two = QuestionGroupFactory(questions=[shared], is_reusable=True), QuestionGroupFactory(questions=[shared])
    data = form_data(staff_client.get(url(Schema, "add")))
    data |= {"name": "Kitchen", "memberships-0-group": one.pk, "memberships-1-group": two.pk}
    response = staff_client.post(url(Schema, "add"), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert errors == [f'Question groups "{one.title}" and "{two.title}" share question "{shared.text}".']  # as sync
    assert not Schema.objects.exists()


def test_non_reusable_group_belongs_to_one_schema(staff_client):
    """DM-QG-6."""
    group = group_of(SingleQuestionFactory())
    SchemaFactory(groups=[group])
    data = form_data(staff_client.get(url(Schema, "add"))) | {"name": "Second", "memberships-0-group": group.pk}
    assert staff_client.post(url(Schema, "add"), data).status_code == 200
    assert Schema.objects.count() == 1


def test_schema_used_by_an_active_project_cannot_be_archived(staff_client, project):
    """DM-ARCH-1, on the change form and as an action."""
    schema = project.schema
    data = form_data(staff_client.get(url(Schema, "change", schema.pk)))
    data.pop("is_active")
    response = staff_client.post(url(Schema, "change", schema.pk), data)
    assert "is_active" in response.context["adminform"].form.errors
    staff_client.post(url(Schema, "changelist"), {"action": "archive_selected", "_selected_action": [schema.pk]})
    assert Schema.objects.get(pk=schema.pk).is_active


def test_project_is_created_with_ordered_videos_and_admin_roles(staff_client, staff):
    """DM-PRJ-2/3, DM-ROLE-5: membership rows in order, and every global admin gets expand(admin)."""
    schema = SchemaFactory(groups=[group_of(SingleQuestionFactory())])
    first, second = VideoFactory(), VideoFactory()
    data = form_data(staff_client.get(url(Project, "add")))
    data |= {
        "name": "Kitchen 1",
        "schema": schema.pk,
        "video_links-0-video": second.pk,
        "video_links-1-video": first.pk,
    }
    assert staff_client.post(url(Project, "add"), data).status_code == 302
    project = Project.objects.get(name="Kitchen 1")
    assert list(project.video_links.values_list("video", "position")) == [(second.pk, 0), (first.pk, 1)]
    roles = set(Assignment.objects.filter(user=staff, project=project, is_active=True).values_list("role", flat=True))
    assert roles == {"annotator", "reviewer", "admin"}


def test_project_needs_a_video_and_an_active_schema(staff_client):
    """DM-PRJ-3, SYNC-PRJ-3."""
    archived = SchemaFactory(groups=[group_of(SingleQuestionFactory())], is_active=False)
    data = form_data(staff_client.get(url(Project, "add"))) | {"name": "No videos", "schema": archived.pk}
    response = staff_client.post(url(Project, "add"), data)
    assert "schema" in response.context["adminform"].form.errors
    assert any(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Project.objects.exists()


def test_archived_project_needs_an_active_schema_to_unarchive(staff_client):
    """DM-ARCH-1: unarchiving a project requires its schema to be active."""
    project = project_with(is_active=False)
    Schema.objects.filter(pk=project.schema_id).update(is_active=False)
    staff_client.post(url(Project, "changelist"), {"action": "unarchive_selected", "_selected_action": [project.pk]})
    assert not Project.objects.get(pk=project.pk).is_active


def test_project_group_rejects_projects_sharing_questions_and_videos(staff_client):
    """DM-PG-2."""
    video = VideoFactory()
    schema = SchemaFactory(groups=[group_of(SingleQuestionFactory())])
    one, two = project_with(video, schema=schema), project_with(video, schema=schema)
    data = form_data(staff_client.get(url(ProjectGroup, "add")))
    data |= {"name": "Kitchen", "memberships-0-project": one.pk, "memberships-TOTAL_FORMS": "2"}
    data |= {"memberships-1-project": two.pk}
    response = staff_client.post(url(ProjectGroup, "add"), data)
    assert response.status_code == 200
    # One message with sync (SYNC-PG-3), the count in the right number.
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert errors == [
        f'Cannot group projects "{one.name}" and "{two.name}": they share questions and 1 video: {video.video_uid}.'
    ]
    assert not ProjectGroup.objects.exists()


# --------------------------------------------------------------------------- assignments


def test_model_user_cannot_be_made_annotator(staff_client, project):
    """DM-ROLE-3: the form shows the rule and nothing is saved."""
    bot = ModelUserFactory()
    data = {"project": project.pk, "user": bot.pk, "role": "annotator", "user_weight": "1.0"}
    response = staff_client.post(url(Assignment, "add"), data)
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not Assignment.objects.filter(user=bot).exists()


def test_assigning_reviewer_adds_the_annotator_row(staff_client, project):
    """DM-ROLE-4: assign R makes the pair's active rows expand(R), with the weight on every row."""
    human = UserFactory()
    data = {"project": project.pk, "user": human.pk, "role": "reviewer", "user_weight": "2.5"}
    assert staff_client.post(url(Assignment, "add"), data).status_code == 302
    rows = Assignment.objects.filter(user=human, project=project, is_active=True)
    assert {(r.role, r.user_weight) for r in rows} == {("annotator", 2.5), ("reviewer", 2.5)}


def test_archiving_an_annotator_row_removes_the_levels_above(staff_client, reviewer, project):
    """DM-ROLE-4: removing annotator removes the user from the project entirely."""
    row = Assignment.objects.get(user=reviewer, project=project, role="annotator")
    data = form_data(staff_client.get(url(Assignment, "change", row.pk)))
    data.pop("is_active")
    assert staff_client.post(url(Assignment, "change", row.pk), data).status_code == 302
    assert not Assignment.objects.filter(user=reviewer, project=project, is_active=True).exists()


def test_weight_change_applies_to_every_row_of_the_pair(staff_client, reviewer, project):
    """DM-ASG-2."""
    row = Assignment.objects.get(user=reviewer, project=project, role="reviewer")
    data = form_data(staff_client.get(url(Assignment, "change", row.pk))) | {"user_weight": "3"}
    assert staff_client.post(url(Assignment, "change", row.pk), data).status_code == 302
    assert set(Assignment.objects.filter(user=reviewer, project=project).values_list("user_weight", flat=True)) == {3.0}


def test_global_admin_rows_cannot_be_archived(staff_client, staff, project):
    """DM-ROLE-5: neither on the change form nor with the list action."""
    ensure = Assignment.objects.bulk_create(
        Assignment(user=staff, project=project, role=role) for role in ("annotator", "reviewer", "admin")
    )
    row = ensure[0]
    data = form_data(staff_client.get(url(Assignment, "change", row.pk)))
    data.pop("is_active")
    response = staff_client.post(url(Assignment, "change", row.pk), data)
    assert "is_active" in response.context["adminform"].form.errors
    staff_client.post(url(Assignment, "changelist"), {"action": "archive_selected", "_selected_action": [row.pk]})
    assert Assignment.objects.filter(user=staff, is_active=True).count() == 3


def test_unarchive_action_reactivates_the_pair_at_the_selected_level(staff_client, reviewer, project):
    Assignment.objects.filter(user=reviewer).update(is_active=False)
    rows = list(Assignment.objects.filter(user=reviewer).values_list("pk", flat=True))
    staff_client.post(url(Assignment, "changelist"), {"action": "unarchive_selected", "_selected_action": rows})
    assert Assignment.objects.filter(user=reviewer, is_active=True).count() == 2


def test_assignment_list_filters(staff_client, annotator, project):
    response = staff_client.get(
        url(Assignment, "changelist"), {"role__exact": "annotator", "project__id__exact": project.pk}
    )
    assert [a.user for a in response.context["cl"].result_list] == [annotator]


def test_json_of_admin_forms_round_trips(staff_client):
    """The change form of a video shows its metadata as JSON that posts back unchanged."""
    video = VideoFactory(metadata={"tags": ["a", "b"], "fps": 30})
    data = form_data(staff_client.get(url(Video, "change", video.pk)))
    assert json.loads(data["metadata"]) == video.metadata
    assert staff_client.post(url(Video, "change", video.pk), data).status_code == 302
    video.refresh_from_db()
    assert video.metadata == {"tags": ["a", "b"], "fps": 30}


def test_creating_an_admin_gives_admin_roles_in_every_project(staff_client, project):
    """DM-ROLE-5, DB-11: a new global admin is staff and holds expand(admin) everywhere."""
    data = {"user_id": "New Admin", "user_type": "admin", "email": "boss@example.com", "is_active": "on"}
    data |= {"password1": "boss-pass-1", "password2": "boss-pass-1"}
    assert staff_client.post(url(User, "add"), data).status_code == 302
    user = User.objects.get(user_id="New Admin")
    assert user.is_staff and user.is_superuser
    assert Assignment.objects.filter(user=user, project=project, is_active=True).count() == 3


def test_roles_of_an_archived_user_cannot_change(staff_client, project):
    """DM-ARCH-3: assignments may not be created for an archived user."""
    archived = UserFactory(is_active=False)
    data = {"project": project.pk, "user": archived.pk, "role": "annotator", "user_weight": "1"}
    response = staff_client.post(url(Assignment, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not Assignment.objects.filter(user=archived).exists()


def test_project_group_members_can_change(staff_client):
    """DM-PG-1: a group's projects are a set that may change after creation."""
    group = project_group()
    extra = project_with()
    data = form_data(staff_client.get(url(ProjectGroup, "change", group.pk)))
    data |= {"memberships-0-DELETE": "on", "memberships-1-project": extra.pk}
    assert staff_client.post(url(ProjectGroup, "change", group.pk), data).status_code == 302
    assert list(group.projects.all()) == [extra]


def test_verification_function_must_be_registered(staff_client):
    """DM-QG-7: the name must be in the verification registry (SYNC-VER)."""
    question = DescriptionQuestionFactory()
    data = form_data(staff_client.get(url(QuestionGroup, "add")))
    data |= {"title": "Checked", "memberships-0-question": question.pk, "verification_function": "no_such_check"}
    response = staff_client.post(url(QuestionGroup, "add"), data)
    assert "verification_function" in response.context["adminform"].form.errors
    data["verification_function"] = "check_human_description"
    assert staff_client.post(url(QuestionGroup, "add"), data).status_code == 302
    assert QuestionGroup.objects.get().verification_function == "check_human_description"


def test_archiving_a_video_recomputes_completion(staff_client, annotator, project):
    """DM-DER-7: archiving the only unanswered video completes the annotator; unarchiving clears it."""
    first, second = (link.video for link in project.video_links.order_by("position"))
    for question in Question.objects.filter(group_memberships__group__schemas=project.schema):
        AnswerFactory(project=project, video=first, question=question, user=annotator, value="yes")
    row = Assignment.objects.get(user=annotator, project=project)
    changelist = url(Video, "changelist")
    staff_client.post(changelist, {"action": "archive_selected", "_selected_action": [second.pk]})
    row.refresh_from_db()
    assert row.completed_at is not None
    staff_client.post(changelist, {"action": "unarchive_selected", "_selected_action": [second.pk]})
    row.refresh_from_db()
    assert row.completed_at is None


def test_the_question_add_page_does_not_show_an_active_state_the_save_will_not_keep(staff_client):
    """DM-Q-6: a new question is saved inactive until a group takes it in, so the add page shows no "active"."""
    page = staff_client.get(url(Question, "add")).content.decode()
    assert "field-is_active" not in page and "field-created_at" not in page
    assert "field-qtype" in page and "field-options" in page
