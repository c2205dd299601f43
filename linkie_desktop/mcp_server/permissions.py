"""How far an AI agent may go: four levels, each allowing all that the one before it allows.

Plain names only (no MCP SDK, no Qt): Settings › Agents lists the levels and the server checks
them. The level is chosen by the user (Settings › Agents, or `linkie mcp --allow`); the most
restrictive that still lets an assistant help, `draft`, is the default.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    READ = "read"
    DRAFT = "draft"
    SCHEDULE = "schedule"
    PUBLISH = "publish"

    @property
    def rank(self) -> int:
        return list(Permission).index(self)

    def allows(self, needed: Permission) -> bool:
        return self.rank >= needed.rank


DEFAULT_PERMISSION = Permission.DRAFT

# What each level adds, in the words Settings › Agents and the server's instructions use.
ADDS: dict[Permission, str] = {
    Permission.READ: (
        "list, read and preview posts, see the posting slots, analytics and the connection status"
    ),
    Permission.DRAFT: "create drafts and edit posts",
    Permission.SCHEDULE: "schedule and unschedule posts, and add them to the queue",
    Permission.PUBLISH: "publish posts now and delete posts",
}

# The level each tool needs. A tool missing here is refused whatever the level: a new tool must
# be given its level before any agent can call it.
NEEDED: dict[str, Permission] = {
    "list_posts": Permission.READ,
    "get_post": Permission.READ,
    "preview_post": Permission.READ,
    "get_analytics": Permission.READ,
    "connection_status": Permission.READ,
    "list_slots": Permission.READ,
    "create_draft": Permission.DRAFT,
    "update_post": Permission.DRAFT,
    "schedule_post": Permission.SCHEDULE,
    "unschedule_post": Permission.SCHEDULE,
    "add_to_queue": Permission.SCHEDULE,
    "publish_now": Permission.PUBLISH,
    "delete_post": Permission.PUBLISH,
}


def stored_permission(value: str) -> Permission:
    """The level kept in the preferences file; one this version does not know: the default."""
    try:
        return Permission(value)
    except ValueError:
        return DEFAULT_PERMISSION


def what_it_allows(level: Permission) -> str:
    """'list, read and preview posts, …; create drafts and edit posts' for `draft`."""
    return "; ".join(ADDS[p] for p in Permission if level.allows(p))


def refusal(tool: str, level: Permission) -> str | None:
    """Why `tool` may not run at `level`, in plain words; None when it may."""
    needed = NEEDED.get(tool)
    if needed is None:
        return f"{tool} is not a tool Linkie gives agents."
    if level.allows(needed):
        return None
    return (
        f"Not allowed: {tool} needs the '{needed}' permission and this Linkie server runs with "
        f"'{level}'. The user can raise it in Linkie's Settings › Agents or start the server "
        f"with --allow {needed}."
    )
