"""The tools in process, for what needs a world the shared server processes do not have."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import Post
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.mcp_server.tools import LinkieTools
from tests.ui.workspace_support import make_workspace


@pytest.fixture
def tools(engine: Engine, user_id: str, tmp_path: Path) -> LinkieTools:
    return LinkieTools(make_workspace(engine, user_id, tmp_path / "appdata"))


def test_publish_now_without_a_connection_is_refused_before_anything_changes(
    tools: LinkieTools, engine: Engine
) -> None:
    post = tools.create_draft("Waiting for a connection")

    with pytest.raises(ValidationError, match="Connect your LinkedIn account"):
        tools.publish_now(post["id"])

    with reading(engine) as session:
        stored = session.get(Post, post["id"])
        assert stored is not None
        assert (stored.status, stored.scheduled_at) == ("draft", None)


def test_preview_needs_exactly_one_of_id_and_content(tools: LinkieTools) -> None:
    for arguments in ({}, {"id": "x", "content": "y"}):
        with pytest.raises(ValidationError, match="Give either id"):
            tools.preview_post(**arguments)


def test_a_mention_counts_its_name_and_is_sent_as_markup(tools: LinkieTools) -> None:
    text = "Thanks @[Ada Lovelace](urn:li:person:abc123)!"

    preview = tools.preview_post(content=text)

    assert preview["characters"] == len("Thanks Ada Lovelace!")
    assert preview["fold_text"] == "Thanks Ada Lovelace!"  # what the reader sees
    assert preview["sent_text"] == "Thanks @[Ada Lovelace](urn:li:person:abc123)!"
