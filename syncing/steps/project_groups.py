"""project_groups.json / sync_project_groups (SYNC-PG-1..4, DM-PG-1..3).

A record replaces the group's description and member set (SYNC-GEN-7). DM-PG-2 is checked for every
group of the batch against its final member set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from catalog.models import Project, ProjectGroup, ProjectGroupProject
from catalog.set_rules import ProjectOverlap
from syncing.errors import quote
from syncing.records import MISSING, Duplicates, Record, json_type
from syncing.steps.base import WRITE_BATCH, BaseStep, chunks, load_by


@dataclass
class GroupRecord:
    rec: Record
    name: str
    description: str
    projects: list[str]
    is_active: bool | None  # None: absent (a new group is active; an existing one keeps its state)
    positions: dict[str, int]  # project name -> its index in the input list


class Step(BaseStep):
    kind = "project_groups"
    table = "project groups"

    def parse(self) -> list[GroupRecord]:
        """Every record, valid or not (check `rec.ok`)."""
        group_names = Duplicates("project_group_name")
        parsed = []
        for entry in self.entries:
            rec = self.record(entry)
            if not isinstance(entry.data, dict):
                continue
            name = rec.string("project_group_name", natural_key=True, max_length=255)
            if name is not MISSING:
                rec.key = name
            rec.keys(("project_group_name", "description", "projects"), optional=("is_active",))
            description = rec.string("description", nullable=True)
            is_active = rec.boolean("is_active", default=None)
            raw = rec.list("projects")
            positions = self._parse_projects(rec, raw) if raw is not MISSING else {}
            if name is not MISSING:
                group_names.check(rec, name, ".project_group_name")
            # Broken records are kept so their project references are checked too (SYNC-ERR-1).
            parsed.append(GroupRecord(rec, name, description or "", list(positions), is_active, positions))
        return parsed

    def _parse_projects(self, rec: Record, raw: list) -> dict[str, int]:
        """Unique project names, in input order, with their indexes."""
        first: dict[str, int] = {}
        for i, name in enumerate(raw):
            if not isinstance(name, str):
                rec.error(f".projects[{i}]", f"must be a project name, got {json_type(name)}")
            elif name in first:
                rec.error(f".projects[{i}]", f"duplicate project {quote(name)}; first at .projects[{first[name]}]")
            else:
                first[name] = i
        return first

    def forward(self) -> None:
        records = self.parse()
        self.to_archive: list[ProjectGroup] = []
        if not records:
            return
        existing = load_by(ProjectGroup.objects.all(), "name", [r.name for r in records if r.rec.ok])
        projects = load_by(Project.objects.all(), "name", [name for r in records for name in r.projects])
        members = self._members([g.pk for g in existing.values()])
        overlap = ProjectOverlap.load(projects.values())

        creates: list[tuple[GroupRecord, ProjectGroup]] = []
        updates: list[ProjectGroup] = []
        links_add: list[ProjectGroupProject] = []
        links_remove: list[int] = []
        for r in records:
            for name in r.projects:
                if name not in projects:
                    r.rec.error(f".projects[{r.positions[name]}]", f"project {quote(name)} does not exist")
            if not r.rec.ok:
                continue
            # DM-PG-2 against the final member set: projects cannot change schema or videos later in a run.
            for message in overlap.problems([projects[name] for name in r.projects]):
                r.rec.error(".projects", message)
            if not r.rec.ok:
                continue
            group = existing.get(r.name)
            wanted = {projects[name].pk for name in r.projects}
            if group is None:
                is_active = True if r.is_active is None else r.is_active
                self.intend(r.name, is_active)
                group = ProjectGroup(name=r.name, description=r.description, is_active=True)
                creates.append((r, group))
                self.result("created", r.name, note="" if is_active else "(archived)")
                if not is_active:
                    self.to_archive.append(group)
                continue
            is_active = group.is_active if r.is_active is None else r.is_active
            self.intend(r.name, is_active)
            current = members.get(group.pk, {})
            added = wanted - set(current)
            removed = set(current) - wanted
            fields = []
            if group.description != r.description:
                fields.append("description")
                group.description = r.description
            if added or removed:
                fields.append(f"projects (+{len(added)}, -{len(removed)})")
                links_add += [ProjectGroupProject(project_group=group, project_id=pk) for pk in sorted(added)]
                links_remove += [current[pk] for pk in sorted(removed)]
            action = "updated" if fields else "unchanged"
            if is_active and not group.is_active:
                action, group.is_active = "unarchived", True
            elif not is_active and group.is_active:
                action = "archived"
                self.to_archive.append(group)
            if fields or action == "unarchived":
                group.updated_at = self.run.now
                updates.append(group)
            self.result(action, r.name, fields)

        # Valid records are written even when other records failed (see the videos step).
        ProjectGroup.objects.bulk_create([g for _, g in creates], batch_size=WRITE_BATCH)
        for r, group in creates:
            links_add += [ProjectGroupProject(project_group=group, project=projects[name]) for name in r.projects]
        ProjectGroup.objects.bulk_update(updates, ["description", "is_active", "updated_at"], batch_size=WRITE_BATCH)
        for batch in chunks(links_remove):
            ProjectGroupProject.objects.filter(pk__in=batch).delete()
        ProjectGroupProject.objects.bulk_create(links_add, batch_size=WRITE_BATCH)

    def archive(self) -> None:
        if not getattr(self, "to_archive", None):
            return
        for g in self.to_archive:
            g.is_active, g.updated_at = False, self.run.now
        ProjectGroup.objects.bulk_update(self.to_archive, ["is_active", "updated_at"], batch_size=WRITE_BATCH)

    def _members(self, group_ids) -> dict[int, dict[int, int]]:
        """group id -> {project id: membership row id}."""
        found: dict[int, dict[int, int]] = defaultdict(dict)
        for batch in chunks(group_ids):
            rows = ProjectGroupProject.objects.filter(project_group_id__in=batch)
            for pk, group_id, project_id in rows.values_list("pk", "project_group_id", "project_id"):
                found[group_id][project_id] = pk
        return found
