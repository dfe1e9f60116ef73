"""Schemas (SYNC-SCH-1..5, DM-SCH-1..3, DM-QG-6)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import QuestionGroup, Schema, SchemaQuestionGroup
from catalog.tests.factories import ProjectFactory, QuestionGroupFactory, SchemaFactory, SingleQuestionFactory
from catalog.verification import Registry, register_workspace
from syncing.helpers import SyncError, sync_from_folder, sync_question_groups, sync_schemas
from syncing.jsonio import Entry
from syncing.pipeline import Run
from syncing.report import SyncReport
from syncing.steps.schemas import Step
from syncing.tests.seed_guide import SEED_3_1, SEED_3_2

pytestmark = pytest.mark.django_db
SRC = "<schemas_data>"

# Seed guide step 4.1, as written there.
SEED_4_1 = [
    {
        "schema_name": "Questions about Humans",
        "instructions_url": "",
        "question_group_names": ["NSFW", "Human"],
        "has_custom_display": False,
        "is_active": True,
    }
]

# Seed guide step 4.2.
SEED_4_2 = [
    {
        "schema_name": "Questions about Humans",
        "instructions_url": "https://en.wikipedia.org/wiki/Human",
        "question_group_names": ["Human", "NSFW"],
        "has_custom_display": True,
        "is_active": True,
    }
]


def schema(name, groups, **extra):
    return {
        "schema_name": name,
        "question_group_names": list(groups),
        "instructions_url": None,
        "has_custom_display": False,
        "is_active": True,
        **extra,
    }


def qgroup(title, *texts, reusable=False, active=True):
    questions = [SingleQuestionFactory(text=t, display_values=["YES", "NO"]) for t in texts]
    return QuestionGroupFactory(title=title, is_reusable=reusable, is_active=active, questions=questions)


def sync(data, **kwargs):
    return sync_schemas(schemas_data=data, quiet=True, **kwargs)


def snapshot():
    return (
        list(Schema.objects.order_by("pk").values()),
        list(SchemaQuestionGroup.objects.order_by("pk").values()),
        list(QuestionGroup.objects.order_by("pk").values()),
    )


def fails(data, *lines):
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync(data)
    shown = str(excinfo.value).splitlines()
    for line in lines:
        assert line in shown, "\n".join(shown)
    assert snapshot() == before
    return shown


def tabs(name):
    return list(Schema.objects.get(name=name).memberships.order_by("position").values_list("group__title", flat=True))


def changes(report):
    return {(c.action, c.key, tuple(c.fields), c.note) for c in report.changes if c.table == "schemas"}


# ---------------------------------------------------------------- seed guide


def test_seed_4_1_and_4_2():
    sync_question_groups(question_groups_data=SEED_3_1, quiet=True)
    sync_question_groups(question_groups_data=SEED_3_2, quiet=True)
    report = sync(SEED_4_1)
    assert changes(report) == {("created", "Questions about Humans", (), "")}
    created = Schema.objects.get(name="Questions about Humans")
    assert created.instructions_url is None and created.has_custom_display is False
    assert tabs("Questions about Humans") == ["NSFW", "Human"]
    report = sync(SEED_4_2)
    assert changes(report) == {
        ("updated", "Questions about Humans", ("instructions_url", "has_custom_display", "group order"), "")
    }
    updated = Schema.objects.get(name="Questions about Humans")
    assert updated.instructions_url == "https://en.wikipedia.org/wiki/Human" and updated.has_custom_display
    assert tabs("Questions about Humans") == ["Human", "NSFW"]


def test_seed_4_1_works_straight_after_3_1():
    sync_question_groups(question_groups_data=SEED_3_1, quiet=True)
    assert sync(SEED_4_1).counts["schemas"]["created"] == 1


def test_sample_workspace_schemas_share_the_reusable_group(sample_workspace):
    register_workspace(sample_workspace)
    sync_question_groups(question_groups_folder=sample_workspace / "question_groups", quiet=True)
    report = sync_schemas(schemas_path=str(sample_workspace / "schemas.json"), quiet=True)
    assert report.counts["schemas"]["created"] == 2
    assert tabs("Questions about Pizzas") == ["Pizza", "NSFW"]


# ---------------------------------------------------------------- idempotence, dry run


def test_sync_gen_12_unchanged_resync_writes_nothing():
    qgroup("A", "Q?")
    sync([schema("S", ["A"], instructions_url="https://docs.example.org/s")])
    before = snapshot()
    report = sync([schema("S", ["A"], instructions_url="https://docs.example.org/s")])
    assert report.change_count == 0 and report.counts["schemas"]["unchanged"] == 1
    assert snapshot() == before


def test_sync_out_1_dry_run_writes_nothing_and_plans_the_same():
    qgroup("A", "Q?")
    qgroup("B", "R?")
    sync([schema("S", ["A", "B"])])
    data = [schema("S", ["B", "A"], has_custom_display=True), schema("T", ["A"], is_active=False)]
    QuestionGroup.objects.filter(title="A").update(is_reusable=True)
    before = snapshot()
    plan = sync(data, dry_run=True)
    assert snapshot() == before
    real = sync(data)
    assert plan.body_lines() == real.body_lines()
    assert changes(real) == {
        ("updated", "S", ("has_custom_display", "group order"), ""),
        ("created", "T", (), "(archived)"),
    }
    assert not Schema.objects.get(name="T").is_active


# ---------------------------------------------------------------- SYNC-SCH-1/2: shapes and references


def test_sync_sch_1_exact_keys_and_types():
    qgroup("A", "Q?")
    fails(
        [
            {"schema_name": "S", "question_group_names": ["A"], "has_custom_display": 1, "is_active": True, "x": 0},
            schema("", ["A"]),
            schema("T", [], question_group_names="A", is_active=None),
        ],
        f'{SRC}[0] "S": unexpected key "x"',
        f'{SRC}[0] "S" .instructions_url: is required',
        f'{SRC}[0] "S" .has_custom_display: must be true or false, got a number',
        f"{SRC}[1] .schema_name: must not be empty",
        f'{SRC}[2] "T" .question_group_names: must be a list, got a string',
        f'{SRC}[2] "T" .is_active: must be true or false, got null',
    )


def test_sync_sch_2_group_names_and_url():
    qgroup("A", "Q?")
    fails(
        [
            schema("S", []),
            schema("T", ["A", 3, "A", "Nope"]),
            schema("U", ["A"], instructions_url="ftp://docs.example.org"),
            schema("S", ["A"]),
        ],
        f'{SRC}[0] "S" .question_group_names: must not be empty',
        f'{SRC}[1] "T" .question_group_names[1]: must be a string, got a number',
        f'{SRC}[1] "T" .question_group_names[2]: duplicate question group "A"; first at .question_group_names[0]',
        f'{SRC}[2] "U" .instructions_url: "ftp://docs.example.org" is not an http(s) URL',
        f'{SRC}[3] "S" .schema_name: duplicate schema_name "S"; first at index 0',
    )


def test_sync_sch_2_groups_must_exist():
    qgroup("A", "Q?")
    fails([schema("S", ["A", "Nope"])], f'{SRC}[0] "S" .question_group_names[1]: question group "Nope" does not exist')


def test_sync_sch_2_new_schema_needs_active_groups():
    qgroup("Old", "Q?", active=False)
    fails([schema("S", ["Old"])], f'{SRC}[0] "S" .question_group_names[0]: question group "Old" is archived')


def test_sync_sch_2_empty_and_null_url_are_both_stored_as_null():
    qgroup("A", "Q?")
    sync([schema("S", ["A"], instructions_url="")])
    assert Schema.objects.get(name="S").instructions_url is None
    assert sync([schema("S", ["A"], instructions_url=None)]).change_count == 0


# ---------------------------------------------------------------- SYNC-SCH-3: creating


def test_dm_qg_6_non_reusable_group_used_by_another_schema_is_rejected():
    a = qgroup("A", "Q?")
    SchemaFactory(name="Existing", groups=[a], is_active=False)
    fails(
        [schema("S", ["A"])],
        f'{SRC}[0] "S" .question_group_names[0]: question group "A" is not reusable and already belongs to schema '
        '"Existing"',
    )


def test_dm_qg_6_within_one_batch():
    qgroup("A", "Q?")
    qgroup("R", "R?", reusable=True)
    fails(
        [schema("S", ["A", "R"]), schema("T", ["A"]), schema("U", ["R"])],
        f'{SRC}[1] "T" .question_group_names[0]: question group "A" is not reusable and already belongs to schema "S"',
    )
    report = sync([schema("S", ["A", "R"]), schema("U", ["R"])])
    assert report.counts["schemas"]["created"] == 2


def test_dm_sch_3_groups_sharing_a_question_are_rejected():
    shared = SingleQuestionFactory(text="Shared?", display_values=["YES", "NO"])
    QuestionGroupFactory(title="A", questions=[shared])
    QuestionGroupFactory(title="B", questions=[SingleQuestionFactory(text="Other?"), shared])
    fails(
        [schema("S", ["A", "B"])],
        f'{SRC}[0] "S" .question_group_names[1]: question groups "A" and "B" share question "Shared?"',
    )


def test_sync_sch_3_list_order_is_the_tab_order():
    for title in ("A", "B", "C"):
        qgroup(title, f"{title}?")
    sync([schema("S", ["C", "A", "B"])])
    assert tabs("S") == ["C", "A", "B"]


# ---------------------------------------------------------------- SYNC-SCH-4: updating


def test_sync_sch_4_group_set_is_fixed():
    qgroup("A", "A?")
    qgroup("B", "B?")
    qgroup("C", "C?")
    sync([schema("S", ["A", "B"])])
    fails(
        [schema("S", ["A", "C"])],
        f'{SRC}[0] "S" .question_group_names: question groups cannot be added or removed; missing: "B"; extra: "C"',
    )


def test_sync_sch_4_reorder_and_url_change_keep_other_schemas_untouched():
    qgroup("A", "A?")
    qgroup("B", "B?", reusable=True)
    sync([schema("S", ["A", "B"]), schema("T", ["B"])])
    t_before = Schema.objects.get(name="T").updated_at
    report = sync([schema("S", ["B", "A"], instructions_url="https://docs.example.org/x"), schema("T", ["B"])])
    assert changes(report) == {("updated", "S", ("instructions_url", "group order"), "")}
    assert tabs("S") == ["B", "A"]
    assert Schema.objects.get(name="T").updated_at == t_before


# ---------------------------------------------------------------- SYNC-SCH-5: archive and unarchive


def test_sync_sch_5_archive_refused_while_active_project_uses_it():
    qgroup("A", "Q?")
    sync([schema("S", ["A"])])
    s = Schema.objects.get(name="S")
    ProjectFactory(name="Kitchen Batch 1", schema=s)
    ProjectFactory(name="Kitchen Batch 0", schema=s)
    ProjectFactory(name="Done", schema=s, is_active=False)
    fails(
        [schema("S", ["A"], is_active=False)],
        f'{SRC}[0] "S" .is_active: cannot archive: active projects use it: Kitchen Batch 0, Kitchen Batch 1',
    )


def test_sync_sch_5_archive_and_unarchive():
    qgroup("A", "Q?")
    sync([schema("S", ["A"])])
    ProjectFactory(name="Done", schema=Schema.objects.get(name="S"), is_active=False)
    report = sync([schema("S", ["A"], is_active=False)])
    assert changes(report) == {("archived", "S", (), "")}
    assert not Schema.objects.get(name="S").is_active
    report = sync([schema("S", ["A"], has_custom_display=True)])
    assert changes(report) == {("unarchived", "S", ("has_custom_display",), "")}
    assert Schema.objects.get(name="S").is_active


def _step_run(entries, intent):
    run = Run(report=SyncReport("test", dry_run=False), registry=Registry())
    run.intent = intent
    step = Step(run, [Entry(SRC, i, data) for i, data in enumerate(entries)])
    step.forward()
    step.archive()
    return run


def test_sync_sch_5_archive_sees_projects_in_the_final_state():
    """The projects' archive pass runs first; a project the same run unarchives still blocks."""
    qgroup("A", "Q?")
    sync([schema("S", ["A"])])
    ProjectFactory(name="Back", schema=Schema.objects.get(name="S"), is_active=False)
    run = _step_run([schema("S", ["A"], is_active=False)], {"projects": {"Back": True}})
    assert [str(p) for p in run.problems.items] == [
        f'{SRC}[0] "S" .is_active: cannot archive: active projects use it: Back'
    ]


def test_sync_sch_5_unarchive_refused_while_a_group_is_archived():
    a = qgroup("A", "Q?")
    SchemaFactory(name="S", groups=[a], is_active=False)
    QuestionGroup.objects.filter(pk=a.pk).update(is_active=False)
    fails([schema("S", ["A"])], f'{SRC}[0] "S" .is_active: cannot unarchive: its question groups are archived: A')


def _workspace(tmp_path, groups, schemas):
    (tmp_path / "question_groups").mkdir()
    for i, g in enumerate(groups):
        (tmp_path / "question_groups" / f"{i}.json").write_text(json.dumps(g), encoding="utf-8")
    (tmp_path / "schemas.json").write_text(json.dumps(schemas), encoding="utf-8")
    return tmp_path


def _group_record(title, is_active):
    question = {
        "qtype": "single",
        "text": "Q?",
        "display_text": "Q?",
        "options": ["yes", "no"],
        "display_values": ["YES", "NO"],
    }
    return {
        "title": title,
        "display_title": title,
        "description": "",
        "is_reusable": False,
        "is_auto_submit": False,
        "verification_function": None,
        "is_active": is_active,
        "questions": [question],
    }


def test_sync_sch_5_unarchive_with_its_group_in_one_run(tmp_path):
    a = qgroup("A", "Q?", active=False)
    SchemaFactory(name="S", groups=[a], is_active=False)
    folder = _workspace(tmp_path, [_group_record("A", True)], [schema("S", ["A"])])
    report = sync_from_folder(folder, quiet=True)
    assert ("unarchived", "S", (), "") in changes(report)
    assert Schema.objects.get(name="S").is_active and QuestionGroup.objects.get(title="A").is_active


def test_sync_sch_5_unarchive_refused_when_the_same_run_archives_the_group(tmp_path):
    a = qgroup("A", "Q?")
    SchemaFactory(name="S", groups=[a], is_active=False)
    folder = _workspace(tmp_path, [_group_record("A", False)], [schema("S", ["A"])])
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync_from_folder(folder, quiet=True)
    assert (
        'schemas.json[0] "S" .is_active: cannot unarchive: its question groups are archived: A'
        in str(excinfo.value).splitlines()
    )
    assert snapshot() == before


# ---------------------------------------------------------------- SYNC-GEN-13: constant queries


def _queries(data):
    with CaptureQueriesContext(connection) as ctx:
        sync(data)
    return len(ctx.captured_queries)


def test_sync_gen_13_query_count_does_not_grow_with_records():
    groups = [qgroup(f"G{i}", f"Q{i}?") for i in range(60)]
    sync([schema("Warm-up", ["G0"])])

    def batch(offset, n, **extra):
        return [schema(f"S{offset + i}", [f"G{offset + i}"], **extra) for i in range(n)]

    assert _queries(batch(1, 3)) == _queries(batch(10, 30))  # creates
    assert _queries(batch(1, 3)) == _queries(batch(10, 30))  # unchanged
    assert _queries(batch(1, 3, has_custom_display=True)) == _queries(batch(10, 30, has_custom_display=True))
    assert _queries(batch(1, 3, is_active=False)) == _queries(batch(10, 30, is_active=False))
    assert len(groups) == 60
