"""The Studio without a window: an idea becomes three post variations and images, each run is kept.

Every call here blocks and is meant for a worker thread; a CancelToken (services/ai_http.py) lets
the UI abort it. A run is saved in one transaction only once everything it needs has arrived, so an
error or a cancel leaves neither a row nor an image file behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from linkie_desktop.config import Config
from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import Generation
from linkie_desktop.db.types import json_strings, new_id
from linkie_desktop.domain.images import inspect_image
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services import ai_images, ai_text
from linkie_desktop.services.ai_http import (
    DEADLINE_S,
    AiError,
    CancelToken,
    Problem,
    explain,
    request_timeout,
)
from linkie_desktop.services.ai_text import Brief
from linkie_desktop.services.posts import PostRecord, PostService
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.secrets import KeyringUnavailable, SecretName, SecretStore

KeyProvider = Callable[[], str | None]
HISTORY_SIZE = 20
_IMAGE_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg"}


def keyring_key(name: SecretName, store: SecretStore | None = None) -> KeyProvider:
    """Read an API key from the keyring (where Settings stores it) each time it is needed."""

    def read() -> str | None:
        try:
            return (store or SecretStore()).get(name)
        except KeyringUnavailable as exc:
            raise AiError(Problem.NO_KEY, str(exc)) from exc

    return read


@dataclass(frozen=True)
class GenerationRecord:
    """One Studio run as a plain value for the UI."""

    id: str
    idea: str
    variations: tuple[str, ...]
    images: tuple[str, ...]  # paths of image files in the media folder
    created_at: datetime

    @classmethod
    def of(cls, generation: Generation) -> GenerationRecord:
        return cls(
            id=generation.id,
            idea=generation.idea,
            variations=tuple(json_strings(generation.text_variations_json)),
            images=tuple(json_strings(generation.images_json)),
            created_at=generation.created_at,
        )


@dataclass(frozen=True)
class StudioService:
    engine: Engine
    user_id: str
    config: Config
    anthropic_key: KeyProvider
    gemini_key: KeyProvider
    request_deadline_s: float = DEADLINE_S  # each whole request to a vendor (ai_http.py)
    # Asked at each run, so a model changed in Settings applies to the next one: the window's
    # preferences object (never the file). Without one, the default models.
    preferences: Callable[[], Preferences] = Preferences

    def _preferences(self) -> Preferences:
        return self.preferences()

    @staticmethod
    def _key(provider: KeyProvider, vendor: str) -> str:
        key = (provider() or "").strip()
        if not key:
            raise explain(Problem.NO_KEY, vendor)
        return key

    @staticmethod
    def _idea(idea: str) -> str:
        idea = idea.strip()
        if not idea:
            raise ValidationError("Write your idea first: a sentence or two is enough.")
        return idea

    # --- runs -------------------------------------------------------------------------------------

    def generate(self, brief: Brief, token: CancelToken) -> GenerationRecord:
        """Three variations of the idea, saved as a new run."""
        idea = self._idea(brief.idea)
        key = self._key(self.anthropic_key, ai_text.VENDOR)
        model = self._preferences().anthropic_model

        async def call() -> list[str]:
            import httpx  # here: ~70 ms of a cold start that only a Studio request needs

            async with httpx.AsyncClient(timeout=request_timeout()) as client:
                return await ai_text.write_variations(
                    client,
                    self.config.anthropic_base_url,
                    key,
                    model,
                    brief,
                    self.request_deadline_s,
                )

        variations = token.run(call)
        with token.committing(), transaction(self.engine) as session:
            generation = queries.create_generation(
                session,
                {
                    "user_id": self.user_id,
                    "idea": idea,
                    "text_variations_json": json.dumps(variations),
                    "images_json": "[]",
                },
            )
            return GenerationRecord.of(generation)

    def generate_images(
        self,
        idea: str,
        token: CancelToken,
        generation_id: str | None = None,
        post_text: str = "",
    ) -> GenerationRecord:
        """Images for the idea, added to run `generation_id` (or saved as a run of their own)."""
        idea = self._idea(idea)
        key = self._key(self.gemini_key, ai_images.VENDOR)
        model = self._preferences().gemini_image_model
        prompt = ai_images.image_prompt(idea, post_text)

        async def call() -> list[ai_images.GeneratedImage]:
            import httpx

            async with httpx.AsyncClient(timeout=request_timeout()) as client:
                return await ai_images.draw_images(
                    client,
                    self.config.gemini_base_url,
                    key,
                    model,
                    prompt,
                    self.request_deadline_s,
                )

        images = token.run(call)
        written = self._write_images(images)
        try:
            with token.committing(), transaction(self.engine) as session:
                return GenerationRecord.of(
                    self._store_images(session, idea, generation_id, [str(p) for p in written])
                )
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise

    def _store_images(
        self, session: Session, idea: str, generation_id: str | None, paths: list[str]
    ) -> Generation:
        if generation_id is None:
            return queries.create_generation(
                session,
                {
                    "user_id": self.user_id,
                    "idea": idea,
                    "text_variations_json": "[]",
                    "images_json": json.dumps(paths),
                },
            )
        generation = queries.get_generation_by_id(session, generation_id, self.user_id)
        if generation is None:
            raise ValidationError("That Studio run no longer exists.")
        generation.images_json = json.dumps([*json_strings(generation.images_json), *paths])
        session.flush()
        return generation

    def _write_images(self, images: Sequence[ai_images.GeneratedImage]) -> list[Path]:
        """Each image to the media folder (temp name, checked, renamed); all or none are kept."""
        folder = self.config.media_dir
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        try:
            for image in images:
                target = folder / f"studio-{new_id()}{_IMAGE_SUFFIXES[image.mime_type]}"
                partial = target.with_name(target.name + ".part")
                try:
                    partial.write_bytes(image.data)
                    inspect_image(partial)  # the vendor said PNG; make sure it is one
                    partial.replace(target)
                except ValidationError:
                    raise explain(Problem.BAD_REPLY, ai_images.VENDOR) from None
                except OSError as exc:
                    raise ValidationError(
                        f"The image could not be saved in {folder}: {exc.strerror}."
                    ) from None
                finally:
                    partial.unlink(missing_ok=True)
                written.append(target)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        return written

    # --- history and drafts -----------------------------------------------------------------------

    def recent(self, limit: int = HISTORY_SIZE) -> list[GenerationRecord]:
        with reading(self.engine) as session:
            return [
                GenerationRecord.of(g)
                for g in queries.get_recent_generations(session, limit, self.user_id)
            ]

    def get(self, generation_id: str) -> GenerationRecord:
        with reading(self.engine) as session:
            generation = queries.get_generation_by_id(session, generation_id, self.user_id)
            if generation is None:
                raise ValidationError("That Studio run no longer exists.")
            return GenerationRecord.of(generation)

    def use_as_draft(self, text: str, idea: str = "", image: Path | None = None) -> PostRecord:
        """A new draft with this text (and a copy of the image); on any failure, no draft."""
        posts = PostService(self.engine, self.user_id, self.config.media_dir)
        draft = posts.create_draft(title=idea.strip()[:80], content=text)
        if image is None:
            return draft
        try:
            return posts.attach_image(draft.id, image)
        except BaseException:
            posts.discard(draft.id)  # not to the trash: the user never saw this draft
            raise
