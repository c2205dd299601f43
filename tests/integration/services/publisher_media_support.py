"""A publisher test's world with real media: posts written by PostService (files copied into a
media folder, rows in post_media), scheduled at the test clock's times, and a publisher that
finds the files there and reads a video's status once per pass (no waiting in a test)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post, PostMedia
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import Attachments, PostService
from tests.fakes.image_files import write_png
from tests.fakes.linkedin_server import FakeLinkedIn, RecordedRequest
from tests.fakes.media_files import write_mp4, write_pdf
from tests.integration.publisher_support import NOW, Desk, make_desk

VIDEO_PART = 4 * 1024 * 1024
VIDEO_BYTES = 2 * VIDEO_PART + 12_345  # three parts, the last one short
COMMENTS_PATH = "/rest/socialActions/*"


class MediaDesk:
    """A Desk whose posts carry files; `service` is the one writer of posts, as in the app."""

    def __init__(self, desk: Desk, folder: Path) -> None:
        self.desk = desk
        self.media_dir = folder / "media"
        self.picked = folder / "picked"
        self.picked.mkdir(parents=True, exist_ok=True)
        desk.config = replace(
            desk.config, media_dir=self.media_dir, video_poll_s=0.0, video_wait_s=0.0
        )
        self.service = PostService(desk.engine, desk.user_id, self.media_dir)

    @property
    def server(self) -> FakeLinkedIn:
        return self.desk.server

    @property
    def engine(self) -> Engine:
        return self.desk.engine

    # --- files --------------------------------------------------------------------------------

    def png(self, name: str, width: int = 40, height: int = 30) -> Path:
        return write_png(self.picked / name, width, height)

    def pdf(self, name: str = "deck.pdf", pages: int = 3) -> Path:
        return write_pdf(self.picked / name, pages)

    def mp4(self, name: str = "talk.mp4", size: int = VIDEO_BYTES) -> Path:
        return write_mp4(self.picked / name, seconds=5.0, size_bytes=size)

    # --- posts --------------------------------------------------------------------------------

    def post(
        self,
        content: str = "Hello LinkedIn",
        at: datetime | None = None,
        *,
        attachments: Attachments | None = None,
        **kw: Any,
    ) -> str:
        """A post written by PostService, then scheduled for `at` (a minute before NOW by
        default) on the test's clock: PostService itself checks times against the real one."""
        post = self.service.add(content, attachments=attachments, **kw)
        with transaction(self.engine) as session:
            row = session.get(Post, post.id)
            assert row is not None
            row.status = PostStatus.SCHEDULED
            row.scheduled_at = at or NOW - timedelta(minutes=1)
        return post.id

    def run(self, at: datetime = NOW, **config_changes: Any) -> Any:
        return self.desk.run(at, **config_changes)

    def row(self, post_id: str) -> Post:
        return self.desk.post(post_id)

    def media_rows(self, post_id: str) -> list[PostMedia]:
        with transaction(self.engine) as session:
            return list(
                session.scalars(
                    select(PostMedia)
                    .where(PostMedia.post_id == post_id)
                    .order_by(PostMedia.position)
                )
            )

    # --- what LinkedIn received ---------------------------------------------------------------

    def creates(self) -> list[RecordedRequest]:
        return self.server.requests_to("POST", "/rest/posts")

    def uploads_started(self) -> list[RecordedRequest]:
        """Every initializeUpload, of any kind: one per asset uploaded."""
        return [
            r
            for r in self.server.requests
            if r.method == "POST"
            and r.path in ("/rest/images", "/rest/documents", "/rest/videos")
            and r.query.get("action") == "initializeUpload"
        ]


def make_media_desk(engine: Engine, user_id: str, server: FakeLinkedIn, folder: Path) -> MediaDesk:
    return MediaDesk(make_desk(engine, user_id, server), folder)
