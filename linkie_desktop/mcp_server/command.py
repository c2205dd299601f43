"""`linkie mcp [--allow LEVEL]`: the command line's door to the MCP server.

The level comes from --allow, else Settings › Agents, else the default (draft). The MCP SDK is
imported only when the server starts, so other commands do not pay for it.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from linkie_desktop.cli_linkedin import CommandFactory
from linkie_desktop.mcp_server.permissions import Permission, stored_permission
from linkie_desktop.services.activity import Actor, set_process_actor
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.workspace import Workspace

log = logging.getLogger(__name__)


def chosen_permission(data_dir: Path, allow: str | None) -> Permission:
    """--allow when given, else what Settings › Agents stored in `data_dir`."""
    if allow is not None:
        return Permission(allow)
    return stored_permission(load_preferences(data_dir).agent_permission)


def _cmd_mcp(ws: Workspace, args: argparse.Namespace) -> None:
    from linkie_desktop.logging_setup import MCP_LOG_FILE_NAME, setup_logging
    from linkie_desktop.mcp_server.server import serve

    # A file of its own (the window and linkie serve may be writing theirs), so an agent's
    # session leaves a trace; warnings also on stderr, never stdout: that is the protocol's.
    setup_logging(ws.config.log_dir, name=MCP_LOG_FILE_NAME)
    set_process_actor(Actor.AGENT)  # what this process writes, an agent asked for
    level = chosen_permission(ws.config.data_dir, args.allow)
    log.info("serving AI agents with the '%s' permission", level)
    serve(ws, level)
    log.info("the agent closed the session")


def register(command: CommandFactory) -> None:
    mcp = command("mcp", _cmd_mcp, "serve AI agents over MCP on stdin/stdout")
    mcp.add_argument(
        "--allow",
        choices=[p.value for p in Permission],
        help="what agents may do (default: Settings › Agents, else draft)",
    )
