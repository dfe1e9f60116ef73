"""Strict JSON input (SYNC-GEN-1/2): duplicate keys, NaN and bad syntax are errors, never skipped."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(slots=True)  # slots: one per input record
class Entry:
    """One input record and where it came from."""

    source: str
    index: int
    data: Any


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


def load_json_file(path: Path, source: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FileProblem(source, f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    except OSError as exc:
        raise FileProblem(source, f"cannot read file: {exc.strerror or exc}") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise FileProblem(source, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        raise FileProblem(source, f"invalid JSON: {exc}") from None


def entries_from_value(value: Any, source: str, *, allow_object: bool) -> list[Entry]:
    if isinstance(value, list):
        return [Entry(source, i, item) for i, item in enumerate(value)]
    if allow_object and isinstance(value, dict):
        return [Entry(source, 0, value)]
    kind = {dict: "an object", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")
    expected = "a JSON list of records or one record" if allow_object else "a JSON list of records"
    raise FileProblem(source, f"expected {expected}, got {kind}")


def read_file(path: Path, source: str, *, allow_object: bool) -> list[Entry]:
    return entries_from_value(load_json_file(path, source), source, allow_object=allow_object)


def folder_files(folder: Path) -> list[Path]:
    """Every *.json directly inside the folder, in file-name order (SYNC-GEN-1)."""
    return sorted((p for p in folder.iterdir() if p.suffix == ".json" and p.is_file()), key=lambda p: p.name)
