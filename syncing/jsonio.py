"""Strict JSON input (SYNC-GEN-1/2): duplicate keys, NaN and bad syntax are errors, never skipped."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Text no database column can hold: NUL (PostgreSQL refuses it) and lone surrogates (no encoding can
# write them). In JSON text they appear only as escapes, so one regular-expression pass over the file
# finds whether any record needs the slower per-record look (issue 16.13).
UNSTORABLE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


@dataclass(slots=True)  # slots: one per input record
class Entry:
    """One input record and where it came from. `unstorable`: the path of a string in it holding a NUL
    or a lone surrogate, which the record's checks report as an error."""

    source: str
    index: int
    data: Any
    unstorable: str | None = None


class FileProblem(Exception):
    def __init__(self, source: str, message: str):
        self.source, self.message = source, message
        super().__init__(f"{source}: {message}")


def _no_duplicates(pairs):
    obj = dict(pairs)  # in C; a shorter dict means a key repeated, so look for the first one
    if len(obj) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f'duplicate key "{key}"')
            seen.add(key)
    return obj


def _no_constants(name):
    raise ValueError(f"{name} is not allowed")


def _read_text(path: Path, source: str, seen: Callable[[bytes], None] | None = None) -> str:
    """The file's text, newlines read as Python's text mode reads them; `seen` is given its bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem(source, f"cannot read file: {exc.strerror or exc}") from None
    if seen is not None:
        seen(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileProblem(source, f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _parse(text: str, source: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise FileProblem(source, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        raise FileProblem(source, f"invalid JSON: {exc}") from None
    except RecursionError:
        # Python's parser recurses once per level; no record shape nests more than a few levels.
        raise FileProblem(source, "invalid JSON: nested too deeply (hundreds of levels of lists or objects)") from None


def load_json_file(path: Path, source: str) -> Any:
    return _parse(_read_text(path, source), source)


def unstorable_path(value: Any) -> str | None:
    """The path (`.answers["Q"]`, `[2]`) of the first string or key in `value` holding a NUL or a lone
    surrogate, or None. Iterative: the value may nest deeply."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or any("\ud800" <= ch <= "\udfff" for ch in item):
                return where or "(the value)"
        elif isinstance(item, dict):
            for key, child in item.items():
                key = str(key)
                shown = json.dumps(key)  # escapes what it finds
                if unstorable_path(key) is not None:
                    return f"{where}[{shown}] (a key)"
                stack.append((child, f"{where}.{key}" if key.isidentifier() else f"{where}[{shown}]"))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
    return None


def _may_hold_unstorable(value: Any) -> bool:
    """A fast whole-value check (json.dumps and one regular expression, both in C)."""
    try:
        return bool(UNSTORABLE_ESCAPE.search(json.dumps(value)))
    except (TypeError, ValueError, RecursionError):
        return True  # not plain JSON: let the per-record look decide


def entries_from_value(value: Any, source: str, *, allow_object: bool, text: str | None = None) -> list[Entry]:
    """The records of one file or in-memory value; `text` is the file's JSON text, when read from one."""
    suspect = _may_hold_unstorable(value) if text is None else bool(UNSTORABLE_ESCAPE.search(text))
    if isinstance(value, list):
        entries = [Entry(source, i, item) for i, item in enumerate(value)]
    elif allow_object and isinstance(value, dict):
        entries = [Entry(source, 0, value)]
    else:
        entries = None
    if entries is not None:
        if suspect:
            for entry in entries:
                entry.unstorable = unstorable_path(entry.data)
        return entries
    kind = {dict: "an object", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")
    expected = "a JSON list of records or one record" if allow_object else "a JSON list of records"
    raise FileProblem(source, f"expected {expected}, got {kind}")


def read_file(
    path: Path, source: str, *, allow_object: bool, seen: Callable[[bytes], None] | None = None
) -> list[Entry]:
    text = _read_text(path, source, seen)
    return entries_from_value(_parse(text, source), source, allow_object=allow_object, text=text)


def folder_files(folder: Path) -> list[Path]:
    """Every *.json directly inside the folder, in file-name order (SYNC-GEN-1)."""
    return sorted((p for p in folder.iterdir() if p.suffix == ".json" and p.is_file()), key=lambda p: p.name)
