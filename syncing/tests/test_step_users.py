"""users.json / sync_users (SYNC-USR-1..8, with DM-USR, DM-ROLE-5/6/7 and the seed guide's step 2)."""

import json

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotation.tests.factories import GroundTruthFactory
from catalog.models import Assignment, Question, User
from catalog.tests.factories import AdminFactory, AssignmentFactory, ModelUserFactory, ProjectFactory, UserFactory
from syncing.helpers import SyncError, sync_users

pytestmark = pytest.mark.django_db

SRC = "<users_data>"


def human(user_id, email, password="pw-plain-1", *, user_type="human", is_active=True):
    return {"user_id": user_id, "email": email, "password": password, "user_type": user_type, "is_active": is_active}


def model_user(user_id, *, is_active=True, password=""):
    return {"user_id": user_id, "email": None, "password": password, "user_type": "model", "is_active": is_active}


def pbkdf2_hash(password: str) -> str:
    """A real pbkdf2_sha256 hash with few iterations, so tests stay fast, and a salt as long as Django's own
    (a shorter one is a hash Django would upgrade, so weaker than the default: catalog.auth)."""
    return PBKDF2PasswordHasher().encode(password, "fixedsalt1234567890abc", iterations=1000)


@pytest.fixture(autouse=True)
def _cheap_default_pbkdf2(monkeypatch):
    """1,000 iterations count as PBKDF2's current cost here, so pbkdf2_hash() is not "weaker than the default"."""
    monkeypatch.setattr(PBKDF2PasswordHasher, "iterations", 1000)


def snapshot():
    users = list(User.objects.order_by("pk").values())
    roles = list(Assignment.objects.order_by("pk").values())
    return users, roles


def fails(data, *lines):
    """Run a sync that must fail with exactly these error lines, and check nothing was written."""
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync_users(users_data=data, quiet=True)
    text = str(excinfo.value)
    for line in lines:
        assert line in text.splitlines(), text
    assert snapshot() == before
    return text


def changes(report):
    return [(c.action, c.key, c.fields, c.note) for c in report.changes]


# -- SYNC-USR-1: exact keys


def test_sync_usr_1_missing_and_unexpected_keys_are_errors():
    record = human("Ann", "ann@example.org")
    del record["is_active"]
    record["notes"] = "x"
    fails(
        [record, "not a record"],
        f'{SRC}[0] "Ann" .is_active: is required',
        f'{SRC}[0] "Ann": unexpected key "notes"',
        f"{SRC}[1]: expected an object, got a string",
    )


# -- SYNC-USR-2: validation


def test_sync_usr_2_user_id_follows_dm_conv_3_and_is_at_most_128_characters():
    fails(
        [human("", "a@example.org"), human(" Ann", "b@example.org"), human("x" * 129, "c@example.org")],
        f"{SRC}[0] .user_id: must not be empty",
        f'{SRC}[1] .user_id: " Ann" must not begin or end with whitespace',
        f"{SRC}[2] .user_id: is 129 characters long; at most 128 allowed",
    )


def test_sync_usr_2_user_type_must_be_human_admin_or_model():
    fails(
        [human("Ann", "ann@example.org", user_type="superuser")],
        f'{SRC}[0] "Ann" .user_type: "superuser" is not a user type (human, admin, model)',
    )


def test_sync_gen_3_strict_types():
    record = human("Ann", "ann@example.org")
    record.update(is_active="true", password=12345)
    fails(
        [record, human("Bob", 7)],
        f'{SRC}[0] "Ann" .password: must be a string or null, got a number',
        f'{SRC}[0] "Ann" .is_active: must be true or false, got a string',
        f'{SRC}[1] "Bob" .email: must be a string or null, got a number',
    )


def test_sync_usr_2_human_and_admin_users_need_an_email_and_a_password():
    fails(
        [
            human("Ann", None),
            human("Bob", "bob@example.org", password="", user_type="admin"),
            human("Cat", "cat@example.org", password=None),
        ],
        f'{SRC}[0] "Ann" .email: human users need an email',
        f'{SRC}[1] "Bob" .password: admin users need a non-empty password',
        f'{SRC}[2] "Cat" .password: human users need a non-empty password',
    )


def test_sync_usr_2_email_needs_one_at_with_both_parts_and_at_most_254_characters():
    long_email = "a" * 250 + "@x.org"
    fails(
        [
            human("Ann", "ann.example.org"),
            human("Bob", "bob@"),
            human("Cat", "c@t@example.org"),
            human("Dan", long_email),
        ],
        f'{SRC}[0] "Ann" .email: "ann.example.org" is not an email address',
        f'{SRC}[1] "Bob" .email: "bob@" is not an email address',
        f'{SRC}[2] "Cat" .email: "c@t@example.org" is not an email address',
        f'{SRC}[3] "Dan" .email: is 256 characters long; at most 254 allowed',
    )


def test_sync_usr_2_email_is_stripped_and_lowercased():
    sync_users(users_data=[human("Ann", "  Ann.Lee@Example.ORG ")], quiet=True)
    assert User.objects.get(user_id="Ann").email == "ann.lee@example.org"
    report = sync_users(users_data=[human("Ann", "ann.lee@EXAMPLE.org")], quiet=True)
    assert report.counts["users"]["unchanged"] == 1 and not report.changes


def test_sync_usr_2_model_users_need_null_email_and_empty_password():
    fails(
        [{**model_user("Bot"), "email": "bot@example.org"}],
        f'{SRC}[0] "Bot" .email: model users have no email; use null',
    )
    # A model user's non-empty password is the original Label Pizza's shape: dropped with a warning (issue 12).
    report = sync_users(users_data=[model_user("Bot 2", password="secret-pw")], quiet=True)
    assert not User.objects.get(user_id="Bot 2").has_usable_password()
    assert any("model user(s) carry a non-empty password" in w for w in report.warnings)


def test_sync_usr_2_model_users_get_an_unusable_password():
    sync_users(users_data=[model_user("Bot"), model_user("Bot 2", password=None)], quiet=True)
    for bot in User.objects.filter(user_id__in=["Bot", "Bot 2"]):
        assert bot.email is None and not bot.has_usable_password() and bot.user_type == "model"
    report = sync_users(users_data=[model_user("Bot", password=None), model_user("Bot 2")], quiet=True)
    assert report.counts["users"]["unchanged"] == 2


# -- SYNC-USR-3: passwords


def test_issue16_5_plaintext_is_hashed_with_the_default_hasher_and_never_stored_or_printed(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # production's default
    report = sync_users(
        users_data=[human("Ann", "ann@example.org", password="first-day-pass"), human("Bob", "bob@example.org")],
        quiet=True,
    )
    ann = User.objects.get(user_id="Ann")
    assert ann.password.startswith("pbkdf2_sha256$1000$")  # the default's cost (lowered for the test)
    assert check_password("first-day-pass", ann.password)
    assert "first-day-pass" not in str(report) and "first-day-pass" not in json.dumps(report.to_dict())


def test_sync_usr_3_a_plaintext_password_is_never_printed_in_errors():
    text = fails(
        [human("Ann", "not-an-email", password="top-secret-pw")],
        f'{SRC}[0] "Ann" .email: "not-an-email" is not an email address',
    )
    assert "top-secret-pw" not in text


def test_sync_usr_3_a_hash_is_stored_as_given():
    hashed = pbkdf2_hash("hunter22")
    md5 = make_password("other-pass", hasher="md5")
    sync_users(users_data=[human("Ann", "ann@example.org", hashed), human("Bob", "bob@example.org", md5)], quiet=True)
    assert User.objects.get(user_id="Ann").password == hashed
    assert User.objects.get(user_id="Bob").password == md5


def test_issue16_5_a_given_hash_weaker_than_the_default_is_an_error(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "catalog.hashers.BulkPBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    fails(
        [
            human("Ann", "ann@example.org", make_password("x", hasher="pbkdf2_sha256_bulk")),
            human("Bob", "bob@example.org", make_password("x", hasher="md5")),
            human("Cat", "cat@example.org", PBKDF2PasswordHasher().encode("x", "salt1234", iterations=999)),
        ],
        f'{SRC}[0] "Ann" .password: is a pbkdf2_sha256_bulk hash, weaker than the default hasher (pbkdf2_sha256 at '
        "its current cost); give the plaintext password (sync hashes it) or a hash at least that strong",
        f'{SRC}[1] "Bob" .password: is a md5 hash, weaker than the default hasher (pbkdf2_sha256 at its current '
        "cost); give the plaintext password (sync hashes it) or a hash at least that strong",
        f'{SRC}[2] "Cat" .password: is a pbkdf2_sha256 hash, weaker than the default hasher (pbkdf2_sha256 at '
        "its current cost); give the plaintext password (sync hashes it) or a hash at least that strong",
    )


def test_issue16_5_plaintext_matching_a_low_cost_stored_hash_is_rehashed_at_the_default_cost(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "catalog.hashers.BulkPBKDF2PasswordHasher",
    ]
    ann = UserFactory(user_id="Ann", email="ann@example.org")
    User.objects.filter(pk=ann.pk).update(password=make_password("pw-plain-1", hasher="pbkdf2_sha256_bulk"))
    report = sync_users(users_data=[human("Ann", "ann@example.org", "pw-plain-1")], quiet=True)
    assert report.counts["users"]["updated"] == 1
    stored = User.objects.get(user_id="Ann").password
    assert stored.startswith("pbkdf2_sha256$1000$") and check_password("pw-plain-1", stored)
    again = sync_users(users_data=[human("Ann", "ann@example.org", "pw-plain-1")], quiet=True)
    assert again.counts["users"]["unchanged"] == 1 and User.objects.get(user_id="Ann").password == stored


def test_sync_usr_3_an_incomplete_or_too_long_hash_is_an_error():
    too_long = "pbkdf2_sha256$1000$salt$" + "A" * 120
    fails(
        [human("Ann", "ann@example.org", "pbkdf2_sha256$1000"), human("Bob", "bob@example.org", too_long)],
        f'{SRC}[0] "Ann" .password: looks like a pbkdf2_sha256 password hash but is incomplete; '
        "give the whole hash or a plaintext password",
        f'{SRC}[1] "Bob" .password: password hash is 144 characters long; at most 128 allowed',
    )


def test_sync_out_5_warning_counts_plaintext_passwords_per_source(tmp_path):
    data = [
        human("Ann", "ann@example.org", "plain-1"),
        human("Bob", "bob@example.org", "plain-2"),
        human("Cat", "cat@example.org", pbkdf2_hash("x")),
        model_user("Bot"),
    ]
    report = sync_users(users_data=data, quiet=True)
    assert report.warnings == [
        f"{SRC}: 2 plaintext passwords; consider replacing them with hashes (export_workspace writes hashes)"
    ]
    path = tmp_path / "users.json"
    path.write_text(json.dumps(data[2:]))
    assert sync_users(users_path=str(path), quiet=True).warnings == []


# -- SYNC-USR-4: matching


def test_sync_usr_4_a_record_matching_by_email_renames_the_user():
    old = UserFactory(user_id="M. Lopez", email="maria@example.org", password="pw-1")
    AssignmentFactory(user=old)
    report = sync_users(users_data=[human("Maria Lopez", "Maria@Example.org", "pw-1")], quiet=True)
    assert '  updated    Maria Lopez (user_id: "M. Lopez" -> "Maria Lopez")' in str(report).splitlines()
    assert changes(report) == [("updated", "Maria Lopez", ['user_id: "M. Lopez" -> "Maria Lopez"'], "")]
    renamed = User.objects.get(pk=old.pk)
    assert renamed.user_id == "Maria Lopez" and renamed.assignments.count() == 1
    assert not User.objects.filter(user_id="M. Lopez").exists()


def test_sync_usr_4_user_id_match_wins_over_email_match():
    ann = UserFactory(user_id="Ann", email="ann@example.org")
    report = sync_users(users_data=[human("Ann", "ann.new@example.org", "secret123")], quiet=True)
    assert changes(report) == [("updated", "Ann", ["email"], "")]
    assert User.objects.get(pk=ann.pk).email == "ann.new@example.org"


# -- SYNC-USR-5: uniqueness


def test_sync_usr_5_in_batch_duplicate_user_id_or_email_is_an_error():
    fails(
        [
            human("Ann", "ann@example.org"),
            human("Ann", "ann2@example.org"),
            human("Bob", "ANN@example.org"),
        ],
        f'{SRC}[1] "Ann" .user_id: duplicate user_id "Ann"; first at index 0',
        f'{SRC}[2] "Bob" .email: duplicate email "ann@example.org"; first at index 0',
    )


def test_sync_usr_5_two_records_matching_the_same_user_is_an_error():
    UserFactory(user_id="Ann", email="ann@example.org")
    fails(
        [human("Ann Lee", "ann@example.org"), human("Ann", "ann.other@example.org")],
        f'{SRC}[1] "Ann" .user_id: user "Ann" is already matched by email by the record at index 0; '
        "two records cannot match the same user",
    )
    fails(
        [human("Ann", "ann.other@example.org"), human("Ann Lee", "ann@example.org")],
        f'{SRC}[1] "Ann Lee" .email: email "ann@example.org" belongs to user "Ann", which the record at index 0 '
        "already matches; two records cannot match the same user",
    )


def test_sync_usr_5_email_of_another_user_who_keeps_it_is_an_error():
    UserFactory(user_id="Ann", email="ann@example.org")
    UserFactory(user_id="Bob", email="bob@example.org")
    fails(
        [human("Ann", "bob@example.org", "secret123")],
        f'{SRC}[0] "Ann" .email: email "bob@example.org" is already used by user "Bob"',
    )


def test_sync_usr_5_email_swap_in_one_batch_is_allowed():
    ann = UserFactory(user_id="Ann", email="ann@example.org")
    bob = UserFactory(user_id="Bob", email="bob@example.org")
    cat = UserFactory(user_id="Cat", email="cat@example.org")
    dan = UserFactory(user_id="Dan", email="dan@example.org")
    report = sync_users(
        users_data=[
            human("Ann", "bob@example.org", "secret123"),
            human("Bob", "ann@example.org", "secret123"),
            # A chain: Dan takes the email Cat gives up.
            human("Cat", "free@example.org", "secret123"),
            human("Dan", "cat@example.org", "secret123"),
        ],
        quiet=True,
    )
    assert report.counts["users"]["updated"] == 4
    emails = dict(User.objects.values_list("pk", "email"))
    assert emails[ann.pk] == "bob@example.org" and emails[bob.pk] == "ann@example.org"
    assert emails[cat.pk] == "free@example.org" and emails[dan.pk] == "cat@example.org"


def test_sync_usr_5_a_failed_record_keeps_its_email_so_the_swap_fails():
    UserFactory(user_id="Ann", email="ann@example.org")
    UserFactory(user_id="Bob", email="bob@example.org")
    fails(
        [human("Ann", "bob@example.org", "secret123"), human("Bob", "ann@example.org", "secret123", user_type="x")],
        f'{SRC}[0] "Ann" .email: email "bob@example.org" is already used by user "Bob"',
        f'{SRC}[1] "Bob" .user_type: "x" is not a user type (human, admin, model)',
    )


# -- SYNC-USR-6: create


def test_sync_usr_6_creating_an_admin_restores_the_admin_invariant():
    projects = [ProjectFactory(), ProjectFactory()]
    report = sync_users(
        users_data=[
            human("Admin One", "admin.one@example.org", pbkdf2_hash("x"), user_type="admin"),
            human("Maria Lopez", "maria@example.org", "first-day-pass"),
            model_user("DetectorBot"),
        ],
        quiet=True,
    )
    assert changes(report) == [
        ("created", "Admin One", [], ""),
        ("created", "Maria Lopez", [], ""),
        ("created", "DetectorBot", [], ""),
    ]
    admin = User.objects.get(user_id="Admin One")
    assert admin.is_staff and admin.is_superuser
    rows = set(Assignment.objects.filter(user=admin, is_active=True).values_list("project_id", "role"))
    assert rows == {(p.pk, r) for p in projects for r in ("annotator", "reviewer", "admin")}
    maria = User.objects.get(user_id="Maria Lopez")
    assert not maria.is_staff and not maria.is_superuser and not maria.assignments.exists()


def test_sync_usr_6_a_user_created_archived_is_reported_with_a_note():
    report = sync_users(users_data=[human("Ann", "ann@example.org", user_type="admin", is_active=False)], quiet=True)
    assert changes(report) == [("created", "Ann", [], "(archived)")]
    assert "  created    Ann (archived)" in str(report).splitlines()
    ann = User.objects.get(user_id="Ann")
    assert not ann.is_active and not ann.is_staff and not ann.is_superuser


# -- SYNC-USR-7: update


def test_sync_usr_7_plaintext_that_matches_is_unchanged_and_never_rehashed():
    sync_users(users_data=[human("Ann", "ann@example.org", "pw-plain-1")], quiet=True)
    stored = User.objects.get(user_id="Ann").password
    # MD5 is the preferred hasher in tests, so Django would "upgrade" this hash if sync let it.
    report = sync_users(users_data=[human("Ann", "ann@example.org", "pw-plain-1")], quiet=True)
    assert report.counts["users"]["unchanged"] == 1
    assert User.objects.get(user_id="Ann").password == stored


def test_sync_usr_7_password_changes_are_detected_for_plaintext_and_hashes():
    UserFactory(user_id="Ann", email="ann@example.org", password="old-pass")
    report = sync_users(users_data=[human("Ann", "ann@example.org", "new-pass")], quiet=True)
    assert changes(report) == [("updated", "Ann", ["password"], "")]
    assert check_password("new-pass", User.objects.get(user_id="Ann").password)
    hashed = pbkdf2_hash("third-pass")
    report = sync_users(users_data=[human("Ann", "ann@example.org", hashed)], quiet=True)
    assert changes(report) == [("updated", "Ann", ["password"], "")]
    assert User.objects.get(user_id="Ann").password == hashed
    # The same hash again is unchanged, compared by string equality.
    assert not sync_users(users_data=[human("Ann", "ann@example.org", hashed)], quiet=True).changes


def test_sync_usr_7_promotion_creates_admin_rows_and_keeps_weights():
    p1, p2 = ProjectFactory(), ProjectFactory()
    ann = UserFactory(user_id="Ann", email="ann@example.org")
    AssignmentFactory(user=ann, project=p1, role="annotator", user_weight=2.5)
    report = sync_users(users_data=[human("Ann", "ann@example.org", "secret123", user_type="admin")], quiet=True)
    assert changes(report) == [("updated", "Ann", ["user_type"], "")]
    ann.refresh_from_db()
    assert ann.user_type == "admin" and ann.is_staff and ann.is_superuser
    rows = {(a.project_id, a.role): a.user_weight for a in ann.assignments.filter(is_active=True)}
    assert set(rows) == {(p.pk, r) for p in (p1, p2) for r in ("annotator", "reviewer", "admin")}
    assert rows[(p1.pk, "admin")] == 2.5 and rows[(p2.pk, "admin")] == 1.0


def test_dm_der_7_promotion_recomputes_completion_of_the_new_rows(project):
    for video in project.videos.all():
        for question in Question.objects.filter(group_memberships__group__schema_memberships__schema=project.schema):
            GroundTruthFactory(project=project, video=video, question=question, value="x", reviewer_value="x")
    UserFactory(user_id="Ann", email="ann@example.org")
    sync_users(users_data=[human("Ann", "ann@example.org", "secret123", user_type="admin")], quiet=True)
    row = Assignment.objects.get(user__user_id="Ann", project=project, role="reviewer")
    assert row.is_active and row.completed_at is not None


def test_sync_usr_7_demotion_archives_every_role_row():
    p1, p2 = ProjectFactory(), ProjectFactory()
    boss = AdminFactory(user_id="Boss", email="boss@example.org")
    for project in (p1, p2):
        for role in ("annotator", "reviewer", "admin"):
            AssignmentFactory(user=boss, project=project, role=role)
    report = sync_users(users_data=[human("Boss", "boss@example.org", "secret123")], quiet=True)
    assert changes(report) == [("updated", "Boss", ["user_type"], "")]
    boss.refresh_from_db()
    assert boss.user_type == "human" and not boss.is_staff and not boss.is_superuser
    assert boss.assignments.count() == 6 and not boss.assignments.filter(is_active=True).exists()


def test_sync_usr_7_dm_usr_3_model_users_never_change_type():
    ModelUserFactory(user_id="Bot")
    UserFactory(user_id="Ann", email="ann@example.org")
    fails(
        [human("Bot", "bot@example.org", "secret123"), model_user("Ann")],
        f'{SRC}[0] "Bot" .user_type: user "Bot": user type cannot change between model and human',
        f'{SRC}[1] "Ann" .user_type: user "Ann": user type cannot change between human and model',
    )


def test_sync_usr_7_every_field_change_is_listed():
    UserFactory(user_id="Old", email="ann@example.org", password="secret123")
    report = sync_users(
        users_data=[human("Ann", "ann@example.org", "changed-pass", user_type="admin", is_active=False)], quiet=True
    )
    assert changes(report) == [("archived", "Ann", ['user_id: "Old" -> "Ann"', "password", "user_type"], "")]


def test_dm_arch_3_an_archived_user_may_change_email_and_password_while_archived():
    UserFactory(user_id="Ann", email="ann@example.org", is_active=False)
    report = sync_users(users_data=[human("Ann", "ann2@example.org", "secret456", is_active=False)], quiet=True)
    assert changes(report) == [("updated", "Ann", ["email", "password"], "")]
    ann = User.objects.get(user_id="Ann")
    assert not ann.is_active and ann.email == "ann2@example.org"


# -- SYNC-USR-8: archive and unarchive


def test_sync_usr_8_archive_and_unarchive():
    admin = AdminFactory(user_id="Boss", email="boss@example.org", password="secret123")
    report = sync_users(
        users_data=[human("Boss", "boss@example.org", "secret123", user_type="admin", is_active=False)], quiet=True
    )
    assert changes(report) == [("archived", "Boss", [], "")]
    admin.refresh_from_db()
    assert not admin.is_active and not admin.is_staff and not admin.is_superuser
    # A project created while the admin was archived: unarchiving restores the invariant (DM-ROLE-5).
    project = ProjectFactory()
    report = sync_users(users_data=[human("Boss", "boss@example.org", "secret123", user_type="admin")], quiet=True)
    assert changes(report) == [("unarchived", "Boss", [], "")]
    admin.refresh_from_db()
    assert admin.is_active and admin.is_staff and admin.is_superuser
    roles = set(admin.assignments.filter(project=project, is_active=True).values_list("role", flat=True))
    assert roles == {"annotator", "reviewer", "admin"}


# -- SYNC-GEN-12, SYNC-OUT-1, SYNC-GEN-11


def test_sync_gen_12_unchanged_rerun_reports_unchanged_and_writes_nothing():
    data = [
        human("Admin One", "admin.one@example.org", pbkdf2_hash("x"), user_type="admin"),
        human("Maria Lopez", "maria@example.org", "first-day-pass"),
        human("Sam Okoye", "sam@example.org", "another-pass", is_active=False),
        model_user("DetectorBot"),
    ]
    ProjectFactory()
    sync_users(users_data=data, quiet=True)
    before = snapshot()
    report = sync_users(users_data=data, quiet=True)
    assert report.counts["users"]["unchanged"] == 4 and report.change_count == 0
    assert snapshot() == before


def test_sync_out_1_dry_run_writes_nothing_and_plans_the_same_report():
    UserFactory(user_id="Ann", email="ann@example.org")
    ProjectFactory()
    data = [human("Ann", "ann@example.org", "new-pass", user_type="admin"), human("Bob", "bob@example.org")]
    before = snapshot()
    plan = sync_users(users_data=data, dry_run=True, quiet=True)
    assert snapshot() == before
    real = sync_users(users_data=data, quiet=True)
    assert plan.body_lines() == real.body_lines()
    assert snapshot() != before


def test_sync_gen_11_one_bad_record_writes_nothing():
    fails(
        [human("Ann", "ann@example.org"), human("Bob", "bob@example.org", user_type="robot")],
        f'{SRC}[1] "Bob" .user_type: "robot" is not a user type (human, admin, model)',
    )
    assert not User.objects.exists()


# -- the seed guide and the shared sample


def test_seed_guide_step_2_runs_as_written():
    users_data = [
        {
            "user_id": "User 1",  # must NOT exist in the database
            "email": "user1@example.com",  # must NOT exist in the database
            "password": "user111",
            "user_type": "human",
            "is_active": True,
        }
    ]
    assert changes(sync_users(users_data=users_data, quiet=True)) == [("created", "User 1", [], "")]

    users_data = [
        {
            "user_id": "User 1",
            "email": "user1-new@example.com",
            "password": "user111-new",
            "user_type": "human",
            "is_active": False,
        }
    ]
    report = sync_users(users_data=users_data, quiet=True)
    assert changes(report) == [("archived", "User 1", ["email", "password"], "")]

    users_data = [
        {
            "user_id": "User 1 New",
            "email": "user1-new@example.com",
            "password": "user111-new",
            "user_type": "human",
            "is_active": True,
        }
    ]
    report = sync_users(users_data=users_data, quiet=True)
    assert changes(report) == [("unarchived", "User 1 New", ['user_id: "User 1" -> "User 1 New"'], "")]

    users_data = [{"user_id": "Model 1", "email": None, "password": "", "user_type": "model", "is_active": True}]
    assert changes(sync_users(users_data=users_data, quiet=True)) == [("created", "Model 1", [], "")]

    user = User.objects.get(user_id="User 1 New")
    assert user.is_active and user.email == "user1-new@example.com" and check_password("user111-new", user.password)
    assert User.objects.get(user_id="Model 1").email is None
    assert User.objects.count() == 2


def test_shared_sample_users_json(sample_workspace):
    path = str(sample_workspace / "users.json")
    report = sync_users(users_path=path, quiet=True)
    assert report.counts["users"]["created"] == 3
    assert report.warnings == [
        f"{path}: 2 plaintext passwords; consider replacing them with hashes (export_workspace writes hashes)"
    ]
    admin = User.objects.get(user_id="Admin 1")
    assert admin.is_global_admin and admin.is_staff and check_password("admin111", admin.password)
    assert User.objects.get(user_id="Robot 1").has_usable_password() is False
    before = snapshot()
    assert sync_users(users_path=path, quiet=True).counts["users"]["unchanged"] == 3
    assert snapshot() == before


# -- SYNC-GEN-13: a constant number of queries


def _queries_for(n: int) -> int:
    existing = [UserFactory(user_id=f"Q{n} old {i}", email=f"q{n}.old{i}@example.org") for i in range(n)]
    admins = [AdminFactory(user_id=f"Q{n} admin {i}", email=f"q{n}.admin{i}@example.org") for i in range(n)]
    data = []
    for i, u in enumerate(existing):
        # Promotion, an email change, a new hash.
        data.append(human(u.user_id, f"q{n}.moved{i}@example.org", pbkdf2_hash("p"), user_type="admin"))
    for u in admins:
        data.append(human(u.user_id, u.email, "secret123", is_active=False))  # demotion + archive
    for i in range(n):
        data.append(human(f"Q{n} new {i}", f"q{n}.new{i}@example.org", pbkdf2_hash("p"), user_type="admin"))
        data.append(model_user(f"Q{n} bot {i}"))
    with CaptureQueriesContext(connection) as ctx:
        report = sync_users(users_data=data, quiet=True)
    assert report.change_count == 4 * n
    return len(ctx.captured_queries)


def test_sync_gen_13_query_count_does_not_grow_with_records():
    ProjectFactory()
    # 12 records against 80. The larger side stays under one SQLite batch of admin rows (Django caps
    # SQLite statements at 999 parameters, so batches there hold ~140 rows rather than 1,000).
    assert _queries_for(3) == _queries_for(20)


# -- the password memo: an unchanged re-sync runs no default-cost hash check (issue 13 point 3, issue 16.5)


@pytest.mark.django_db
def test_an_unchanged_plaintext_password_is_not_checked_again(monkeypatch):
    import syncing.steps.users as step

    calls = []
    real_check = step.check_password

    def counting_check(*args, **kwargs):
        calls.append(args[0])
        return real_check(*args, **kwargs)

    monkeypatch.setattr(step, "check_password", counting_check)
    records = [human("Ann", "ann@example.org", "pw-ann"), human("Bob", "bob@example.org", "pw-bob")]
    sync_users(users_data=records, quiet=True)
    ann = User.objects.get(user_id="Ann")
    assert ann.check_password("pw-ann") and ann.sync_password_memo

    sync_users(users_data=records, quiet=True)
    assert calls == []  # both remembered from the hashing

    ann.set_password("changed-on-the-web")
    ann.save()
    report = sync_users(users_data=records, quiet=True)
    assert calls == ["pw-ann"]  # the stored hash changed: the memo no longer applies, so the full check runs
    assert "password" in str(report) and User.objects.get(user_id="Ann").check_password("pw-ann")

    calls.clear()
    sync_users(users_data=records, quiet=True)
    assert calls == []


@pytest.mark.django_db
def test_a_password_checked_the_slow_way_is_remembered_and_a_changed_one_is_not_taken_for_it(monkeypatch):
    bob = UserFactory(user_id="Bob", email="bob@example.org")
    bob.set_password("pw-bob")
    bob.save()
    assert not bob.sync_password_memo
    sync_users(users_data=[human("Bob", "bob@example.org", "pw-bob")], quiet=True)
    bob.refresh_from_db()
    assert bob.sync_password_memo and bob.check_password("pw-bob")

    sync_users(users_data=[human("Bob", "bob@example.org", "pw-new")], quiet=True)
    bob.refresh_from_db()
    assert bob.check_password("pw-new") and not bob.check_password("pw-bob")
