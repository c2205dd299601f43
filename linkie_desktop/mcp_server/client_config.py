"""The command line an MCP client runs to start Linkie's server, and the client configuration
that holds it, for Settings › Agents and the README alike. Pure (no SDK, no Qt)."""

from __future__ import annotations

import json

from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.services.user_service import linkie_executable

SERVER_NAME = "linkie"


def server_command(database_url: str) -> list[str]:
    """`linkie mcp --db <this database>`. No --allow: the level chosen in Settings › Agents
    applies each time the client starts the server, so changing it there is enough."""
    path = sqlite_path(database_url)
    return [linkie_executable(), "mcp", "--db", str(path) if path is not None else database_url]


def client_configuration(command: list[str]) -> str:
    """The `mcpServers` entry Claude Desktop and most MCP clients read, as JSON."""
    program, *args = command
    entry = {"command": program, "args": args}
    return json.dumps({"mcpServers": {SERVER_NAME: entry}}, indent=2, ensure_ascii=False)
