"""`linkie mcp`: Linkie's tools for AI agents over the Model Context Protocol (stdio).

Every tool is listed whatever the permission, so an agent sees what exists and can tell the user
what to allow; a call beyond the permission, and any input the domain refuses, comes back as a
tool error (isError) with the plain sentence the window would show. A refusal writes nothing.
stdout carries the protocol alone: the log goes to its own file (`linkie-mcp.log`, set up by
mcp_server/command.py), warnings to stderr too.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from linkie_desktop import __version__
from linkie_desktop.db.errors import DatabaseError, database_problem
from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.mcp_server.permissions import NEEDED, Permission, refusal, what_it_allows
from linkie_desktop.mcp_server.tools import LinkieTools
from linkie_desktop.services.posts import StorageError
from linkie_desktop.services.workspace import Workspace

log = logging.getLogger(__name__)

# Refusals the user (or the agent) can act on: their message is the whole answer.
_KNOWN = (ValidationError, StorageError, DatabaseError)


@dataclass(frozen=True)
class Hints:
    """The truth about a tool, for clients deciding what to confirm with the user."""

    read_only: bool = False
    destructive: bool = False  # what it replaces or removes cannot be had back from Linkie
    idempotent: bool = False  # the same call again changes nothing more
    open_world: bool = False  # it reaches beyond Linkie's own database (LinkedIn)

    def annotations(self, title: str) -> ToolAnnotations:
        return ToolAnnotations(
            title=title,
            read_only_hint=self.read_only,
            destructive_hint=self.destructive,
            idempotent_hint=self.idempotent,
            open_world_hint=self.open_world,
        )


_READ = Hints(read_only=True, idempotent=True)

TOOLS: dict[str, tuple[str, Hints]] = {
    "list_posts": ("List posts", _READ),
    "get_post": ("Read a post", _READ),
    "preview_post": ("Preview a post", _READ),
    # The figures LinkedIn gave are read from Linkie's own copy: nothing is asked of LinkedIn.
    "get_analytics": ("Posting analytics", _READ),
    "connection_status": ("LinkedIn connection", _READ),
    "list_slots": ("Posting slots and queue", _READ),
    "create_draft": ("Create a draft", Hints()),
    # The text, title or comment it replaces is gone: Linkie keeps no earlier versions.
    "update_post": ("Edit a post", Hints(destructive=True, idempotent=True)),
    # Only the post's time (or its being scheduled) changes, and scheduling again undoes it.
    "schedule_post": ("Schedule a post", Hints(idempotent=True)),
    "unschedule_post": ("Unschedule a post", Hints(idempotent=True)),
    # Each call takes the next free slot: a second one moves the post on to another.
    "add_to_queue": ("Add a post to the queue", Hints()),
    "publish_now": ("Publish on LinkedIn now", Hints(destructive=True, open_world=True)),
    "delete_post": ("Delete a post", Hints(destructive=True, idempotent=True)),
}


def _guarded(
    name: str, tool: Callable[..., Any], level: Permission, database_url: str
) -> Callable[..., Any]:
    """`tool` refused beyond `level`, and its known failures turned into tool errors. The
    signature (and so the schema) stays the tool's own."""

    @functools.wraps(tool)
    def call(*args: Any, **kwargs: Any) -> Any:
        # By name only: the arguments are the user's posts. The SDK logs a failure after it.
        log.info("an agent called %s", name)
        refused = refusal(name, level)
        if refused is not None:
            raise ToolError(refused)
        try:
            return tool(*args, **kwargs)
        except _KNOWN as exc:
            raise ToolError(str(exc)) from exc
        except Exception as exc:
            # A database that fails mid-call (locked, full disk) is named as at start-up;
            # anything else is a bug: the SDK reports it without its details and logs it.
            known = database_problem(exc, sqlite_path(database_url))
            if known is None:
                raise
            raise ToolError(str(known)) from exc

    return call


def instructions(level: Permission) -> str:
    return (
        "Linkie Desktop keeps the user's LinkedIn posts: drafts, a calendar of scheduled posts, "
        "and a publisher that sends each at its time. Times are ISO-8601, stored in UTC; a time "
        "without an offset is the user's local time. Preview a text before scheduling it. "
        f"This server runs with the '{level}' permission: it may {what_it_allows(level)}. "
        "Tools beyond it answer with an error that says which permission they need."
    )


def build_server(workspace: Workspace, level: Permission) -> MCPServer:
    tools = LinkieTools(workspace)
    server: MCPServer = MCPServer(
        "linkie", instructions=instructions(level), version=__version__, log_level="WARNING"
    )
    for name, (title, hints) in TOOLS.items():
        method = getattr(tools, name)
        description = (
            f"{inspect.cleandoc(method.__doc__)}\n\nNeeds the '{NEEDED[name]}' permission."
        )
        server.add_tool(
            _guarded(name, method, level, workspace.config.database_url),
            name=name,
            title=title,
            description=description,
            annotations=hints.annotations(title),
        )
    return server


def serve(workspace: Workspace, level: Permission) -> None:
    """Answer one MCP client on stdin/stdout until it closes them."""
    build_server(workspace, level).run("stdio")
