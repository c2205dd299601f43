"""The copies of the files attached to posts, kept in Linkie's media folder (no Qt).

A file the user attaches is checked and copied in one read (the checks of domain/images.py and
domain/post_content.py hand the copy the very descriptor they read), under a fresh name, through a
temporary file renamed into place, so a half-written copy is never used. Only files inside the
media folder are ever deleted, and only once nothing uses them. services/posts.py, the one writer
of posts, decides when; this module does the file work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

from linkie_desktop.db.models import PostMedia
from linkie_desktop.db.types import new_id
from linkie_desktop.domain.images import open_checked_image
from linkie_desktop.domain.post_content import (
    MediaKind,
    media_file,
    open_checked_document,
    open_checked_video,
)
from linkie_desktop.domain.posts import ValidationError

_COPY_CHUNK = 1 << 20
_T = TypeVar("_T")


class _Checked(Protocol):
    """What a check hands the copy: the file it read, its size, and the suffix of its type."""

    @property
    def file(self) -> BinaryIO: ...
    @property
    def size(self) -> int: ...
    @property
    def suffix(self) -> str: ...


_C = TypeVar("_C", bound=_Checked)


@dataclass(frozen=True)
class NewFile:
    """A file to attach, as the user chose it."""

    kind: MediaKind
    source: Path
    alt_text: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class FileCopy:
    """A checked file's copy in the media folder, with what the checks found."""

    path: Path
    kind: MediaKind
    size: int
    pages: int | None = None
    duration_s: float | None = None

    def row(self, user_id: str, file: NewFile) -> PostMedia:
        return PostMedia(
            user_id=user_id,
            position=0,  # numbered by the caller
            kind=self.kind.value,
            path=self.path.name,
            alt_text=file.alt_text,
            title=file.title,
            size_bytes=self.size,
            pages=self.pages,
            duration_ms=round(self.duration_s * 1000) if self.duration_s is not None else None,
        )


def with_copies(copies: Sequence[FileCopy], write: Callable[[], _T]) -> _T:
    """`write`, and the new copies go again if it fails: a refusal leaves no file behind."""
    try:
        return write()
    except BaseException:
        for copy in copies:
            copy.path.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class MediaFiles:
    """The media folder of one PostService (None: no folder; nothing can be attached)."""

    media_dir: Path | None

    def path(self, stored: str) -> Path:
        """Where a stored media path (MediaItem.path, LinkCard.thumbnail_path) is on disk."""
        return media_file(self.media_dir, stored) if self.media_dir is not None else Path(stored)

    def files_of(self, image_path: str | None, stored: Sequence[str]) -> set[Path]:
        """The files a post uses: its media rows' and the one posts.image_path names."""
        return {self.path(s) for s in stored} | ({Path(image_path)} if image_path else set())

    def copy_new(
        self, files: Sequence[NewFile], post_id: str, *, whole: bool = True
    ) -> tuple[FileCopy, ...]:
        """Each file checked and copied, in order; all or none: a refusal removes those made."""
        copies: list[FileCopy] = []
        try:
            for file in files:
                copies.append(self._copy_one(file, post_id, whole=whole))
        except BaseException:
            for copy in copies:
                copy.path.unlink(missing_ok=True)
            raise
        return tuple(copies)

    def discard_paths(self, paths: set[Path]) -> None:
        """Delete copies that nothing uses any more: only ever files in the media folder."""
        if self.media_dir is None:
            return
        folder = self.media_dir.resolve()
        for path in paths:
            if path.parent.resolve() == folder:
                path.unlink(missing_ok=True)

    def discard(self, stored: Sequence[str]) -> None:
        self.discard_paths({self.path(s) for s in stored})

    def _folder(self) -> Path:
        if self.media_dir is None:
            raise ValidationError("No folder is set up for attachments.")
        self.media_dir.mkdir(parents=True, exist_ok=True)
        return self.media_dir

    def _copy_one(self, file: NewFile, post_id: str, *, whole: bool) -> FileCopy:
        if file.kind is MediaKind.IMAGE:
            path, image = self._copy_into_media(
                file.source, post_id, lambda p: open_checked_image(p, whole=whole)
            )
            return FileCopy(path, MediaKind.IMAGE, image.size)
        opener = open_checked_document if file.kind is MediaKind.DOCUMENT else open_checked_video
        path, media = self._copy_into_media(file.source, post_id, opener)
        facts = media.facts
        return FileCopy(path, file.kind, facts.size, facts.pages, facts.duration_s)

    def _copy_into_media(
        self, source: Path, post_id: str, opener: Callable[[Path], AbstractContextManager[_C]]
    ) -> tuple[Path, _C]:
        """Copy under a fresh name (temp file, then rename) so a half-written copy is never used.

        The copy reads the very file the checks of `opener` read (one descriptor): a name swapped
        for a pipe or a huge file in between is never read, and at most the checked size is
        copied.
        """
        with opener(source) as checked:
            folder = self._folder()
            target = folder / f"{post_id}-{new_id()}{checked.suffix}"
            partial = target.with_suffix(target.suffix + ".part")
            try:
                with partial.open("wb") as out:
                    left = checked.size
                    while left > 0 and (chunk := checked.file.read(min(left, _COPY_CHUNK))):
                        out.write(chunk)
                        left -= len(chunk)
                partial.replace(target)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise ValidationError(
                    f"{source.name} could not be copied: {exc.strerror}."
                ) from None
        return target, checked
