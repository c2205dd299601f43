"""Who acted, as real processes say it: `linkie` on the command line and `linkie mcp` for an
agent, each a child process on one database (issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from linkie_desktop.db.types import utc_now
from linkie_desktop.services import activity
from linkie_desktop.services.activity import Actor, EventKind
from tests.integration.mcp_server.mcp_support import ROOT, agent_session

LINKIE = Path(sys.executable).parent / "linkie"


def _env(data_dir: Path) -> dict[str, str]:
    sandbox = {k: v for k, v in os.environ.items() if k.startswith(("XDG_", "HOME", "PATH"))}
    return sandbox | {"LINKIE_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}


def test_the_command_line_and_an_agent_are_told_apart(
    engine: Engine, user_id: str, db_url: str, tmp_path: Path
) -> None:
    env = _env(tmp_path)
    when = (utc_now() + timedelta(days=30)).isoformat()
    added = subprocess.run(
        [str(LINKIE), "--db", db_url, "posts", "add", "--content", "By hand", "--at", when],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    by_hand = added.stdout.strip()
    subprocess.run(
        [str(LINKIE), "--db", db_url, "posts", "unschedule", by_hand],
        env=env,
        check=True,
        capture_output=True,
    )
    with (
        (tmp_path / "mcp-stderr.log").open("w") as errlog,
        agent_session(["--db", db_url, "--allow", "schedule"], env, errlog) as agent,
    ):
        draft = agent.ok("create_draft", content="Written by an agent")
        agent.ok("schedule_post", id=draft["id"], at=when)

    hand = activity.for_post(engine, user_id, by_hand)
    assert [(e.kind, e.actor) for e in hand] == [
        (EventKind.UNSCHEDULED, Actor.CLI),
        (EventKind.SCHEDULED, Actor.CLI),  # `posts add --at` schedules as it adds
    ]
    agents = activity.for_post(engine, user_id, draft["id"])
    assert [(e.kind, e.actor, e.who) for e in agents] == [
        (EventKind.SCHEDULED, Actor.AGENT, "an AI agent")
    ]
