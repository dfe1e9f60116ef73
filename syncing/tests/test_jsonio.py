"""Strict JSON input (SYNC-GEN-1, SYNC-GEN-2). Pure: no database."""

import pytest

from syncing.jsonio import FileProblem, entries_from_value, folder_files, read_file


def write(tmp_path, text, name="videos.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sync_gen_2_invalid_json_names_line_and_column(tmp_path):
    path = write(tmp_path, '[\n  {"video_uid": "a"\n  "url": "b"}\n]')
    with pytest.raises(FileProblem) as exc:
        read_file(path, "videos.json", allow_object=False)
    assert str(exc.value) == "videos.json: invalid JSON at line 3 column 3: Expecting ',' delimiter"


def test_sync_gen_2_duplicate_key_is_an_error(tmp_path):
    path = write(tmp_path, '[{"video_uid": "a", "video_uid": "b"}]')
    with pytest.raises(FileProblem, match='duplicate key "video_uid"'):
        read_file(path, "videos.json", allow_object=False)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_sync_gen_2_nan_and_infinity_are_errors(tmp_path, constant):
    path = write(tmp_path, f'[{{"user_weight": {constant}}}]')
    with pytest.raises(FileProblem, match=f"{constant} is not allowed"):
        read_file(path, "assignments.json", allow_object=False)


def test_sync_gen_2_files_must_be_utf8(tmp_path):
    path = tmp_path / "videos.json"
    path.write_bytes('[{"video_uid": "caf\u00e9"}]'.encode("latin-1"))
    with pytest.raises(FileProblem, match="not UTF-8"):
        read_file(path, "videos.json", allow_object=False)


def test_sync_gen_1_wrong_shape_is_a_file_level_error():
    with pytest.raises(FileProblem) as exc:
        entries_from_value({"video_uid": "a"}, "videos.json", allow_object=False)
    assert str(exc.value) == "videos.json: expected a JSON list of records, got an object"


def test_sync_gen_1_single_object_accepted_where_allowed():
    entries = entries_from_value({"title": "Food"}, "question_groups/food.json", allow_object=True)
    assert [(e.source, e.index, e.data) for e in entries] == [("question_groups/food.json", 0, {"title": "Food"})]


def test_sync_gen_1_folder_reads_json_files_in_name_order_and_ignores_others(tmp_path):
    for name in ("b.json", "a.json", ".gitkeep", "notes.txt"):
        (tmp_path / name).write_text("[]")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.json").write_text("[]")
    assert [p.name for p in folder_files(tmp_path)] == ["a.json", "b.json"]
