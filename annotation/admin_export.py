"""The admin portal's Export page (PORTAL-ADM-10): pick projects, validate them, download their ground truth as
JSON or Excel (EXPORT-GT); its "Download workspace (zip)" link is sync's page (WS-EXP-6, syncing/admin.py).

Every control is a button of one GET form, because nothing here writes: the selection and the picker state live
in the query string (PORTAL-GEN-2) and the page works without JavaScript. Buttons that only change the selection
or the page redirect to the canonical URL, so a reload never repeats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from pathlib import Path

from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import get_valid_filename

from annotation import gt_export
from annotation.progress import ProjectFigures, project_figures
from catalog.models import Project, ProjectGroup, ProjectGroupProject

PAGE_SIZE = 10  # projects per group section
SORTS = {"name": "Name", "completion": "GT completion"}
UNGROUPED = "none"
DEFAULT_NAME = "ground_truth"
SHOWN_REPORT_ROWS = 100  # the page shows this many failing videos; the error report has them all
CONTENT_TYPES = {
    "json": "application/json",
    "excel": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX = CONTENT_TYPES["excel"]


def index_entry() -> dict:
    """The Export section in the admin index and sidebar (PORTAL-ADM-1), shaped like an app of the app list."""
    url = reverse("admin:export")
    model = {
        "name": "Export ground truth",
        "object_name": "Export",
        "admin_url": url,
        "add_url": None,
        "view_only": True,
        "perms": {"add": False, "change": False, "delete": False, "view": True},
    }
    return {"name": "Export", "app_label": "export", "app_url": url, "has_module_perms": True, "models": [model]}


# --------------------------------------------------------------------------- state in the query string


@dataclass
class State:
    q: str = ""
    group: str = ""  # "" for every group, a project group id, or UNGROUPED
    sort: str = "name"
    fmt: str = "json"
    name: str = DEFAULT_NAME
    selected: list[int] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # section key -> page number

    @classmethod
    def from_query(cls, query) -> State:
        selected = list(dict.fromkeys(int(v) for v in query.getlist("p") if v.isdecimal()))
        pages = {k[3:]: int(v) for k, v in query.items() if k.startswith("gp-") and v.isdecimal() and int(v) > 1}
        return cls(
            q=query.get("q", "").strip(),
            group=query.get("group", ""),
            sort=query.get("sort") if query.get("sort") in SORTS else "name",
            fmt=query.get("fmt") if query.get("fmt") in gt_export.FORMATS else "json",
            name=query.get("name", "").strip() or DEFAULT_NAME,
            selected=selected,
            pages=pages,
        )

    def query(self, **extra) -> str:
        """The canonical query string: defaults left out, so shared links stay short."""
        pairs = [("q", self.q), ("group", self.group)]
        pairs += [("sort", self.sort if self.sort != "name" else ""), ("fmt", self.fmt if self.fmt != "json" else "")]
        pairs += [("name", self.name if self.name != DEFAULT_NAME else "")]
        pairs += [("p", pid) for pid in self.selected]
        pairs += [(f"gp-{key}", n) for key, n in sorted(self.pages.items()) if n > 1]
        pairs += list(extra.items())
        return urlencode([(k, v) for k, v in pairs if v not in ("", None)])

    def url(self, **extra) -> str:
        query = self.query(**extra)
        return reverse("admin:export") + (f"?{query}" if query else "")

    def file_name(self) -> str:
        stem = get_valid_filename(self.name) if self.name else DEFAULT_NAME
        return gt_export.output_path(stem, self.fmt).name


# --------------------------------------------------------------------------- the picker


@dataclass(frozen=True)
class Row:
    project: Project
    figures: ProjectFigures
    selected: bool

    @property
    def complete(self) -> bool:
        return self.figures.training  # complete GT (DM-DER-5)


@dataclass
class Section:
    key: str
    title: str
    description: str
    rows: list[Row]  # every project of the group that matches the search, sorted
    page: int = 1

    @property
    def n_pages(self) -> int:
        return max(1, ceil(len(self.rows) / PAGE_SIZE))

    @property
    def page_rows(self) -> list[Row]:
        return self.rows[(self.page - 1) * PAGE_SIZE : self.page * PAGE_SIZE]

    @property
    def n_selected(self) -> int:
        return sum(row.selected for row in self.rows)


@dataclass
class Catalog:
    """Every active project with its groups and GT figures: seven queries, whatever the numbers."""

    projects: dict[int, Project]
    groups: list[ProjectGroup]
    members: dict[int, list[int]]  # project group id -> project ids
    figures: dict[int, ProjectFigures]

    @classmethod
    def load(cls) -> Catalog:
        projects = {p.pk: p for p in Project.objects.active().select_related("schema").order_by("name")}
        groups = list(ProjectGroup.objects.active().order_by("name"))
        members: dict[int, list[int]] = {g.pk: [] for g in groups}
        links = ProjectGroupProject.objects.filter(project_group__is_active=True, project__is_active=True)
        for gid, pid in links.values_list("project_group_id", "project_id"):
            members[gid].append(pid)
        return cls(projects, groups, members, project_figures(list(projects.values()), None))

    def sections(self, state: State) -> list[Section]:
        grouped = {pid for pids in self.members.values() for pid in pids}
        candidates = [(str(g.pk), g.name, g.description, self.members[g.pk]) for g in self.groups]
        ungrouped = [pid for pid in self.projects if pid not in grouped]
        if ungrouped:
            candidates.append((UNGROUPED, "Ungrouped projects", "Projects in no active project group.", ungrouped))
        selected = set(state.selected)
        sections = []
        for key, title, description, pids in candidates:
            if state.group and state.group != key:
                continue
            rows = [
                Row(self.projects[pid], self.figures[pid], pid in selected)
                for pid in pids
                if state.q.lower() in self.projects[pid].name.lower()
            ]
            if not rows:
                continue
            rows.sort(key=lambda r: r.project.name)
            if state.sort == "completion":
                rows.sort(key=lambda r: -r.figures.gt_progress)
            section = Section(key, title, description, rows)
            section.page = min(max(1, state.pages.get(key, 1)), section.n_pages)
            sections.append(section)
        return sections

    def selected(self, state: State) -> list[Project]:
        """The selection in export order: by name (the order the export reads questions in)."""
        return sorted((self.projects[pid] for pid in state.selected if pid in self.projects), key=lambda p: p.name)


def _apply_op(op: str, state: State, catalog: Catalog) -> bool:
    """Change the selection or a section's page for a picker button; False when `op` is not one of them."""
    verb, _, rest = op.partition("-")
    sections = {s.key: s for s in catalog.sections(state)}
    if op == "clear":
        state.selected = []
    elif op == "apply":
        pass
    elif verb == "page":
        key, _, number = rest.rpartition("-")
        if number.isdecimal():
            state.pages[key] = int(number)
    elif verb in ("select", "deselect") and rest.partition("-")[2] in sections:
        scope, _, key = rest.partition("-")
        section = sections[key]
        rows = section.page_rows if scope == "page" else section.rows
        ids = [row.project.pk for row in rows]
        if verb == "select":
            state.selected = list(dict.fromkeys([*state.selected, *ids]))
        else:
            state.selected = [pid for pid in state.selected if pid not in ids]
    else:
        return False
    return True


# --------------------------------------------------------------------------- views


def export_page(request):
    state = State.from_query(request.GET)
    op = request.GET.get("op", "")
    catalog = Catalog.load()
    if _apply_op(op, state, catalog):
        return redirect(state.url())
    # Ids that are not active projects stay in the selection, so validation says what is wrong with them.
    refs = [*catalog.selected(state), *(pid for pid in state.selected if pid not in catalog.projects)]
    export = gt_export.prepare_export(refs) if op in ("validate", "export", "report") else None
    if export is not None and export.validation.ok and op == "export":
        rows = export.rows()
        return download(gt_export.file_bytes(export, rows, state.fmt), state.file_name(), CONTENT_TYPES[state.fmt])
    if export is not None and op == "report":
        if not export.validation.report_rows:
            return redirect(state.url(op="validate"))
        name = f"{Path(state.file_name()).stem}_errors.xlsx"
        return download(gt_export.error_report_bytes(export.validation), name, XLSX)
    return render(request, "admin/export/export.html", _context(request, state, catalog, export))


def _context(request, state: State, catalog: Catalog, export: gt_export.Export | None) -> dict:
    sections = catalog.sections(state)
    selected = catalog.selected(state)
    visible = {row.project.pk for s in sections for row in s.page_rows}
    return {
        **admin.site.each_context(request),
        "title": "Export ground truth",
        "state": state,
        "sections": sections,
        "groups": catalog.groups,
        "sorts": SORTS,
        "formats": {"json": "JSON (.json)", "excel": "Excel (.xlsx)"},
        "selected_projects": [(p, catalog.figures[p.pk]) for p in selected],
        "hidden_selected": [pid for pid in state.selected if pid not in visible],
        "metrics": {
            "project_groups": len(catalog.groups),
            "projects": len(catalog.projects),
            "complete": sum(f.training for f in catalog.figures.values()),
            "selected": len(state.selected),
            # EXPORT-GT-6: information only; incomplete projects can be exported.
            "ready": sum(catalog.figures[p.pk].training for p in selected),
        },
        "export": export,
        "shown_report_rows": export.validation.report_rows[:SHOWN_REPORT_ROWS] if export else [],
        "report_url": state.url(op="report"),
        "has_ungrouped": any(s.key == UNGROUPED for s in catalog.sections(State())),
    }


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file download of the admin's Export page (the workspace zip of syncing/admin_workspace_zip.py too)."""
    return HttpResponse(
        data, content_type=content_type, headers={"Content-Disposition": content_disposition_header(True, filename)}
    )
