"""The admin portal's added pages and metrics (PORTAL-ADM-1..9, 11, 12): metrics rows, the assignments browser,
bulk assignment, verification functions, and the smaller form aids (GT status, JSON check, function docs,
user type confirmation)."""

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotation.tests.factories import AnswerFactory, GroundTruthFactory
from catalog import admin_metrics
from catalog.bulk_roles import bulk_roles
from catalog.models import (
    Assignment,
    Project,
    ProjectGroupProject,
    ProjectVideo,
    QuestionGroup,
    User,
    Video,
)
from catalog.tests.factories import (
    AdminFactory,
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
from catalog.verification import invalidate, register_workspace

pytestmark = pytest.mark.django_db

METRICS = reverse("admin:metrics")
BROWSER = reverse("admin:assignments")
BULK = reverse("admin:bulk_assignment")
FUNCTIONS = reverse("admin:verification_functions")
PAGES = (METRICS, BROWSER, BULK, FUNCTIONS)


@pytest.fixture
def staff(db):
    return AdminFactory(user_id="Ada Admin")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def changelist(model) -> str:
    return reverse(f"admin:catalog_{model._meta.model_name}_changelist")


def metric_values(metrics) -> dict:
    return {m.label: m.value for m in metrics}


def new_project(n_videos=1, **kwargs) -> Project:
    group = QuestionGroupFactory(questions=[SingleQuestionFactory()])
    videos = [VideoFactory() for _ in range(n_videos)]
    return ProjectFactory(schema=SchemaFactory(groups=[group]), videos=videos, **kwargs)


def rows_of(user, project) -> set[tuple[str, bool, float]]:
    return set(Assignment.objects.filter(user=user, project=project).values_list("role", "is_active", "user_weight"))


def active_roles(user, project) -> set[str]:
    return set(Assignment.objects.filter(user=user, project=project, is_active=True).values_list("role", flat=True))


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --------------------------------------------------------------------------- access (SEC-8, DB-11)


@pytest.mark.parametrize("path", PAGES)
def test_global_admin_sees_every_page(staff_client, path):
    assert staff_client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_outsider_and_non_admin_are_sent_to_the_admin_login(client, outsider, annotator, path):
    for who in (None, outsider, annotator):
        if who is not None:
            client.force_login(who)
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_non_admin_cannot_bulk_assign(client, annotator, project):
    client.force_login(annotator)
    data = {"op": "assign", "project": [project.pk], "user": [annotator.pk], "role": "reviewer", "weight": "1"}
    response = client.post(BULK, data)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert active_roles(annotator, project) == {"annotator"}


def test_archived_admin_is_refused(client, staff):
    staff.is_active = False
    staff.save()
    client.force_login(staff)
    assert client.get(BULK).status_code == 302


def test_admin_index_links_to_the_portal_pages(staff_client):
    content = staff_client.get(reverse("admin:index")).content.decode()
    for path in PAGES:
        assert f'href="{path}"' in content


# --------------------------------------------------------------------------- metrics (PORTAL-ADM-2..9, 11)


def test_video_metrics_count_states_and_unassigned():
    new_project(n_videos=2)
    VideoFactory()
    VideoFactory(is_active=False)
    assert metric_values(admin_metrics.video_metrics()) == {"total": 4, "active": 3, "archived": 1, "unassigned": 2}


def test_project_metrics_split_training_and_annotation(staff):
    complete = new_project()
    new_project(is_active=False)
    new_project()
    question = complete.schema.groups.get().questions.get()
    GroundTruthFactory(project=complete, video=complete.videos.get(), question=question, reviewer=staff)
    values = metric_values(admin_metrics.project_metrics())
    assert values == {"total": 3, "active": 2, "archived": 1, "training mode": 1, "annotation mode": 2}


def test_schema_group_and_question_metrics():
    SchemaFactory(has_custom_display=True)
    SchemaFactory(is_active=False)
    QuestionGroupFactory(is_reusable=True, questions=[SingleQuestionFactory(), DescriptionQuestionFactory()])
    QuestionGroupFactory(is_active=False)
    SingleQuestionFactory(is_active=False)
    assert metric_values(admin_metrics.schema_metrics()) == {
        "total": 2,
        "active": 1,
        "archived": 1,
        "with custom display": 1,
    }
    assert metric_values(admin_metrics.question_group_metrics()) == {
        "total": 2,
        "active": 1,
        "archived": 1,
        "reusable": 1,
    }
    assert metric_values(admin_metrics.question_metrics()) == {
        "total": 3,
        "active": 2,
        "single": 2,
        "multiple": 0,
        "description": 1,
    }


def test_user_metrics_count_types_and_states(staff):
    UserFactory()
    UserFactory(is_active=False)
    ModelUserFactory()
    assert metric_values(admin_metrics.user_metrics()) == {
        "total": 4,
        "active": 3,
        "archived": 1,
        "admin": 1,
        "human": 2,
        "model": 1,
    }


def test_assignment_metrics(project, annotator, reviewer):
    Assignment.objects.filter(user=reviewer, role="reviewer").update(is_active=False)
    new_project()  # no rows
    assert metric_values(admin_metrics.assignment_metrics()) == {
        "users with assignments": 2,
        "projects with assignments": 1,
        "active rows": 2,
        "archived rows": 1,
    }


def test_project_group_metrics():
    a, b, c = new_project(), new_project(), new_project()
    new_project()
    g1, g2 = ProjectGroupFactory(), ProjectGroupFactory()
    ProjectGroupFactory()
    for group, project in ((g1, a), (g1, b), (g2, b), (g2, c)):
        ProjectGroupProject.objects.create(project_group=group, project=project)
    assert metric_values(admin_metrics.project_group_metrics()) == {
        "groups": 3,
        "projects in groups": 3,
        "average projects per group": 1.3,
        "ungrouped projects": 1,
    }


@pytest.mark.parametrize(
    "model, labels",
    [
        (Video, ["Total", "Active", "Archived", "Unassigned"]),
        (Project, ["Training mode", "Annotation mode"]),
        (User, ["Admin", "Human", "Model"]),
        (Assignment, ["Users with assignments", "Archived rows"]),
        (QuestionGroup, ["Reusable"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_changelists_start_with_their_metrics_row(staff_client, model, labels):
    content = staff_client.get(changelist(model)).content.decode()
    assert 'class="lp-metrics"' in content
    for label in labels:
        assert f"<dt>{label}</dt>" in content


def test_metric_links_filter_the_list(staff_client):
    VideoFactory()
    content = staff_client.get(changelist(Video)).content.decode()
    assert f'href="{changelist(Video)}?in_project=no">1</a>' in content


def test_metrics_page_lists_every_section(staff_client, project):
    response = staff_client.get(METRICS)
    titles = [s["title"] for s in response.context["sections"]]
    assert titles == [
        "Videos",
        "Projects",
        "Schemas",
        "Question groups",
        "Questions",
        "Users",
        "Assignments",
        "Project groups",
    ]


def test_metrics_page_queries_are_constant(staff_client, django_assert_num_queries):
    new_project()
    # session + user (2), then videos 1, projects 4, schemas 1, groups 1, questions 1, users 1, assignments 1,
    # project groups 2.
    with django_assert_num_queries(14):
        staff_client.get(METRICS)
    for _ in range(5):
        new_project(n_videos=3)
    with django_assert_num_queries(14):
        staff_client.get(METRICS)


# --------------------------------------------------------------------------- assignments browser (PORTAL-ADM-9)


@pytest.fixture
def cast(db):
    """Three projects and a few users with rows in them, some archived."""
    p1, p2, p3 = (new_project(name=name) for name in ("Alpha", "Beta", "Gamma"))
    ann = UserFactory(user_id="Ann", email="ann@lab.org")
    rev = UserFactory(user_id="Rev", email="rev@lab.org")
    bot = ModelUserFactory(user_id="Bot")
    Assignment.objects.create(user=ann, project=p1, role="annotator", user_weight=2.0)
    Assignment.objects.create(user=ann, project=p2, role="annotator", is_active=False)
    for role in ("annotator", "reviewer"):
        Assignment.objects.create(user=rev, project=p1, role=role)
    Assignment.objects.create(user=bot, project=p3, role="model")
    return {"projects": (p1, p2, p3), "ann": ann, "rev": rev, "bot": bot}


def card_view(response) -> dict[str, dict[str, list[tuple[str, bool]]]]:
    return {
        card.user.user_id: {e.project.name: [(r.role, r.is_active) for r in e.rows] for e in card.projects}
        for card in response.context["cards"]
    }


def test_browser_lists_each_user_with_projects_and_role_rows(staff_client, cast):
    response = staff_client.get(BROWSER, {"user_type": "human"})
    assert card_view(response) == {
        "Ann": {"Alpha": [("annotator", True)], "Beta": [("annotator", False)]},
        "Rev": {"Alpha": [("annotator", True), ("reviewer", True)]},
    }
    content = response.content.decode()
    assert "archived" in content and "2" in content  # Ann's archived row and her weight 2
    assert '<th scope="rowgroup" rowspan="2">' in content


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "archived"}, {"Ann": {"Beta": [("annotator", False)]}}),
        ({"status": "active", "role": "reviewer"}, {"Rev": {"Alpha": [("reviewer", True)]}}),
        ({"user_type": "model"}, {"Bot": {"Gamma": [("model", True)]}}),
        ({"q": "ann@lab"}, {"Ann": {"Alpha": [("annotator", True)], "Beta": [("annotator", False)]}}),
        ({"q": "gamm"}, {"Bot": {"Gamma": [("model", True)]}}),
        ({"q": "nobody"}, {}),
    ],
)
def test_browser_filters(staff_client, cast, params, expected):
    response = staff_client.get(BROWSER, params)
    cards = card_view(response)
    cards.pop("Ada Admin", None)  # the global admin holds rows everywhere (DM-ROLE-5)
    assert cards == expected


def test_browser_pages_by_user(staff_client, project):
    for n in range(12):
        Assignment.objects.create(user=UserFactory(user_id=f"U{n:02}"), project=project, role="annotator")
    first = staff_client.get(BROWSER, {"user_type": "human", "per_page": "5"})
    assert [c.user.user_id for c in first.context["cards"]] == ["U00", "U01", "U02", "U03", "U04"]
    assert first.context["page"].paginator.num_pages == 3
    assert "per_page=5" in first.content.decode()  # page links keep the filters (PORTAL-GEN-2)
    last = staff_client.get(BROWSER, {"user_type": "human", "per_page": "5", "page": "3"})
    assert [c.user.user_id for c in last.context["cards"]] == ["U10", "U11"]
    twenty = staff_client.get(BROWSER, {"user_type": "human", "per_page": "20"})
    assert len(twenty.context["cards"]) == 12


def test_browser_rejects_odd_page_sizes_and_pages(staff_client, cast):
    response = staff_client.get(BROWSER, {"per_page": "1000", "page": "99"})
    assert response.status_code == 200
    assert response.context["page"].paginator.per_page == 10


def test_browser_queries_do_not_grow_with_users_or_rows(staff_client, django_assert_num_queries):
    projects = [new_project() for _ in range(3)]

    def add_users(n):
        for _ in range(n):
            user = UserFactory()
            for project in projects:
                Assignment.objects.create(user=user, project=project, role="annotator")

    add_users(3)
    # session + user (2), metrics (1), matching users count (1), page of users (1), their rows (1).
    with django_assert_num_queries(6):
        staff_client.get(BROWSER, {"per_page": "20"})
    add_users(15)
    with django_assert_num_queries(6):
        staff_client.get(BROWSER, {"per_page": "20", "q": "user", "status": "active", "role": "annotator"})


# --------------------------------------------------------------------------- bulk assignment (PORTAL-ADM-9)


def bulk(client, op, projects, users, role="annotator", weight="1", **extra):
    data = {
        "op": op,
        "project": [p.pk for p in projects],
        "user": [u.pk for u in users],
        "role": role,
        "weight": weight,
        **extra,
    }
    return client.post(BULK, data)


def test_assign_gives_every_user_the_role_in_every_project(staff_client):
    projects = [new_project(), new_project()]
    users = [UserFactory(), UserFactory()]
    response = bulk(staff_client, "assign", projects, users, role="reviewer", weight="2.5")
    assert response.status_code == 200
    for user in users:
        for project in projects:
            assert rows_of(user, project) == {("annotator", True, 2.5), ("reviewer", True, 2.5)}
    assert texts(response) == ["Assigned reviewer for 4 user × project pairs with weight 2.5: 4 changed, 0 already so."]


def test_assign_lower_role_demotes_and_reports_unchanged_pairs(staff_client, project, reviewer, annotator):
    response = bulk(staff_client, "assign", [project], [reviewer, annotator], role="annotator")
    assert rows_of(reviewer, project) == {("annotator", True, 1.0), ("reviewer", False, 1.0)}
    assert active_roles(annotator, project) == {"annotator"}
    assert texts(response) == ["Assigned annotator for 2 user × project pairs with weight 1: 1 changed, 1 already so."]


def test_remove_reviewer_keeps_the_annotator_row(staff_client, project, reviewer):
    response = bulk(staff_client, "remove", [project], [reviewer], role="reviewer")
    assert active_roles(reviewer, project) == {"annotator"}
    assert "Removed reviewer for 1 user × project pair: 1 changed" in texts(response)[0]


def test_remove_annotator_takes_the_user_out_of_the_project(staff_client, project, reviewer):
    bulk(staff_client, "remove", [project], [reviewer], role="annotator")
    assert active_roles(reviewer, project) == set()


def test_model_users_get_model_rows(staff_client, project):
    bot = ModelUserFactory()
    bulk(staff_client, "assign", [project], [bot], role="model", weight="0.5")
    assert rows_of(bot, project) == {("model", True, 0.5)}
    bulk(staff_client, "remove", [project], [bot], role="model")
    assert rows_of(bot, project) == {("model", False, 0.5)}


def test_one_bad_pair_saves_nothing_and_each_problem_is_listed(staff_client, project):
    """DM-ROLE-3: a model user cannot be reviewer; the valid human pairs are not saved either."""
    other = new_project()
    human, bot = UserFactory(user_id="Hu Man"), ModelUserFactory(user_id="Bot 1")
    response = bulk(staff_client, "assign", [project, other], [human, bot], role="reviewer")
    assert response.status_code == 200
    problems = response.context["outcome"].problems
    assert sorted((p.user.user_id, p.project.name) for p in problems) == sorted(
        [("Bot 1", project.name), ("Bot 1", other.name)]
    )
    assert all("model user and cannot be reviewer" in p.message for p in problems)
    assert not Assignment.objects.filter(user__in=[human, bot]).exists()
    content = response.content.decode()
    assert "2 pairs cannot be changed — nothing was saved" in content
    assert "User &quot;Bot 1&quot; is a model user and cannot be reviewer" in content
    assert texts(response) == ["2 pairs cannot be changed, so nothing was saved. Fix or deselect them."]


def test_global_admin_rows_cannot_be_removed(staff_client, staff, project, annotator):
    """DM-ROLE-5: removing from a selection that includes a global admin saves nothing."""
    for role in ("annotator", "reviewer", "admin"):
        Assignment.objects.create(user=staff, project=project, role=role)
    response = bulk(staff_client, "remove", [project], [annotator, staff], role="annotator")
    [problem] = response.context["outcome"].problems
    assert problem.user == staff and "global admin" in problem.message
    assert active_roles(staff, project) == {"annotator", "reviewer", "admin"}
    assert active_roles(annotator, project) == {"annotator"}


def test_global_admins_cannot_be_assigned_a_role(staff_client, staff, project):
    response = bulk(staff_client, "assign", [project], [staff], role="annotator")
    [problem] = response.context["outcome"].problems
    assert "admin user and cannot be annotator" in problem.message
    assert not Assignment.objects.filter(user=staff).exists()


def test_archived_users_and_projects_are_refused(staff_client, project, annotator):
    """DM-ARCH-3: a stale selection naming archived rows saves nothing."""
    archived_user = UserFactory(is_active=False)
    archived_project = new_project(is_active=False)
    response = bulk(staff_client, "assign", [project, archived_project], [annotator, archived_user])
    messages = sorted(p.message for p in response.context["outcome"].problems)
    assert len(messages) == 3
    assert sum("is archived" in m for m in messages) == 3
    assert not Assignment.objects.filter(project=archived_project).exists()
    response = bulk(staff_client, "remove", [archived_project], [annotator])
    assert "is archived" in response.context["outcome"].problems[0].message
    assert active_roles(annotator, project) == {"annotator"}


def test_admin_role_is_not_offered(staff_client, project):
    user = UserFactory()
    response = bulk(staff_client, "assign", [project], [user], role="admin")
    assert "role" in response.context["form"].errors
    assert not Assignment.objects.filter(user=user).exists()


@pytest.mark.parametrize("weight", ["-1", "abc", "nan", "inf", ""])
def test_bad_weights_are_form_errors(staff_client, project, weight):
    user = UserFactory()
    response = bulk(staff_client, "assign", [project], [user], weight=weight)
    assert "weight" in response.context["form"].errors
    assert not Assignment.objects.filter(user=user).exists()


def test_empty_selection_is_an_error(staff_client, project):
    response = bulk(staff_client, "assign", [project], [])
    assert texts(response) == ["Select at least one project and one user."]


def test_check_only_validates_and_saves_nothing(staff_client, project):
    user = UserFactory()
    response = bulk(staff_client, "check", [project], [user], role="reviewer")
    assert texts(response) == [
        "Check passed: Assign reviewer for 1 user × project pair can be applied. Nothing was saved yet."
    ]
    assert not Assignment.objects.filter(user=user).exists()


def test_bulk_assignment_recomputes_completion(staff_client, staff, project):
    """DM-DER-7: a user who already answered everything is complete as soon as they are assigned."""
    user = UserFactory()
    for video in project.videos.all():
        for question in Project.objects.get(pk=project.pk).schema.groups.get().questions.all():
            AnswerFactory(project=project, video=video, question=question, user=user)
    bulk(staff_client, "assign", [project], [user])
    assert Assignment.objects.get(user=user, project=project).completed_at is not None


def test_selection_builds_up_across_searches(staff_client):
    alpha, beta = new_project(name="Alpha one"), new_project(name="Beta two")
    new_project(name="Alpha three")
    response = staff_client.post(BULK, {"op": "search", "project_q": "beta", "project": [alpha.pk]})
    projects = response.context["projects"]
    assert [p.name for p in projects.selected] == ["Alpha one"]
    assert [p.name for p in projects.found] == ["Beta two"]
    response = staff_client.post(BULK, {"op": "select_all_projects", "project_q": "alpha", "project": [beta.pk]})
    assert [p.name for p in response.context["projects"].selected] == ["Alpha one", "Alpha three", "Beta two"]
    response = staff_client.post(BULK, {"op": "clear_projects", "project_q": "alpha", "project": [alpha.pk]})
    assert response.context["projects"].selected == []


def test_user_picker_filters_by_type_and_offers_active_users_only(staff_client, staff):
    UserFactory(user_id="Hum One", email="one@lab.org")
    bot = ModelUserFactory(user_id="Bot One")
    UserFactory(user_id="Gone One", is_active=False)
    response = staff_client.post(BULK, {"op": "search", "user_q": "one", "user_type": "model"})
    assert [u.user_id for u in response.context["users"].found] == ["Bot One"]
    response = staff_client.post(BULK, {"op": "select_all_users", "user_q": "one", "user_type": ""})
    assert [u.user_id for u in response.context["users"].selected] == ["Bot One", "Hum One"]
    response = staff_client.post(BULK, {"op": "search", "user_q": "lab.org", "user": [bot.pk]})
    assert [u.user_id for u in response.context["users"].found] == ["Hum One"]
    assert [u.user_id for u in response.context["users"].selected] == ["Bot One"]


def test_selection_can_be_prefilled_from_the_query_string(staff_client, annotator, project):
    response = staff_client.get(BULK, {"user": annotator.pk, "project": [project.pk, "junk"]})
    assert response.context["users"].selected == [annotator]
    assert response.context["projects"].selected == [project]


def test_bulk_page_queries_are_constant(staff_client, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            new_project()
            UserFactory()

    grow(2)

    # session + user (2), selected projects (1), selected users (1), found projects and count (2),
    # found users and count (2).
    def everything():
        return {
            "op": "search",
            "project": list(Project.objects.values_list("pk", flat=True)),
            "user": list(User.objects.values_list("pk", flat=True)),
        }

    data = everything()
    with django_assert_num_queries(8):
        staff_client.post(BULK, data)
    grow(10)
    data = everything()
    with django_assert_num_queries(8):
        staff_client.post(BULK, data)


def test_applying_costs_the_same_queries_whatever_the_number_of_pairs():
    """Validation runs no query; applying runs a constant number, for 2 pairs or 60 (no per-pair queries)."""

    def apply(n_users, n_projects, operation="assign"):
        projects = [new_project() for _ in range(n_projects)]
        users = [UserFactory() for _ in range(n_users)]
        with CaptureQueriesContext(connection) as ctx:
            outcome = bulk_roles(operation=operation, users=users, projects=projects, role="reviewer", dry_run=True)
        assert len(ctx) == 0 and not outcome.problems and not outcome.applied
        with CaptureQueriesContext(connection) as ctx:
            outcome = bulk_roles(operation=operation, users=users, projects=projects, role="reviewer")
        assert outcome.applied and outcome.changed == n_users * n_projects
        assert Assignment.objects.filter(user__in=users, is_active=True).count() == 2 * n_users * n_projects
        return len(ctx), users, projects

    small, *_ = apply(1, 2)
    large, users, projects = apply(6, 10)
    assert small == large
    with CaptureQueriesContext(connection) as ctx:
        outcome = bulk_roles(operation="remove", users=users, projects=projects, role="reviewer")
    assert outcome.applied and outcome.changed == 60 and len(ctx) == small
    assert Assignment.objects.filter(user__in=users, is_active=True).count() == 60  # annotator rows stay (DM-ROLE-4)
    assert not Assignment.objects.filter(user__in=users, role="reviewer", is_active=True).exists()


def test_too_many_pairs_are_refused(staff_client, project, monkeypatch):
    monkeypatch.setattr("catalog.bulk_roles.MAX_PAIRS", 1)
    users = [UserFactory(), UserFactory()]
    response = bulk(staff_client, "assign", [project], users)
    assert texts(response) == ["2 pairs selected; at most 1 can be changed at once. Nothing was saved."]
    assert not Assignment.objects.filter(user__in=users).exists()


# --------------------------------------------------------------------------- verification functions (PORTAL-ADM-12)


def write_workspace(folder: Path, code: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "verify.py").write_text(code, encoding="utf-8")
    register_workspace(folder)
    return folder


def test_functions_page_shows_sources_signatures_docstrings_and_users(staff_client, tmp_path):
    write_workspace(
        tmp_path / "ws",
        'def check_colour(answers: dict) -> None:\n    """Colour must be named."""\n    return None\n',
    )
    invalidate()
    user = QuestionGroupFactory(title="Colours", verification_function="check_colour")
    QuestionGroupFactory(title="People", verification_function="check_human_description", is_active=False)
    QuestionGroupFactory(title="Ghost group", verification_function="check_ghost")
    response = staff_client.get(FUNCTIONS)
    functions = {f.name: f for f in response.context["functions"]}
    assert set(functions) == {"check_colour", "check_human_description", "check_pizza_description", "verify_non_empty"}
    colour = functions["check_colour"]
    assert colour.signature == "check_colour(answers: dict) -> None"
    assert colour.doc == "Colour must be named."
    assert colour.source == str((tmp_path / "ws" / "verify.py").resolve())
    assert colour.groups == [user] and not colour.builtin
    human = functions["check_human_description"]
    assert human.builtin and human.source == "labelpizza/verify.py"
    assert human.signature == "check_human_description(answers: dict[str, str]) -> None"
    assert [g.title for g in human.groups] == ["People"]
    assert response.context["unregistered"] == [("check_ghost", [QuestionGroup.objects.get(title="Ghost group")])]
    content = response.content.decode()
    assert "People</a> (archived)" in content
    assert "Groups naming a function that is not registered" in content


def test_functions_page_marks_workspace_overrides_of_built_ins(staff_client, tmp_path):
    write_workspace(tmp_path / "ws", 'def check_human_description(answers):\n    """Stricter."""\n')
    invalidate()
    response = staff_client.get(FUNCTIONS)
    functions = {f.name: f for f in response.context["functions"]}
    human, pizza = functions["check_human_description"], functions["check_pizza_description"]
    assert human.overrides_builtin and not human.builtin and human.doc == "Stricter."
    assert pizza.builtin and not pizza.overrides_builtin
    assert "overrides the built-in function of the same name" in response.content.decode()


def test_functions_page_shows_load_warnings(staff_client, tmp_path):
    """SYNC-VER-2: a clash between two workspaces and a file that fails to import are shown as warnings."""
    write_workspace(tmp_path / "a", "def check_same(answers):\n    pass\n")
    write_workspace(tmp_path / "b", "def check_same(answers):\n    pass\n")
    write_workspace(tmp_path / "c", "import no_such_module_here\n")
    invalidate()
    response = staff_client.get(FUNCTIONS)
    warnings = response.context["warnings"]
    assert any("'check_same' is defined in both" in w for w in warnings)
    assert any("cannot import" in w and "no_such_module_here" in w for w in warnings)
    content = response.content.decode()
    assert "Load warnings" in content and "check_same" in content
    assert [w["has_verify"] for w in response.context["workspaces"]] == [True, True, True]


def test_functions_page_queries_are_constant(staff_client, django_assert_num_queries):
    for n in range(3):
        QuestionGroupFactory(verification_function="check_human_description", title=f"G{n}")
    with django_assert_num_queries(3):  # session, user, the groups naming a function
        staff_client.get(FUNCTIONS)
    for n in range(10):
        QuestionGroupFactory(verification_function="check_pizza_description", title=f"H{n}")
    with django_assert_num_queries(3):
        staff_client.get(FUNCTIONS)


# --------------------------------------------------------------------------- smaller aids on the admin forms


def test_video_page_shows_gt_status_per_project(staff_client, staff, django_assert_max_num_queries):
    video = VideoFactory()
    questions = [SingleQuestionFactory(), SingleQuestionFactory()]
    schema = SchemaFactory(groups=[QuestionGroupFactory(questions=questions)])
    complete, partial, missing = (
        ProjectFactory(name=name, schema=schema, videos=[video]) for name in ("Complete", "Partial", "Missing")
    )
    for q in questions:
        GroundTruthFactory(project=complete, video=video, question=q, reviewer=staff)
    GroundTruthFactory(project=partial, video=video, question=questions[0], reviewer=staff)
    response = staff_client.get(reverse("admin:catalog_video_change", args=[video.pk]))
    content = response.content.decode()
    assert "complete (2/2 questions)" in content
    assert "partial (1/2 questions)" in content
    assert "missing (0/2 questions)" in content
    links = admin_metrics.with_gt_status(ProjectVideo.objects.filter(video=video)).order_by("project__name")
    assert [(link.gt_done, link.gt_total) for link in links] == [(2, 2), (0, 2), (1, 2)]


def test_video_form_has_the_live_json_check(staff_client):
    content = staff_client.get(reverse("admin:catalog_video_add")).content.decode()
    assert 'data-json-editor="metadata"' in content
    assert "js/admin_json" in content


def test_question_group_form_offers_registered_functions_with_their_docs(staff_client):
    group = QuestionGroupFactory(verification_function="check_pizza_description")
    content = staff_client.get(reverse("admin:catalog_questiongroup_change", args=[group.pk])).content.decode()
    assert '<option value="check_pizza_description" selected>' in content
    assert "check_pizza_description(answers: dict[str, str]) -&gt; None" in content
    assert "A description is required exactly when there are pizzas." in content
    assert 'id="id_verification_function_docs"' in content
    ghost = QuestionGroupFactory(verification_function="check_gone")
    content = staff_client.get(reverse("admin:catalog_questiongroup_change", args=[ghost.pk])).content.decode()
    assert "check_gone (not registered)" in content


def test_question_group_keeps_an_empty_function_as_null(staff_client):
    group = QuestionGroupFactory(questions=[SingleQuestionFactory()])
    data = {
        "display_title": group.display_title,
        "description": "",
        "verification_function": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(group.memberships.get().pk),
        "memberships-0-group": str(group.pk),
        "memberships-0-position": "0",
    }
    response = staff_client.post(reverse("admin:catalog_questiongroup_change", args=[group.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    group.refresh_from_db()
    assert group.verification_function is None


def user_form(client, user) -> dict:
    response = client.get(reverse("admin:catalog_user_change", args=[user.pk]))
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in ("user_id", "email", "user_type")}
    return data | {"is_active": "on"}


def test_promotion_is_explained_and_needs_confirmation(staff_client, project):
    human = UserFactory(user_id="Pro Motee")
    url = reverse("admin:catalog_user_change", args=[human.pk])
    response = staff_client.post(url, user_form(staff_client, human) | {"user_type": "admin"})
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["confirm_type_change"]
    assert 'Promoting "Pro Motee" to admin' in error and "all 1 project" in error and "new pairs get 1.0" in error
    human.refresh_from_db()
    assert human.user_type == "human" and not Assignment.objects.filter(user=human).exists()
    data = user_form(staff_client, human) | {"user_type": "admin", "confirm_type_change": "on"}
    assert staff_client.post(url, data).status_code == 302
    assert active_roles(human, project) == {"annotator", "reviewer", "admin"}


def test_demotion_is_explained_with_the_rows_it_archives(staff_client, project):
    other = AdminFactory(user_id="De Motee")
    for role in ("annotator", "reviewer", "admin"):
        Assignment.objects.create(user=other, project=project, role=role)
    url = reverse("admin:catalog_user_change", args=[other.pk])
    response = staff_client.post(url, user_form(staff_client, other) | {"user_type": "human"})
    [error] = response.context["adminform"].form.errors["confirm_type_change"]
    assert "archives all 3 active role rows they hold in 1 project" in error and "must be assigned again" in error
    assert active_roles(other, project) == {"annotator", "reviewer", "admin"}


def test_project_page_shows_statistics(staff_client, staff, project, annotator):
    video = project.videos.first()
    question = project.schema.groups.get().questions.first()
    AnswerFactory(project=project, video=video, question=question, user=annotator)
    GroundTruthFactory(project=project, video=video, question=question, reviewer=staff)
    content = staff_client.get(reverse("admin:catalog_project_change", args=[project.pk])).content.decode()
    assert "2 active videos · 2 questions · 1 answers · GT 1/4 (25%) · annotation mode" in content


def test_admin_index_links_every_portal_and_view_site_is_not_a_loop(client):
    from catalog.tests.factories import AdminFactory

    client.force_login(AdminFactory())
    page = client.get("/admin/").content.decode()
    for href in (
        'href="/annotate/"',
        'href="/review/"',
        'href="/meta-review/"',
        'href="/search/video/"',
        'href="/admin/export/"',
    ):
        assert href in page, href
