"""videos.json / sync_videos (SYNC-VID-1..7)."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.models import ProjectVideo, Video
from catalog.validation import metadata_problem, video_url_problem
from syncing.errors import quote
from syncing.records import MISSING, Duplicates, Record
from syncing.steps.base import WRITE_BATCH, BaseStep, chunks, load_values, same_json


@dataclass
class VideoRecord:
    rec: Record
    uid: str
    url: str
    is_active: bool
    metadata: dict


class Step(BaseStep):
    kind = "videos"
    table = "videos"

    def parse(self) -> list[VideoRecord]:
        uids, urls = Duplicates("video_uid"), Duplicates("url")
        parsed = []
        for entry in self.entries:
            rec = self.record(entry)
            if not isinstance(entry.data, dict):
                continue
            uid = rec.string("video_uid", natural_key=True, max_length=255)
            if uid is not MISSING:
                rec.key = uid  # known first, so every error of the record names it (SYNC-ERR-2)
            rec.keys(("video_uid", "url", "is_active", "metadata"))
            url = rec.string("url")
            if url is not MISSING and (problem := video_url_problem(url)):
                rec.error(".url", problem)
                url = MISSING
            is_active = rec.boolean("is_active")
            metadata = rec.data.get("metadata", MISSING)
            if "metadata" in rec.data and (problem := metadata_problem(metadata)):
                rec.error(".metadata", problem)
            if uid is not MISSING:
                uids.check(rec, uid, ".video_uid")
            if url is not MISSING:
                urls.check(rec, url, ".url", quote(url))
            if rec.ok:
                parsed.append(VideoRecord(rec, uid, url, is_active, metadata))
        return parsed

    def forward(self) -> None:
        records = self.parse()
        # Existing videos as plain values, by uid: a re-sync compares every video, and only the
        # ones that change become model instances.
        uids = [r.uid for r in records]
        existing = load_values(Video.objects.all(), "video_uid", uids, "pk", "url", "metadata", "is_active")
        # URLs are unique, so each loaded video owns its current URL; only other URLs need a query.
        url_owner = {url: uid for uid, (_, url, _, _) in existing.items()}
        for batch in chunks(sorted({r.url for r in records} - url_owner.keys())):
            url_owner.update(Video.objects.filter(url__in=batch).values_list("url", "video_uid"))
        batch_url = {r.uid: r.url for r in records}
        creates, updates, url_moves, unarchived = [], [], [], []
        to_archive: list[Video] = []
        for r in records:
            owner = url_owner.get(r.url)
            # SYNC-VID-4: checked against the final state, so a swap within the batch is fine.
            if owner is not None and owner != r.uid and batch_url.get(owner, r.url) == r.url:
                r.rec.error(".url", f"URL is already used by video {quote(owner)}")
                continue
            self.intend(r.uid, r.is_active)
            if r.uid not in existing:
                creates.append(Video(video_uid=r.uid, url=r.url, metadata=r.metadata, is_active=True))
                self.result("created", r.uid, note="" if r.is_active else "(archived)")
                if not r.is_active:
                    to_archive.append(creates[-1])
                continue
            pk, url, metadata, is_active = existing[r.uid]
            fields = []
            if url != r.url:
                fields.append("url")
            if not same_json(metadata, r.metadata):
                fields.append("metadata")
                metadata = r.metadata
            action = "updated" if fields else "unchanged"
            if r.is_active and not is_active:
                action = "unarchived"
            elif not r.is_active and is_active:
                action = "archived"
            self.result(action, r.uid, fields)
            if action == "unchanged":
                continue
            # The row as the forward pass leaves it: unarchived now, archived in the archive pass.
            video = Video(pk=pk, video_uid=r.uid, url=r.url, metadata=metadata, is_active=is_active or r.is_active)
            if "url" in fields:
                url_moves.append(video)
            if action == "unarchived":
                unarchived.append(video)
            elif action == "archived":
                to_archive.append(video)
            if fields or action == "unarchived":
                updates.append(video)
        # Valid records are written even when other records failed: later tables then see the
        # creation-time state, and the run's single transaction is rolled back anyway.
        Video.objects.bulk_create(creates, batch_size=WRITE_BATCH)
        if url_moves:
            # Two phases so a swap or chain of URL moves never trips the unique constraint, which
            # PostgreSQL checks row by row.
            originals = {v.pk: v.url for v in url_moves}
            for v in url_moves:
                v.url = f"__moving__/{v.pk}"
            Video.objects.bulk_update(url_moves, ["url"], batch_size=WRITE_BATCH)
            for v in url_moves:
                v.url = originals[v.pk]
        for v in updates:
            v.updated_at = self.run.now
        Video.objects.bulk_update(updates, ["url", "metadata", "is_active", "updated_at"], batch_size=WRITE_BATCH)
        self._touch(unarchived)
        self.to_archive = to_archive  # only once the forward writes went through

    to_archive: list[Video] | tuple = ()

    def archive(self) -> None:
        if not self.to_archive:
            return
        for v in self.to_archive:
            v.is_active, v.updated_at = False, self.run.now
        Video.objects.bulk_update(self.to_archive, ["is_active", "updated_at"], batch_size=WRITE_BATCH)
        self._touch(self.to_archive)

    def _touch(self, videos) -> None:
        """Archiving or unarchiving a video changes its projects' completion (DM-DER-7)."""
        for batch in chunks([v.pk for v in videos]):
            self.run.touched_projects.update(
                ProjectVideo.objects.filter(video_id__in=batch).values_list("project_id", flat=True)
            )
