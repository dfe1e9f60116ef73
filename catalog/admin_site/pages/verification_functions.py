"""The verification functions page (PORTAL-ADM-12): each registered function with its source file, signature,
docstring and the question groups using it, plus the registry's load warnings (SYNC-VER-2)."""

from __future__ import annotations

import importlib
import inspect
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.response import TemplateResponse

from catalog.admin_forms import function_signature, shown_path
from catalog.admin_site.pages.context import changelist_url, page_context
from catalog.models import QuestionGroup
from catalog.verification import BUILTIN_MODULE, config_path, get_registry, public_functions, workspace_paths


@dataclass
class FunctionInfo:
    name: str
    source: str
    builtin: bool
    overrides_builtin: bool
    signature: str
    doc: str
    code: str
    groups: list[QuestionGroup]


def function_infos(registry=None) -> tuple[list[FunctionInfo], dict[str, list[QuestionGroup]]]:
    """Registered functions with the groups using each, and the groups naming unregistered ones (one query)."""
    registry = registry or get_registry()
    users: dict[str, list[QuestionGroup]] = defaultdict(list)
    for group in QuestionGroup.objects.filter(verification_function__isnull=False).order_by("title"):
        users[group.verification_function].append(group)
    builtin_dir = Path(settings.BASE_DIR).resolve() / "labelpizza"
    # The registry's own rule for what a module registers (SYNC-VER-2), applied to the built-in module.
    builtin_names = set(public_functions(importlib.import_module(BUILTIN_MODULE)))
    infos = []
    for name in sorted(registry.functions):
        fn = registry.functions[name]
        try:
            code = inspect.getsource(fn)
        except (OSError, TypeError):
            code = ""
        source = registry.sources.get(name, "")
        builtin = Path(source).resolve().parent == builtin_dir if source else False
        infos.append(
            FunctionInfo(
                name=name,
                source=shown_path(source),
                builtin=builtin,
                overrides_builtin=not builtin and name in builtin_names,
                signature=function_signature(name, fn),
                doc=inspect.getdoc(fn) or "",
                code=code,
                groups=users.pop(name, []),
            )
        )
    return infos, dict(users)


def verification_functions(request):
    """PORTAL-ADM-12: functions, source files, signatures, docstrings, load warnings (SYNC-VER-2), users."""
    registry = get_registry()
    infos, unregistered = function_infos(registry)
    workspaces = [
        {"path": shown_path(str(path)), "has_verify": (path / "verify.py").is_file()} for path in workspace_paths()
    ]
    context = page_context(
        request,
        "Verification functions",
        functions=infos,
        unregistered=sorted(unregistered.items()),
        warnings=registry.warnings,
        config_path=shown_path(str(config_path())),
        workspaces=workspaces,
        group_changelist=changelist_url(QuestionGroup),
    )
    return TemplateResponse(request, "admin/tools/verification_functions.html", context)
