"""`linkie`: headless commands over the same services as the window, for scripts and agents.

Errors are one plain line on stderr: exit 2 for bad input, 1 for anything else. Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NoReturn

from linkie_desktop import __version__, cli_linkedin, config
from linkie_desktop.db.errors import DatabaseError, database_problem
from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.db.models import Post
from linkie_desktop.domain.posts import ValidationError, display_title
from linkie_desktop.domain.schedule import local_minute_text, parse_when
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.publisher import PublisherConfig, keyring_tokens, run_once
from linkie_desktop.services.seed import SeedRefusedError, seed
from linkie_desktop.services.workspace import Workspace, open_workspace

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl+C


class UsageError(Exception):
    """Bad input from the command line: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def post_as_json(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "title": post.title,
        "content": post.content,
        "status": post.status,
        "scheduled_at": _iso(post.scheduled_at),
        "published_at": _iso(post.published_at),
        "linkedin_post_urn": post.linkedin_post_urn,
        "retry_count": post.retry_count,
        "error_message": post.error_message,
        "created_at": _iso(post.created_at),
        "updated_at": _iso(post.updated_at),
    }


def _when(text: str) -> datetime:
    try:
        return parse_when(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


# How an argument is named in a refusal; `--db` is left out: a path may be any bytes at all.
_TEXT_ARGUMENTS = {"content": "--content", "title": "--title", "at": "--at", "id": "the post id"}


def _refuse_undecodable(args: argparse.Namespace) -> None:
    """Bytes that are not UTF-8 reach us as lone surrogates (Python's surrogateescape): say which
    argument and byte, instead of failing later on the database's "surrogates not allowed"."""
    for name, label in _TEXT_ARGUMENTS.items():
        value = getattr(args, name, None)
        if not isinstance(value, str):
            continue
        for position, char in enumerate(value, start=1):
            if 0xDC80 <= ord(char) <= 0xDCFF:
                raise UsageError(
                    f"{label} is not valid UTF-8 text (byte 0x{ord(char) - 0xDC00:02X} at "
                    f"character {position}); check the encoding of your terminal or script"
                )


def _cmd_migrate(ws: Workspace, _args: argparse.Namespace) -> None:
    result = ws.migration
    if result.backup is not None:
        print(f"backup: {result.backup}", file=sys.stderr)
    print(result.revision)


def _cmd_seed(ws: Workspace, args: argparse.Namespace) -> None:
    result = seed(ws.engine, force=args.force)
    print(f"added {result.posts_added} sample posts")


def _cmd_list(ws: Workspace, args: argparse.Namespace) -> None:
    posts = PostService(ws.engine, ws.user_id).list(status=args.status)
    if args.json:
        print(json.dumps([post_as_json(p) for p in posts], ensure_ascii=False, indent=2))
        return
    for post in posts:
        when = local_minute_text(post.scheduled_at) if post.scheduled_at else ""
        label = display_title(post.title, post.content, limit=60)
        print(f"{post.id}\t{post.status}\t{when}\t{label}")


def _cmd_add(ws: Workspace, args: argparse.Namespace) -> None:
    at = _when(args.at) if args.at is not None else None  # `--at ""` is a mistake, not a draft
    print(PostService(ws.engine, ws.user_id).add(args.content, title=args.title, at=at).id)


def _cmd_schedule(ws: Workspace, args: argparse.Namespace) -> None:
    PostService(ws.engine, ws.user_id).schedule(args.id, _when(args.at))


def _cmd_unschedule(ws: Workspace, args: argparse.Namespace) -> None:
    PostService(ws.engine, ws.user_id).unschedule(args.id)


def _cmd_delete(ws: Workspace, args: argparse.Namespace) -> None:
    PostService(ws.engine, ws.user_id).delete(args.id)


def _cmd_publish_due(ws: Workspace, args: argparse.Namespace) -> None:
    publisher = PublisherConfig.from_config(ws.config, load_preferences(ws.config.data_dir))
    rows = run_once(ws.engine, keyring_tokens(), publisher).as_rows()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        print("\t".join(row[key] for key in ("id", "outcome", "detail", "urn") if key in row))


def build_parser() -> argparse.ArgumentParser:
    db_help = "database file or sqlite:/// URL (default: LINKIE_DB, else the app's own)"
    parser = _Parser(prog="linkie", description="Linkie Desktop from the command line.")
    parser.add_argument("--version", action="version", version=f"linkie {__version__}")
    parser.add_argument("--db", help=db_help)
    # `--db` is accepted after any command too (`linkie migrate --db x.db`), as scripts write it.
    db_anywhere = _Parser(add_help=False)
    db_anywhere.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(
        name: str,
        handler: Callable[[Workspace, argparse.Namespace], None],
        help_text: str,
        parent: Any = commands,
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(
            name, help=help_text, parents=[db_anywhere]
        )
        sub.set_defaults(handler=handler)
        return sub

    command("migrate", _cmd_migrate, "create or upgrade the database; print its revision")
    cli_linkedin.register(command)
    publish = command("publish-due", _cmd_publish_due, "run one publisher pass over due posts")
    publish.add_argument("--json", action="store_true", help="print a JSON array")
    seed_cmd = command("seed", _cmd_seed, "add Alex Rivera's sample posts")
    seed_cmd.add_argument("--force", action="store_true", help="add samples beside existing posts")

    posts = commands.add_parser("posts", help="list and change posts")
    post_commands = posts.add_subparsers(dest="posts_command", required=True, parser_class=_Parser)
    listing = command("list", _cmd_list, "list posts", post_commands)
    listing.add_argument("--status", choices=[s.value for s in PostStatus])
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    add = command("add", _cmd_add, "add a draft (or a scheduled post with --at)", post_commands)
    add.add_argument("--content", required=True)
    add.add_argument("--title")
    add.add_argument("--at", help="ISO-8601 time; without an offset it is local time")
    schedule = command("schedule", _cmd_schedule, "schedule a post", post_commands)
    schedule.add_argument("id")
    schedule.add_argument("--at", required=True, help="ISO-8601; without an offset, local time")
    command(
        "unschedule", _cmd_unschedule, "turn a post back into a draft", post_commands
    ).add_argument("id")
    command("delete", _cmd_delete, "delete a post", post_commands).add_argument("id")
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    cfg: config.Config | None = None
    try:
        args = build_parser().parse_args(argv)
        _refuse_undecodable(args)
        cfg = config.load(db=args.db)
        workspace = open_workspace(cfg)
        try:
            args.handler(workspace, args)
        finally:
            workspace.close()
    except (UsageError, ValidationError, config.ConfigError) as exc:
        print(f"linkie: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (DatabaseError, SeedRefusedError) as exc:
        print(f"linkie: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except cli_linkedin.ERRORS as exc:
        print(f"linkie: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("linkie: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        # A database that fails during a command (locked, full disk, damaged page) is named as
        # at start-up; anything else is a bug, still one line (SQL errors span several).
        path = sqlite_path(cfg.database_url) if cfg is not None else None
        known = database_problem(exc, path)
        message = str(known) if known is not None else f"unexpected error: {exc}"
        print(f"linkie: {' '.join(message.split())}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def main() -> None:
    """The console entry point: `run()`, then the end of the process without tear-down."""
    from linkie_desktop.process_exit import exit_now

    exit_now(run())
