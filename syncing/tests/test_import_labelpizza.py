"""Issue 12 point 3: `manage.py import_labelpizza` brings an original Label Pizza database over, field by field,
in one transaction, incrementally. The source is a PostgreSQL database in the original's schema, built from
DDL written from its models (data/labelpizza_original.sql)."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
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
from syncing.tests.original_db import Source, original_database

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the original Label Pizza runs on PostgreSQL: these tests build its database on the PostgreSQL "
        "server DATABASE_URL names, so they run only when the suite runs on PostgreSQL",
    ),
]

T0 = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def t(minutes):
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def source():
    with original_database(settings.DATABASE_URL_IN_USE, "lp12_original_test") as url:
        db = Source(url)
        db.url = url
        yield db
        db.close()


def fill(db: Source) -> dict:
    """Rows covering every column and the edge cases: archived rows, a model user with confidence, a description
    question, custom displays, reviews (approved with a comment, rejected, pending), an admin override."""
    ids = {}
    user = dict(created_at=t(0), updated_at=t(1))
    ids["admin"] = db.insert(
        "users", user_id_str="Admin 1", email="admin1@example.com", password_hash="admin111", user_type="admin", **user
    )
    ids["ann"] = db.insert(
        "users", user_id_str="Ann", email="ann@example.com", password_hash="ann-pass", user_type="human", **user
    )
    ids["rev"] = db.insert(
        "users", user_id_str="Rev", email="rev@example.com", password_hash="rev-pass", user_type="human", **user
    )
    ids["bot"] = db.insert("users", user_id_str="Bot", email=None, password_hash="", user_type="model", **user)
    ids["gone"] = db.insert(
        "users",
        user_id_str="Gone",
        email="gone@example.com",
        password_hash="gone-pass",
        user_type="human",
        is_archived=True,
        **user,
    )
    ids["v1"] = db.insert(
        "videos",
        video_uid="v1.mp4",
        url="https://cdn.example.org/v1.mp4",
        video_metadata={"fps": 30},
        created_at=t(2),
        updated_at=t(3),
    )
    ids["v2"] = db.insert(
        "videos",
        video_uid="v2.mp4",
        url="https://cdn.example.org/v2.mp4",
        video_metadata=None,
        created_at=t(2),
        updated_at=None,
    )
    ids["v3"] = db.insert(
        "videos",
        video_uid="v3.mp4",
        url="https://cdn.example.org/v3.mp4",
        video_metadata={},
        is_archived=True,
        created_at=t(2),
        updated_at=t(4),
    )
    db.insert("video_tags", video_id=ids["v1"], tag="nsfw", tag_source="reviewer", created_at=t(5))
    ids["q_count"] = db.insert(
        "questions",
        text="How many?",
        display_text="How many people?",
        type="single",
        options=["0", "1", "2"],
        display_values=["none", "one", "two"],
        option_weights=[1.0, 2.0, 0.5],
        default_option="0",
        created_at=t(6),
    )
    ids["q_safe"] = db.insert(
        "questions",
        text="Safe?",
        display_text="Is it safe?",
        type="single",
        options=["Yes", "No"],
        display_values=None,
        option_weights=None,
        default_option=None,
        created_at=t(6),
    )
    ids["q_desc"] = db.insert(
        "questions",
        text="Describe.",
        display_text="Describe them.",
        type="description",
        default_option=None,
        created_at=t(6),
    )
    ids["q_old"] = db.insert(
        "questions", text="Old?", display_text="Old?", type="description", is_archived=True, created_at=t(6)
    )
    ids["g_people"] = db.insert(
        "question_groups",
        title="People",
        display_title="People (shown)",
        description="About people",
        is_reusable=False,
        is_auto_submit=False,
        verification_function="check_human_description",
    )
    ids["g_safety"] = db.insert(
        "question_groups",
        title="Safety",
        display_title="Safety",
        description=None,
        is_reusable=True,
        is_auto_submit=True,
        verification_function="",
    )
    ids["g_old"] = db.insert(
        "question_groups", title="Old", display_title="Old", is_archived=True, verification_function=None
    )
    for group, question, order in (
        ("g_people", "q_desc", 2),
        ("g_people", "q_count", 1),
        ("g_safety", "q_safe", 0),
        ("g_old", "q_old", 0),
    ):
        db.insert(
            "question_group_questions", question_group_id=ids[group], question_id=ids[question], display_order=order
        )
    ids["s_main"] = db.insert(
        "schemas",
        name="Main",
        instructions_url="https://example.org/guide",
        has_custom_display=True,
        created_at=t(7),
        updated_at=t(8),
    )
    ids["s_old"] = db.insert(
        "schemas", name="Old schema", instructions_url=None, is_archived=True, created_at=t(7), updated_at=t(7)
    )
    db.insert("schema_question_groups", schema_id=ids["s_main"], question_group_id=ids["g_safety"], display_order=5)
    db.insert("schema_question_groups", schema_id=ids["s_main"], question_group_id=ids["g_people"], display_order=1)
    db.insert("schema_question_groups", schema_id=ids["s_old"], question_group_id=ids["g_old"], display_order=0)
    ids["p1"] = db.insert(
        "projects", name="Batch 1", schema_id=ids["s_main"], description="First", created_at=t(9), updated_at=t(10)
    )
    ids["p_old"] = db.insert(
        "projects",
        name="Old batch",
        schema_id=ids["s_old"],
        description=None,
        is_archived=True,
        created_at=t(9),
        updated_at=t(9),
    )
    db.insert("project_videos", project_id=ids["p1"], video_id=ids["v2"], added_at=t(11))
    db.insert("project_videos", project_id=ids["p1"], video_id=ids["v1"], added_at=t(12))
    db.insert("project_videos", project_id=ids["p_old"], video_id=ids["v3"], added_at=t(11))
    roles = (
        ("admin", "admin", None, False, None),
        ("admin", "reviewer", None, False, None),
        ("admin", "annotator", None, False, None),
        ("ann", "annotator", 1.0, False, t(30)),
        ("rev", "reviewer", 2.0, False, None),
        ("rev", "annotator", 2.0, False, None),
        ("bot", "model", 0.5, False, None),
        ("gone", "annotator", 1.0, True, None),
    )
    for who, role, weight, archived, completed in roles:
        db.insert(
            "project_user_roles",
            project_id=ids["p1"],
            user_id=ids[who],
            role=role,
            user_weight=weight,
            assigned_at=t(13),
            completed_at=completed,
            is_archived=archived,
        )
    ids["pg"] = db.insert("project_groups", name="All batches", description="Everything", created_at=t(14))
    db.insert("project_group_projects", project_group_id=ids["pg"], project_id=ids["p1"])
    db.insert(
        "project_video_question_displays",
        project_id=ids["p1"],
        video_id=ids["v1"],
        question_id=ids["q_count"],
        custom_display_text="How many cooks?",
        custom_option_display_map={"0": "no cook", "1": "one cook", "2": "two cooks"},
        created_at=t(15),
        updated_at=t(16),
    )
    db.insert(
        "project_video_question_displays",
        project_id=ids["p1"],
        video_id=ids["v1"],
        question_id=ids["q_desc"],
        custom_display_text="Describe the cooks.",
        custom_option_display_map=None,
        created_at=t(15),
        updated_at=None,
    )

    def answer(user, question, value, confidence=None, notes=None, video="v1"):
        return db.insert(
            "annotator_answers",
            video_id=ids[video],
            question_id=ids[question],
            user_id=ids[user],
            project_id=ids["p1"],
            answer_type="single" if question != "q_desc" else "description",
            answer_value=value,
            confidence_score=confidence,
            created_at=t(20),
            modified_at=t(21),
            notes=notes,
        )

    ids["a_ann_count"] = answer("ann", "q_count", "1", notes="unsure")
    ids["a_ann_desc"] = answer("ann", "q_desc", "One cook.")
    ids["a_bot_count"] = answer("bot", "q_count", "2", confidence=0.75)
    ids["a_bot_desc"] = answer("bot", "q_desc", "Two cooks.", confidence=0.5)
    ids["a_rev_desc"] = answer("rev", "q_desc", "A cook.", video="v2")
    db.insert(
        "answer_reviews",
        answer_id=ids["a_ann_desc"],
        reviewer_id=ids["rev"],
        status="approved",
        comment="good",
        reviewed_at=t(22),
    )
    db.insert(
        "answer_reviews", answer_id=ids["a_bot_desc"], reviewer_id=ids["rev"], status="rejected", reviewed_at=t(23)
    )
    db.insert(
        "answer_reviews", answer_id=ids["a_rev_desc"], reviewer_id=ids["admin"], status="pending", reviewed_at=t(24)
    )
    gt = dict(video_id=ids["v1"], project_id=ids["p1"], reviewer_id=ids["rev"], created_at=t(25))
    db.insert(
        "reviewer_ground_truth",
        question_id=ids["q_count"],
        answer_type="single",
        answer_value="2",
        original_answer_value="1",
        modified_at=t(26),
        modified_by_admin_id=ids["admin"],
        modified_by_admin_at=t(27),
        confidence_score=0.9,
        **gt,
    )
    db.insert(
        "reviewer_ground_truth",
        question_id=ids["q_desc"],
        answer_type="description",
        answer_value="One cook.",
        original_answer_value="One cook.",
        modified_at=None,
        notes="checked twice",
        **gt,
    )
    return ids


def run(*args):
    out = io.StringIO()
    call_command("import_labelpizza", *args, stdout=out)
    return out.getvalue()


def test_import_brings_every_table_over_field_by_field(source):
    fill(source)
    output = run("--source-url", source.url)
    assert "Import complete" in output

    users = {u.user_id: u for u in User.objects.all()}
    assert set(users) == {"Admin 1", "Ann", "Rev", "Bot", "Gone"}
    assert users["Ann"].check_password("ann-pass") and users["Ann"].email == "ann@example.com"
    assert users["Admin 1"].user_type == "admin" and users["Admin 1"].is_superuser and users["Admin 1"].is_staff
    assert users["Bot"].email is None and not users["Bot"].has_usable_password()
    assert not users["Gone"].is_active and users["Gone"].check_password("gone-pass")
    assert (users["Rev"].created_at, users["Rev"].updated_at) == (t(0), t(1))

    videos = {v.video_uid: v for v in Video.objects.all()}
    assert (videos["v1.mp4"].metadata, videos["v1.mp4"].created_at, videos["v1.mp4"].updated_at) == (
        {"fps": 30},
        t(2),
        t(3),
    )
    assert videos["v2.mp4"].metadata == {} and videos["v2.mp4"].updated_at == t(2)
    assert not videos["v3.mp4"].is_active and videos["v3.mp4"].url == "https://cdn.example.org/v3.mp4"

    count = Question.objects.get(text="How many?")
    assert (count.display_text, count.qtype, count.options, count.display_values, count.option_weights) == (
        "How many people?",
        "single",
        ["0", "1", "2"],
        ["none", "one", "two"],
        [1.0, 2.0, 0.5],
    )
    assert (count.default_option, count.created_at) == ("0", t(6))
    safe = Question.objects.get(text="Safe?")
    assert (safe.display_values, safe.option_weights, safe.default_option) == (["Yes", "No"], [1.0, 1.0], None)
    assert Question.objects.get(text="Describe.").options is None
    assert not Question.objects.get(text="Old?").is_active

    people = QuestionGroup.objects.get(title="People")
    assert (people.display_title, people.description, people.verification_function) == (
        "People (shown)",
        "About people",
        "check_human_description",
    )
    safety = QuestionGroup.objects.get(title="Safety")
    assert (safety.is_reusable, safety.is_auto_submit, safety.description, safety.verification_function) == (
        True,
        True,
        "",
        None,
    )
    assert not QuestionGroup.objects.get(title="Old").is_active
    assert list(
        QuestionGroupQuestion.objects.filter(group=people).order_by("position").values_list("question__text", flat=True)
    ) == ["How many?", "Describe."]

    main = Schema.objects.get(name="Main")
    assert (main.instructions_url, main.has_custom_display, main.created_at, main.updated_at) == (
        "https://example.org/guide",
        True,
        t(7),
        t(8),
    )
    assert list(
        SchemaQuestionGroup.objects.filter(schema=main).order_by("position").values_list("group__title", flat=True)
    ) == ["People", "Safety"]
    assert not Schema.objects.get(name="Old schema").is_active

    batch = Project.objects.get(name="Batch 1")
    assert (batch.schema, batch.description, batch.created_at, batch.updated_at) == (main, "First", t(9), t(10))
    old = Project.objects.get(name="Old batch")
    assert not old.is_active and old.description == ""
    links = ProjectVideo.objects.filter(project=batch).order_by("position")
    assert [(link.video.video_uid, link.added_at) for link in links] == [("v2.mp4", t(11)), ("v1.mp4", t(12))]

    roles = {(a.user.user_id, a.role): a for a in Assignment.objects.filter(project=batch)}
    assert len(roles) == 8
    assert (roles["Rev", "reviewer"].user_weight, roles["Bot", "model"].user_weight) == (2.0, 0.5)
    assert roles["Admin 1", "admin"].user_weight == 1.0  # null in the source: the original's default
    assert roles["Ann", "annotator"].completed_at == t(30) and roles["Ann", "annotator"].assigned_at == t(13)
    assert not roles["Gone", "annotator"].is_active
    # The source's admin held every role already; the old batch gets the admin's rows too (our rule DM-ROLE-5)
    assert set(Assignment.objects.filter(project=old).values_list("user__user_id", "role")) == {
        ("Admin 1", "admin"),
        ("Admin 1", "reviewer"),
        ("Admin 1", "annotator"),
    }
    assert "3 role(s) added or re-activated" in output

    group = ProjectGroup.objects.get(name="All batches")
    assert (group.description, group.created_at, [p.name for p in group.projects.all()]) == (
        "Everything",
        t(14),
        ["Batch 1"],
    )

    displays = {d.question.text: d for d in CustomDisplay.objects.filter(project=batch, video__video_uid="v1.mp4")}
    assert displays["How many?"].custom_option_display_map == {"0": "no cook", "1": "one cook", "2": "two cooks"}
    assert (displays["How many?"].custom_display_text, displays["How many?"].updated_at) == ("How many cooks?", t(16))
    assert (displays["Describe."].custom_option_display_map, displays["Describe."].updated_at) == (None, t(15))

    answers = {(a.user.user_id, a.question.text, a.video.video_uid): a for a in Answer.objects.all()}
    assert len(answers) == 5
    bot = answers["Bot", "How many?", "v1.mp4"]
    assert (bot.value, bot.confidence_score, bot.created_at, bot.modified_at) == ("2", 0.75, t(20), t(21))
    assert answers["Ann", "How many?", "v1.mp4"].confidence_score is None

    reviews = {(r.answer.user.user_id, r.status, r.reviewer.user_id, r.reviewed_at) for r in AnswerReview.objects.all()}
    assert reviews == {("Ann", "approved", "Rev", t(22)), ("Bot", "rejected", "Rev", t(23))}  # pending = no row

    gts = {g.question.text: g for g in GroundTruth.objects.all()}
    overridden = gts["How many?"]
    assert (overridden.value, overridden.reviewer_value, overridden.reviewer.user_id) == ("2", "1", "Rev")
    assert (overridden.overridden_by.user_id, overridden.overridden_at, overridden.confidence_score) == (
        "Admin 1",
        t(27),
        0.9,
    )
    assert (overridden.created_at, overridden.modified_at) == (t(25), t(27))
    plain = gts["Describe."]
    assert (plain.value, plain.reviewer_value, plain.overridden_by, plain.modified_at) == (
        "One cook.",
        "One cook.",
        None,
        t(25),
    )
    kinds = sorted(GroundTruthHistory.objects.values_list("question__text", "kind", "at"))
    assert kinds == [
        ("Describe.", "created", t(25)),
        ("How many?", "created", t(25)),
        ("How many?", "overridden", t(27)),
    ]

    # What is not kept is said, never dropped silently
    assert 'video_tags "v1.mp4" / "nsfw" (reviewer,' in output
    assert "1 answer note(s) are not kept" in output
    assert "1 pending review(s)" in output and "1 review comment(s) are not kept" in output
    assert "reviewer_ground_truth: 1 note(s) are not kept" in output


def test_dry_run_prints_the_counts_and_writes_nothing(source):
    fill(source)
    output = run("--source-url", source.url, "--dry-run")
    assert "Dry run: nothing was written." in output
    line = next(line for line in output.splitlines() if line.startswith("annotator_answers"))
    assert line.split() == ["annotator_answers", "5", "5", "0", "0", "0"]
    assert User.objects.count() == Answer.objects.count() == 0


def test_re_import_writes_only_what_changed_in_the_source(source):
    ids = fill(source)
    run("--source-url", source.url)
    again = run("--source-url", source.url)
    for line in again.splitlines()[1:18]:
        cells = line.split()
        assert cells[-4:-1] != [] and cells[-4] == "0" and cells[-3] == "0", line  # nothing created or updated
    source.execute(
        "UPDATE annotator_answers SET answer_value = '0', modified_at = %s WHERE id = %s", (t(40), ids["a_ann_count"])
    )
    source.insert(
        "videos", video_uid="v4.mp4", url="https://cdn.example.org/v4.mp4", created_at=t(41), updated_at=t(41)
    )
    third = run("--source-url", source.url)
    rows = {line.split()[0]: line.split()[1:] for line in third.splitlines()[1:18]}
    assert rows["annotator_answers"] == ["5", "0", "1", "4", "0"]
    assert rows["videos"] == ["4", "1", "0", "3", "0"]
    changed = Answer.objects.get(user__user_id="Ann", question__text="How many?")
    assert (changed.value, changed.modified_at) == ("0", t(40))


def test_rows_that_break_our_rules_stop_the_import_unless_skipped(source, tmp_path):
    ids = fill(source)
    source.insert("users", user_id_str=" Padded", email="p@example.com", password_hash="x", user_type="human")
    source.insert(
        "annotator_answers",
        video_id=ids["v1"],
        question_id=ids["q_safe"],
        user_id=ids["ann"],
        project_id=ids["p1"],
        answer_value="Maybe",
        created_at=t(20),
        modified_at=t(20),
    )
    db_review = source.insert(
        "answer_reviews", answer_id=ids["a_bot_count"], reviewer_id=ids["rev"], status="approved", reviewed_at=t(22)
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written") as refused:
        call_command("import_labelpizza", "--source-url", source.url, stdout=out)
    assert refused.value.returncode == 1
    text = out.getvalue()
    assert "users id " in text and "must not begin or end with whitespace" in text
    assert '"Maybe" is not an option of "Safe?"' in text
    assert f"answer_reviews id {db_review}: reviews are kept for description answers only here" in text
    assert User.objects.count() == 0

    report = tmp_path / "skipped.txt"
    output = run("--source-url", source.url, "--skip-invalid", "--report-file", str(report))
    assert "Import complete" in output and str(report) in output
    lines = report.read_text().splitlines()
    assert any("must not begin or end with whitespace" in line for line in lines)
    assert any('"Maybe" is not an option' in line for line in lines)
    assert any(line.startswith("video_tags") for line in lines)
    assert User.objects.count() == 5 and Answer.objects.count() == 5


def test_source_url_name_reads_the_variable_and_bad_sources_are_clear(source, monkeypatch):
    fill(source)
    monkeypatch.setenv("ORIGINAL_DBURL", source.url)
    assert "Import complete" in run("--source-url-name", "ORIGINAL_DBURL")
    with pytest.raises(CommandError, match="no such variable"):
        run("--source-url-name", "NO_SUCH_VARIABLE_LP12")
    with pytest.raises(CommandError, match="must be a PostgreSQL URL"):
        run("--source-url", "sqlite:///tmp/x.sqlite3")
    with pytest.raises(CommandError, match="missing table"):
        run("--source-url", settings.DATABASE_URL_IN_USE.rsplit("/", 1)[0] + "/postgres")


def test_the_source_is_only_read(source):
    fill(source)
    before = source.execute("SELECT count(*), max(updated_at) FROM users").fetchone()
    run("--source-url", source.url)
    assert source.execute("SELECT count(*), max(updated_at) FROM users").fetchone() == before
