"""Shape checks (SYNC-GEN-3/4/5, DM-CONV-3) and error formatting (SYNC-ERR-2/4). Pure: no database."""

from catalog.validation import natural_key_problem
from syncing.errors import Problems, SyncError, names
from syncing.jsonio import Entry
from syncing.records import MISSING, Duplicates, Record


def record(data, index=0):
    return Record(Entry("videos.json", index, data), "videos", Problems())


def messages(rec):
    return [str(p) for p in rec.problems.items]


def test_sync_gen_4_missing_and_unexpected_keys():
    rec = record({"video_uid": "a", "notes": "x"})
    assert rec.keys(("video_uid", "url")) is False
    assert messages(rec) == ["videos.json[0] .url: is required", 'videos.json[0]: unexpected key "notes"']


def test_sync_gen_3_strict_types():
    rec = record({"is_active": 1, "user_weight": True, "url": 5, "n": "1.0"})
    assert rec.boolean("is_active") is MISSING
    assert rec.number("user_weight") is MISSING
    assert rec.string("url") is MISSING
    assert rec.number("n") is MISSING
    assert messages(rec) == [
        "videos.json[0] .is_active: must be true or false, got a number",
        "videos.json[0] .user_weight: must be a finite number, got a boolean",
        "videos.json[0] .url: must be a string, got a number",
        "videos.json[0] .n: must be a finite number, got a string",
    ]


def test_sync_gen_3_integers_and_decimals_are_numbers():
    rec = record({"a": 1, "b": 1.5})
    assert rec.number("a") == 1.0 and rec.number("b") == 1.5 and rec.ok


def test_sync_gen_3_null_only_where_allowed():
    rec = record({"description": None, "url": None})
    assert rec.string("description", nullable=True) is None
    assert rec.string("url") is MISSING
    assert messages(rec) == ["videos.json[0] .url: must be a string, got null"]


def test_dm_conv_3_natural_keys_are_never_trimmed():
    assert natural_key_problem("") == "must not be empty"
    assert natural_key_problem(" human.mp4") == '" human.mp4" must not begin or end with whitespace'
    assert natural_key_problem("x" * 300, 255) == "is 300 characters long; at most 255 allowed"
    assert natural_key_problem("human.mp4") is None


def test_sync_gen_5_duplicate_cites_first_index():
    dup = Duplicates("video_uid")
    first, second = record({}, 0), record({}, 3)
    assert dup.check(first, "a.mp4", ".video_uid")
    second.key = "a.mp4"
    assert not dup.check(second, "a.mp4", ".video_uid")
    assert messages(second) == ['videos.json[3] "a.mp4" .video_uid: duplicate video_uid "a.mp4"; first at index 0']


def test_sync_err_4_sync_error_text_and_errors_sorted_by_table_order():
    problems = Problems()
    problems.add("projects", "projects.json", 0, "P", ".videos[4]", 'video "clip9.mp4" does not exist')
    problems.add("videos", "videos.json", 2, "v", ".url", "bad")
    error = SyncError(problems.items)
    assert isinstance(error, ValueError)
    assert str(error).splitlines() == [
        "Sync failed: 2 errors, nothing written.",
        'videos.json[2] "v" .url: bad',
        'projects.json[0] "P" .videos[4]: video "clip9.mp4" does not exist',
    ]
    assert error.errors[0] == {
        "table": "videos",
        "source": "videos.json",
        "index": 2,
        "key": "v",
        "field": ".url",
        "message": "bad",
    }


def test_sync_pg_3_names_lists_five_in_full_then_three_and_a_count():
    assert names(["a", "b", "c", "d", "e"]) == "a, b, c, d, e"
    assert names(["v1", "v2", "v3", "v4", "v5", "v6", "v7"]) == "v1, v2, v3 and 4 more"
