"""Studio tab fixtures: the real tab on the test database, talking to the AI test servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop import config
from linkie_desktop.db.migrate import MigrationResult
from linkie_desktop.services.studio import StudioService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.studio import StudioTab
from tests.fakes.ai_servers import AiServers


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path, ai_env: AiServers) -> Workspace:
    cfg = config.load(
        db=str(engine.url),
        env={
            "LINKIE_DATA_DIR": str(tmp_path / "appdata"),
            "LINKIE_ANTHROPIC_BASE_URL": ai_env.anthropic.base_url,
            "LINKIE_GEMINI_BASE_URL": ai_env.gemini.base_url,
        },
    )
    migration = MigrationResult(revision="head", previous=None, backup=None)
    return Workspace(config=cfg, engine=engine, user_id=user_id, migration=migration)


@pytest.fixture
def signals() -> AppSignals:
    return AppSignals()


@pytest.fixture
def keys(ai_env: AiServers) -> dict[str, str | None]:
    """What the keyring holds; a test may take a key away."""
    return {"anthropic": ai_env.anthropic.api_key, "gemini": ai_env.gemini.api_key}


@pytest.fixture
def tab(
    qtbot: QtBot, workspace: Workspace, signals: AppSignals, keys: dict[str, str | None]
) -> Iterator[StudioTab]:
    service = StudioService(
        workspace.engine,
        workspace.user_id,
        workspace.config,
        anthropic_key=lambda: keys["anthropic"],
        gemini_key=lambda: keys["gemini"],
    )
    studio = StudioTab(workspace, signals, service=service)
    qtbot.addWidget(studio)
    studio.resize(1280, 760)
    studio.show()
    qtbot.waitUntil(lambda: studio.tasks.pending == 0)  # the history, read on the worker
    yield studio
    studio.shutdown()
    studio.tasks.wait_idle()
