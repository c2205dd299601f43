"""Shared by the Studio service tests: the idea they write about, a service that asks the AI test
servers, and how many runs were saved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from linkie_desktop import config as app_config
from linkie_desktop.config import Config
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Generation
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.studio import StudioService
from tests.fakes.ai_servers import AiServers

IDEA = "Why consistency beats virality on LinkedIn"


def studio_config(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Config:
    """The app's config on the test database, with a data folder of the test's own (the AI
    test servers' addresses come from `ai_env`'s environment)."""
    monkeypatch.setenv("LINKIE_DATA_DIR", str(tmp_path / "appdata"))
    return app_config.load(db=db_url)


def studio_for(
    engine: Engine,
    user_id: str,
    cfg: Config,
    ai_env: AiServers,
    preferences: Callable[[], Preferences] | None = None,
) -> StudioService:
    """A Studio service with the test servers' keys (and the defaults, or `preferences`)."""
    return StudioService(
        engine,
        user_id,
        cfg,
        anthropic_key=lambda: ai_env.anthropic.api_key,
        gemini_key=lambda: ai_env.gemini.api_key,
        preferences=preferences or Preferences,
    )


def saved_runs(engine: Engine) -> int:
    """How many Studio runs the database holds."""
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Generation)) or 0)
