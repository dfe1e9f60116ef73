"""Verification functions: which exist and where they come from (SYNC-VER).

The registry is the built-in `labelpizza/verify.py` plus every workspace `verify.py` listed in
`verification_config.json`. The web app reloads it when any of those files change (SYNC-VER-6).
A question group names its function (DM-QG-7); annotation.verification runs it on answers.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)
BUILTIN_MODULE = "labelpizza.verify"


@dataclass
class Registry:
    functions: dict[str, Callable] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Problems with a workspace being synced: clashes and import failures are sync errors there.
    errors: list[str] = field(default_factory=list)
    # The web app's registry (get_registry): each call gets `time_limit` seconds, and a function that
    # breaks or overruns gives people a plain message while the detail goes to the log (issue 16.9).
    time_limit: float | None = None

    def describe(self, name: str) -> str:
        fn = self.functions[name]
        return f"{name}{inspect.signature(fn)}"


def config_path() -> Path:
    return Path(os.environ.get("VERIFICATION_CONFIG") or settings.BASE_DIR / "verification_config.json")


def _stored_path(folder: Path) -> str:
    """Paths inside the project root are stored relative to it, others absolute (SYNC-VER-3)."""
    resolved = folder.resolve()
    try:
        return str(resolved.relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(resolved)


def _resolve(stored: str) -> Path:
    path = Path(stored)
    return (path if path.is_absolute() else Path(settings.BASE_DIR) / path).resolve()


def workspace_paths() -> list[Path]:
    path = config_path()
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [_resolve(p) for p in data.get("workspace_paths", [])]
    except (OSError, ValueError, AttributeError) as exc:
        log.warning("cannot read %s: %s", path, exc)
        return []


def _write_paths(paths: list[Path]) -> None:
    unique: list[Path] = []
    for p in paths:
        if p.resolve() not in [u.resolve() for u in unique]:
            unique.append(p)
    data = {"workspace_paths": [_stored_path(p) for p in unique]}
    target = config_path()
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(target)
    invalidate()


def register_workspace(folder) -> bool:
    """Add a workspace folder to the config; False when it was already there (SYNC-VER-4)."""
    folder = Path(folder).resolve()
    paths = workspace_paths()
    if folder in paths:
        return False
    _write_paths([*paths, folder])
    return True


def unregister_workspace(folder) -> bool:
    folder = Path(folder).resolve()
    paths = workspace_paths()
    if folder not in paths:
        return False
    _write_paths([p for p in paths if p != folder])
    return True


def public_functions(module) -> dict[str, Callable]:
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_")
    }


def _import_file(path: Path):
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    name = f"labelpizza_workspace_verify_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_registry(extra_folder: Path | None = None) -> Registry:
    """Built-in functions, then each registered workspace, then `extra_folder` (the one being synced)."""
    registry = Registry()
    builtin = importlib.reload(importlib.import_module(BUILTIN_MODULE))
    builtin_file = str(Path(builtin.__file__).resolve())
    for name, fn in public_functions(builtin).items():
        registry.functions[name], registry.sources[name] = fn, builtin_file
    folders = workspace_paths()
    extra = extra_folder.resolve() if extra_folder is not None else None
    if extra is not None and (extra / "verify.py").is_file():
        folders = [f for f in folders if f != extra] + [extra]
    for folder in folders:
        path = folder / "verify.py"
        if not path.is_file():
            continue
        is_extra = folder == extra
        try:
            functions = public_functions(_import_file(path))
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any import failure is reported, never fatal
            message = f"{path}: cannot import: {type(exc).__name__}: {exc}"
            (registry.errors if is_extra else registry.warnings).append(message)
            continue
        clashes = {
            name: registry.sources[name]
            for name in functions
            if name in registry.sources and registry.sources[name] != builtin_file
        }
        if clashes:
            for name, other in clashes.items():
                message = f"verification function {name!r} is defined in both {other} and {path}"
                (registry.errors if is_extra else registry.warnings).append(message)
            continue
        for name, fn in functions.items():
            if name in registry.sources:
                log.info("%s overrides built-in verification function %s", path, name)
            registry.functions[name], registry.sources[name] = fn, str(path)
    return registry


# The web app's cached registry, reloaded when the config or a listed verify.py changes.
_cache: dict = {"registry": None, "stamp": None, "checked": 0.0}
_lock = threading.Lock()
RELOAD_CHECK_SECONDS = 2.0


def _stamp() -> tuple:
    files = [config_path()] + [p / "verify.py" for p in workspace_paths()]
    return tuple((str(f), f.stat().st_mtime_ns if f.exists() else None) for f in files)


def get_registry() -> Registry:
    with _lock:
        now = time.monotonic()
        if _cache["registry"] is None or now - _cache["checked"] >= RELOAD_CHECK_SECONDS:
            stamp = _stamp()
            if _cache["registry"] is None or stamp != _cache["stamp"]:
                registry = load_registry()
                registry.time_limit = settings.VERIFICATION_TIME_LIMIT
                _cache["registry"], _cache["stamp"] = registry, stamp
            _cache["checked"] = now
        return _cache["registry"]


def invalidate() -> None:
    with _lock:
        _cache["registry"] = None
