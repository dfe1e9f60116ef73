"""`label_pizza.override_utils`: the original's rename and hard-delete helpers, on this project's own.

Names, parameters, defaults and return values are the original's: `set_*` and `delete_*` return True when
the change happened and False when it did not (the reason is printed), `get_*_name` returns the key or raises
ValueError. Each call goes to `syncing.rename.rename` or `syncing.hard_delete.hard_delete`, which keep their
own rules: the key rules for a new name, the printed plan, typing DELETE to confirm, a backup first (written
in this project's format, whatever `backup_file` is called). Ids are this project's database ids.
"""

from __future__ import annotations

from label_pizza.errors import NotOfferedHere

VIDEO_TAG_REFUSAL = (
    "video tags: this project keeps no video tags, so there is none to delete; put such labels in the "
    "video's metadata (sync_videos) instead"
)


def _backup(backup_first, backup_dir, backup_file, compress) -> dict:
    return {"backup_first": backup_first, "backup_dir": backup_dir, "backup_file": backup_file, "compress": compress}


# --------------------------------------------------------------------------- looking rows up by id


def _models():
    # Imported on first call, so that importing this module before init_database works as in the original.
    from annotation.models import Answer, AnswerReview
    from catalog.models import Project, ProjectGroup, Question, QuestionGroup, Schema, User, Video

    return {
        "user": (User, "user_id"),
        "video": (Video, "video_uid"),
        "question_group": (QuestionGroup, "title"),
        "question": (Question, "text"),
        "schema": (Schema, "name"),
        "project": (Project, "name"),
        "project_group": (ProjectGroup, "name"),
        "answer": (Answer, None),
        "answer_review": (AnswerReview, None),
    }


LABELS = {
    "user": "User",
    "video": "Video",
    "question_group": "Question group",
    "question": "Question",
    "schema": "Schema",
    "project": "Project",
    "project_group": "Project group",
}


def _key_of(kind: str, row_id) -> str | None:
    """The natural key of the `kind` row with this id, or None when there is none."""
    model, field = _models()[kind]
    return model._default_manager.filter(pk=row_id).values_list(field, flat=True).first()


def _keys_or_report(*pairs) -> list[str] | None:
    """The keys of (kind, id) pairs; prints the first missing one and returns None."""
    keys = []
    for kind, row_id in pairs:
        key = _key_of(kind, row_id)
        if key is None:
            print(f"{LABELS[kind]} with ID {row_id} not found")
            return None
        keys.append(key)
    return keys


def _answer_keys(answer_id) -> tuple | None:
    """(project name, video uid, question text, annotator user id) of an answer."""
    model, _ = _models()["answer"]
    fields = ("project__name", "video__video_uid", "question__text", "user__user_id")
    return model.objects.filter(pk=answer_id).values_list(*fields).first()


def _get_name(kind: str, row_id) -> str:
    key = _key_of(kind, row_id)
    if key is None:
        raise ValueError(f"{LABELS[kind]} with ID {row_id} not found")
    return key


# --------------------------------------------------------------------------- calling ours


def _rename(kind: str, old, new, backup: dict) -> bool:
    from syncing.rename import RenameError, rename

    try:
        result = rename(kind, old, new, **backup)
    except RenameError as exc:
        print(f"Not renamed: {exc}")
        return False
    print(result.summary())
    return True


def _delete(kind: str, *keys, backup: dict) -> bool:
    from syncing.hard_delete import HardDeleteError, hard_delete

    try:
        result = hard_delete(kind, *keys, **backup)
    except HardDeleteError as exc:
        print(f"Not deleted: {exc}")
        return False
    return not result.cancelled


# --------------------------------------------------------------------------- get_<kind>_name


def get_user_name(user_id: int) -> str:
    return _get_name("user", user_id)


def get_video_name(video_id: int) -> str:
    return _get_name("video", video_id)


def get_question_group_name(question_group_id: int) -> str:
    return _get_name("question_group", question_group_id)


def get_question_name(question_id: int) -> str:
    return _get_name("question", question_id)


def get_schema_name(schema_id: int) -> str:
    return _get_name("schema", schema_id)


def get_project_name(project_id: int) -> str:
    return _get_name("project", project_id)


def get_project_group_name(project_group_id: int) -> str:
    return _get_name("project_group", project_group_id)


# --------------------------------------------------------------------------- set_<kind>_name


def set_user_name(
    old_user_id_str: str,
    new_user_id_str: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _rename("user", old_user_id_str, new_user_id_str, backup)


def set_video_name(
    old_video_uid: str, new_video_uid: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename("video", old_video_uid, new_video_uid, _backup(backup_first, backup_dir, backup_file, compress))


def set_question_group_name(
    old_title: str, new_title: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename("question_group", old_title, new_title, _backup(backup_first, backup_dir, backup_file, compress))


def set_question_name(
    old_text: str, new_text: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename("question", old_text, new_text, _backup(backup_first, backup_dir, backup_file, compress))


def set_schema_name(
    old_name: str, new_name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename("schema", old_name, new_name, _backup(backup_first, backup_dir, backup_file, compress))


def set_project_name(
    old_name: str, new_name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename("project", old_name, new_name, _backup(backup_first, backup_dir, backup_file, compress))


def set_project_group_name(
    old_name: str, new_name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename("project_group", old_name, new_name, _backup(backup_first, backup_dir, backup_file, compress))


# --------------------------------------------------------------------------- set_<kind>_name_using_id


def _rename_by_id(kind: str, row_id, new, backup: dict) -> bool:
    keys = _keys_or_report((kind, row_id))
    return keys is not None and _rename(kind, keys[0], new, backup)


def set_user_name_using_id(
    user_id: int, user_id_str: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename_by_id("user", user_id, user_id_str, _backup(backup_first, backup_dir, backup_file, compress))


def set_video_name_using_id(
    video_id: int, video_uid: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename_by_id("video", video_id, video_uid, _backup(backup_first, backup_dir, backup_file, compress))


def set_question_group_name_using_id(
    question_group_id: int, title: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _rename_by_id("question_group", question_group_id, title, backup)


def set_question_name_using_id(
    question_id: int, question_text: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _rename_by_id("question", question_id, question_text, backup)


def set_schema_name_using_id(
    schema_id: int, name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename_by_id("schema", schema_id, name, _backup(backup_first, backup_dir, backup_file, compress))


def set_project_name_using_id(
    project_id: int, name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _rename_by_id("project", project_id, name, _backup(backup_first, backup_dir, backup_file, compress))


def set_project_group_name_using_id(
    project_group_id: int, name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _rename_by_id("project_group", project_group_id, name, backup)


# --------------------------------------------------------------------------- delete_<what> by name


def delete_user(user_id_str: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True) -> bool:
    return _delete("user", user_id_str, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_video(video_uid: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True) -> bool:
    return _delete("video", video_uid, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_video_tag(
    video_uid: str, tag: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    raise NotOfferedHere(f"delete_video_tag({video_uid!r}, {tag!r}): {VIDEO_TAG_REFUSAL}")


def delete_question_group(
    title: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _delete("question_group", title, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_question(text: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True) -> bool:
    return _delete("question", text, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_question_group_question(
    question_group_title: str,
    question_text: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("group_question", question_group_title, question_text, backup=backup)


def delete_schema(name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True) -> bool:
    return _delete("schema", name, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_schema_question_group(
    schema_name: str,
    question_group_title: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("schema_group", schema_name, question_group_title, backup=backup)


def delete_project(name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True) -> bool:
    return _delete("project", name, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_project_video(
    project_name: str, video_uid: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("project_video", project_name, video_uid, backup=backup)


def delete_project_user_role(
    project_name: str,
    user_id_str: str,
    role: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("assignment", user_id_str, project_name, role, backup=backup)


def delete_project_group(name: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True) -> bool:
    return _delete("project_group", name, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_project_group_project(
    project_group_name: str,
    project_name: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("project_group_project", project_group_name, project_name, backup=backup)


def delete_project_video_question_display(
    project_name: str,
    video_uid: str,
    question_text: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("custom_display", project_name, video_uid, question_text, backup=backup)


def delete_annotator_answer(
    video_uid: str,
    question_text: str,
    user_id_str: str,
    project_name: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("annotation", project_name, video_uid, question_text, user_id_str, backup=backup)


def delete_reviewer_ground_truth(
    video_uid: str,
    question_text: str,
    project_name: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("ground_truth", project_name, video_uid, question_text, backup=backup)


def delete_answer_review(
    answer_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    """As in the original, `answer_id` is passed on as the answer review's id (its guide passes a review id)."""
    return delete_answer_review_using_id(answer_id, backup_first, backup_dir, backup_file, compress)


# --------------------------------------------------------------------------- delete_<what>_using_id


def _delete_by_ids(kind: str, pairs, backup: dict) -> bool:
    keys = _keys_or_report(*pairs)
    return keys is not None and _delete(kind, *keys, backup=backup)


def delete_user_using_id(user_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True):
    return _delete_by_ids("user", [("user", user_id)], _backup(backup_first, backup_dir, backup_file, compress))


def delete_video_using_id(video_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True):
    return _delete_by_ids("video", [("video", video_id)], _backup(backup_first, backup_dir, backup_file, compress))


def delete_video_tag_using_id(
    video_id: int, tag: str, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    raise NotOfferedHere(f"delete_video_tag_using_id({video_id!r}, {tag!r}): {VIDEO_TAG_REFUSAL}")


def delete_question_group_using_id(
    question_group_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    pairs = [("question_group", question_group_id)]
    return _delete_by_ids("question_group", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_question_using_id(
    question_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    pairs = [("question", question_id)]
    return _delete_by_ids("question", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_question_group_question_using_id(
    question_group_id: int, question_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    pairs = [("question_group", question_group_id), ("question", question_id)]
    return _delete_by_ids("group_question", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_schema_using_id(
    schema_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    return _delete_by_ids("schema", [("schema", schema_id)], _backup(backup_first, backup_dir, backup_file, compress))


def delete_schema_question_group_using_id(
    schema_id: int, question_group_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    pairs = [("schema", schema_id), ("question_group", question_group_id)]
    return _delete_by_ids("schema_group", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_project_using_id(
    project_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    pairs = [("project", project_id)]
    return _delete_by_ids("project", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_project_video_using_id(
    project_id: int, video_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    pairs = [("project", project_id), ("video", video_id)]
    return _delete_by_ids("project_video", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_project_user_role_using_id(
    project_id: int,
    user_id: int,
    role: str,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    keys = _keys_or_report(("project", project_id), ("user", user_id))
    if keys is None:
        return False
    project_name, user_id_str = keys
    backup = _backup(backup_first, backup_dir, backup_file, compress)
    return _delete("assignment", user_id_str, project_name, role, backup=backup)


def delete_project_group_using_id(
    project_group_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    pairs = [("project_group", project_group_id)]
    return _delete_by_ids("project_group", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_project_group_project_using_id(
    project_group_id: int, project_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    pairs = [("project_group", project_group_id), ("project", project_id)]
    return _delete_by_ids("project_group_project", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_project_video_question_display_using_id(
    project_id: int,
    video_id: int,
    question_id: int,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    pairs = [("project", project_id), ("video", video_id), ("question", question_id)]
    return _delete_by_ids("custom_display", pairs, _backup(backup_first, backup_dir, backup_file, compress))


def delete_annotator_answer_using_id(
    answer_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    keys = _answer_keys(answer_id)
    if keys is None:
        print(f"Annotator answer with ID {answer_id} not found")
        return False
    return _delete("annotation", *keys, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_reviewer_ground_truth_using_id(
    video_id: int,
    question_id: int,
    project_id: int,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
) -> bool:
    keys = _keys_or_report(("project", project_id), ("video", video_id), ("question", question_id))
    if keys is None:
        return False
    return _delete("ground_truth", *keys, backup=_backup(backup_first, backup_dir, backup_file, compress))


def delete_answer_review_using_id(
    answer_review_id: int, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
) -> bool:
    model, _ = _models()["answer_review"]
    answer_id = model.objects.filter(pk=answer_review_id).values_list("answer_id", flat=True).first()
    keys = None if answer_id is None else _answer_keys(answer_id)
    if keys is None:
        print(f"Answer review with ID {answer_review_id} not found")
        return False
    return _delete("answer_review", *keys, backup=_backup(backup_first, backup_dir, backup_file, compress))
