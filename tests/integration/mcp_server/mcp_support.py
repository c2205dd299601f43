"""An MCP client, the SDK's own, talking to a real `linkie mcp` child process over stdio.

The SDK's client is async; a blocking portal (anyio) runs it on its own thread, so a
module-scoped fixture can keep one server process for all the tests of a module and each test
calls tools synchronously. Every wait is bounded (`CALL_TIMEOUT_S`).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import mcp_types as types
from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[3]
# The venv's own `linkie`, the console script a user's MCP client starts.
LINKIE = Path(sys.executable).parent / "linkie"
CALL_TIMEOUT_S = 60.0


class AgentSession:
    def __init__(self, portal: BlockingPortal, session: ClientSession, init: Any) -> None:
        self._portal = portal
        self._session = session
        self.instructions: str | None = init.instructions

    def tools(self) -> dict[str, types.Tool]:
        listed = self._portal.call(self._session.list_tools)
        return {tool.name: tool for tool in listed.tools}

    def call(self, name: str, **arguments: Any) -> types.CallToolResult:
        async def call() -> Any:
            return await self._session.call_tool(
                name, arguments, read_timeout_seconds=CALL_TIMEOUT_S
            )

        result = self._portal.call(call)
        assert isinstance(result, types.CallToolResult)
        return result

    def ok(self, name: str, **arguments: Any) -> dict[str, Any]:
        """The structured result of a call that must succeed."""
        result = self.call(name, **arguments)
        assert not result.is_error, error_text(result)
        content: dict[str, Any] | None = result.structured_content
        assert content is not None
        return content

    def refused(self, name: str, **arguments: Any) -> str:
        """The message of a call that must come back as a tool error."""
        result = self.call(name, **arguments)
        assert result.is_error, result.structured_content
        return error_text(result)


def error_text(result: types.CallToolResult) -> str:
    return " ".join(c.text for c in result.content if isinstance(c, types.TextContent))


@contextmanager
def agent_session(
    args: list[str], env: dict[str, str], errlog: TextIO, stdout_copy: Path | None = None
) -> Iterator[AgentSession]:
    """`linkie mcp *args` started by the SDK's stdio client, initialized, closed afterwards.
    `stdout_copy`: every byte the server writes to stdout is also kept in that file (through
    tee, on its way to the client), to check that stdout carries the protocol alone."""
    command, line = str(LINKIE), ["mcp", *args]
    if stdout_copy is not None:
        command, line = "sh", ["-c", 'exec "$0" "$@" | tee "$COPY"', command, *line]
        env = env | {"COPY": str(stdout_copy)}
    params = StdioServerParameters(command=command, args=line, env=env, cwd=str(ROOT))
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(stdio_client(params, errlog=errlog)) as (read, write),
        portal.wrap_async_context_manager(ClientSession(read, write)) as session,
    ):
        init = portal.call(session.initialize)
        yield AgentSession(portal, session, init)


def database_dump(path: Path) -> str:
    """Every row of every table, as SQL text: equal dumps mean nothing was written."""
    connection = sqlite3.connect(path)
    try:
        return json.dumps(list(connection.iterdump()))
    finally:
        connection.close()
