"""`linkie`: headless commands over the same services as the window, for scripts and agents.

Errors are one plain line on stderr: exit 2 for bad input, 1 for anything else. Never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from linkie_desktop import __version__, cli_linkedin, cli_slots, cli_users, config
from linkie_desktop.db.errors import DatabaseError, database_problem
from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.domain.post_content import POLL_DAYS, LinkCard, Poll, parse_visibility
from linkie_desktop.domain.posts import ValidationError, display_title
from linkie_desktop.domain.schedule import local_minute_text, parse_when
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.people import PersonChoiceError
from linkie_desktop.services.post_json import post_as_json
from linkie_desktop.services.posts import Attachments, PostRecord, PostService
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


def _when(text: str) -> datetime:
    try:
        return parse_when(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


# How an argument is named in a refusal; `--db` is left out: a path may be any bytes at all.
_TEXT_ARGUMENTS = {
    "content": "--content",
    "title": "--title",
    "at": "--at",
    "id": "the post id",
    "first_comment": "--first-comment",
    "document_title": "--document-title",
    "video_title": "--video-title",
    "poll_question": "--poll-question",
    "poll_options": "--poll-option",
    "link": "--link",
    "link_title": "--link-title",
    "link_description": "--link-description",
}


def _texts(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    """(how it is named, text) of every text argument given."""
    for name, label in _TEXT_ARGUMENTS.items():
        value = getattr(args, name, None)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                yield label, text
    for image in getattr(args, "images", None) or []:
        if image.alt is not None:
            yield "--alt", image.alt


def _refuse_undecodable(args: argparse.Namespace) -> None:
    """Bytes that are not UTF-8 reach us as lone surrogates (Python's surrogateescape): say which
    argument and byte, instead of failing later on the database's "surrogates not allowed"."""
    for label, value in _texts(args):
        for position, char in enumerate(value, start=1):
            if 0xDC80 <= ord(char) <= 0xDCFF:
                raise UsageError(
                    f"{label} is not valid UTF-8 text (byte 0x{ord(char) - 0xDC00:02X} at "
                    f"character {position}); check the encoding of your terminal or script"
                )


class _ImageArgument:
    """One --image and the --alt that followed it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.alt: str | None = None


class _ImageAction(argparse.Action):
    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        images = list(getattr(namespace, "images", None) or [])
        images.append(_ImageArgument(str(values)))
        namespace.images = images


class _AltAction(argparse.Action):
    """--alt belongs to the --image just before it: the order on the command line counts."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        images = getattr(namespace, "images", None) or []
        if not images:
            parser.error("--alt belongs to the --image before it: give the --image first")
        if images[-1].alt is not None:
            parser.error(f"--image {images[-1].path} has two --alt texts: give it one")
        images[-1].alt = str(values)


# Which arguments make up each kind of attachment, for the "one kind" rule's words.
_KINDS = {
    "--image": ("images",),
    "--document": ("document", "document_title"),
    "--video": ("video", "video_title"),
    "--poll-question": ("poll_question", "poll_options", "poll_days"),
    "--link": ("link", "link_title", "link_description", "link_thumbnail"),
}


def _attachments(args: argparse.Namespace) -> Attachments:
    """What the arguments attach, refused in one line when they do not fit together."""
    given = [flag for flag, names in _KINDS.items() if any(getattr(args, n) for n in names)]
    if len(given) > 1:
        raise UsageError(
            f"{' and '.join(given)} cannot go together: a post holds one kind of attachment"
        )
    for flag, title in (("--document", "document_title"), ("--video", "video_title")):
        name = flag.removeprefix("--")
        if getattr(args, name) and getattr(args, title) is None:
            raise UsageError(f"{flag} needs {flag}-title: LinkedIn shows its title with it")
        if getattr(args, title) is not None and not getattr(args, name):
            raise UsageError(f"{flag}-title belongs to a {flag}")
    if (args.poll_options or args.poll_days is not None) and args.poll_question is None:
        raise UsageError("--poll-option and --poll-days belong to a --poll-question")
    if args.poll_question is not None and args.poll_days is None:
        days = ", ".join(str(d) for d in POLL_DAYS)
        raise UsageError(f"--poll-question needs --poll-days ({days})")
    if any(getattr(args, n) is not None for n in _KINDS["--link"][1:]) and args.link is None:
        raise UsageError("--link-title, --link-description and --link-thumbnail belong to a --link")
    return Attachments(
        images=[(Path(i.path), i.alt) for i in args.images or []],
        document=(Path(args.document), args.document_title) if args.document else None,
        video=(Path(args.video), args.video_title) if args.video else None,
        poll=(
            Poll(args.poll_question, tuple(args.poll_options or ()), args.poll_days)
            if args.poll_question is not None
            else None
        ),
        link=(
            LinkCard(args.link, args.link_title, args.link_description)
            if args.link is not None and args.link_title is not None
            else None
        ),
        link_thumbnail=Path(args.link_thumbnail) if args.link_thumbnail else None,
    )


def _posts(ws: Workspace) -> PostService:
    """The post service as the window has it: the media folder, and Settings' defaults."""
    return PostService(
        ws.engine,
        ws.user_id,
        ws.config.media_dir,
        preferences=lambda: load_preferences(ws.config.data_dir),
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
    service = _posts(ws)
    posts = [PostRecord.of(p) for p in service.list(status=args.status)]
    if args.json:
        rows = [post_as_json(p, service) for p in posts]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for post in posts:
        when = local_minute_text(post.scheduled_at) if post.scheduled_at else ""
        label = display_title(post.title, post.content, limit=60)
        print(f"{post.id}\t{post.status}\t{when}\t{label}")


def _cmd_add(ws: Workspace, args: argparse.Namespace) -> None:
    at = _when(args.at) if args.at is not None else None  # `--at ""` is a mistake, not a draft
    visibility = parse_visibility(args.visibility) if args.visibility is not None else None
    attachments = _attachments(args)
    service = _posts(ws)
    with contextlib.ExitStack() as stack:
        if args.link is not None and args.link_title is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="linkie-card-"))
            attachments = _fetched_card(args, attachments, Path(folder))
        post = service.add(
            args.content,
            title=args.title,
            at=at,
            visibility=visibility,
            first_comment=args.first_comment,
            attachments=attachments,
        )
    print(post.id)


def _fetched_card(args: argparse.Namespace, attachments: Attachments, folder: Path) -> Attachments:
    """The link card from the page's own metadata (OpenGraph, Twitter, <title>), fetched with
    the app's timeout and size cap; its image, if any, becomes the thumbnail unless one was
    given. A page that cannot be read refuses the post; an image that cannot be used is said
    on stderr and the card goes without it."""
    # Imported here: httpx is loaded only by the commands that go on the network.
    from linkie_desktop.services.link_preview import download_thumbnail, fetch_link_card

    preview = fetch_link_card(args.link)
    description = (
        args.link_description if args.link_description is not None else preview.description
    )
    card = LinkCard(preview.url, preview.title, description or None)
    thumbnail = attachments.link_thumbnail
    if thumbnail is None and preview.image_url:
        try:
            thumbnail = download_thumbnail(preview.image_url, folder)
        except ValidationError as exc:
            print(f"linkie: the card goes without its image: {exc}", file=sys.stderr)
    return replace(attachments, link=card, link_thumbnail=thumbnail)


def _cmd_schedule(ws: Workspace, args: argparse.Namespace) -> None:
    PostService(ws.engine, ws.user_id).schedule(args.id, _when(args.at))


def _cmd_unschedule(ws: Workspace, args: argparse.Namespace) -> None:
    PostService(ws.engine, ws.user_id).unschedule(args.id)


def _cmd_delete(ws: Workspace, args: argparse.Namespace) -> None:
    PostService(ws.engine, ws.user_id).delete(args.id)


def _cmd_retry_comment(ws: Workspace, args: argparse.Namespace) -> None:
    """The failed first comment of a published post is sent again by the next publisher pass
    (`linkie publish-due`, or the window's), which is the one place comments are sent from."""
    _posts(ws).retry_comment(args.id)


def _cmd_publish_due(ws: Workspace, args: argparse.Namespace) -> None:
    publisher = PublisherConfig.from_config(ws.config, load_preferences(ws.config.data_dir))
    rows = run_once(ws.engine, keyring_tokens(), publisher).as_rows()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        print("\t".join(row[key] for key in ("id", "outcome", "detail", "urn") if key in row))


CommandFactory = Callable[..., argparse.ArgumentParser]


def _acting_on_nobody(command: CommandFactory) -> CommandFactory:
    """The factory for commands that act on no one's posts (the publisher serves everyone, a
    backup copies everything): on a shared database they need no --user."""

    def make(*args: Any, **kwargs: Any) -> argparse.ArgumentParser:
        return command(*args, acting=False, **kwargs)

    return make


def build_parser() -> argparse.ArgumentParser:
    db_help = (
        "database file, sqlite:/// URL or postgresql://user@host/db address "
        "(default: LINKIE_DB, else the app's own)"
    )
    user_help = "act as the person of this email (on a database several people share)"
    parser = _Parser(prog="linkie", description="Linkie Desktop from the command line.")
    parser.add_argument("--version", action="version", version=f"linkie {__version__}")
    parser.add_argument("--db", help=db_help)
    parser.add_argument("--user", metavar="EMAIL", help=user_help)
    # `--db` is accepted after any command too (`linkie migrate --db x.db`), as scripts write it;
    # so is `--user`.
    db_anywhere = _Parser(add_help=False)
    db_anywhere.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    db_anywhere.add_argument("--user", metavar="EMAIL", default=argparse.SUPPRESS, help=user_help)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(
        name: str,
        handler: Callable[[Workspace, argparse.Namespace], None],
        help_text: str,
        parent: Any = commands,
        *,
        acting: bool = True,
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(
            name, help=help_text, parents=[db_anywhere]
        )
        sub.set_defaults(handler=handler, acting=acting)
        return sub

    nobodys = _acting_on_nobody(command)
    nobodys("migrate", _cmd_migrate, "create or upgrade the database; print its revision")
    cli_linkedin.register(command)
    publish = nobodys("publish-due", _cmd_publish_due, "run one publisher pass over due posts")
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
    add.add_argument("--visibility", help="public or connections (default: Settings › Posting)")
    add.add_argument("--first-comment", help="plain text commented right after the post")
    kinds = add.add_argument_group("attachments (at most one kind)")
    kinds.add_argument(
        "--image", action=_ImageAction, dest="images", metavar="PATH", help="repeat for up to 20"
    )
    kinds.add_argument("--alt", action=_AltAction, help="alt text of the --image before it")
    kinds.add_argument("--document", metavar="PATH", help="PDF, PPT, PPTX, DOC or DOCX")
    kinds.add_argument("--document-title")
    kinds.add_argument("--video", metavar="PATH", help="MP4, 3 s to 30 min")
    kinds.add_argument("--video-title")
    kinds.add_argument("--poll-question")
    kinds.add_argument(
        "--poll-option", action="append", dest="poll_options", help="2 to 4, in order"
    )
    kinds.add_argument("--poll-days", type=int, help="1, 3, 7 or 14")
    kinds.add_argument("--link", metavar="URL", help="without --link-title the page is read")
    kinds.add_argument("--link-title")
    kinds.add_argument("--link-description")
    kinds.add_argument("--link-thumbnail", metavar="PATH")
    schedule = command("schedule", _cmd_schedule, "schedule a post", post_commands)
    schedule.add_argument("id")
    schedule.add_argument("--at", required=True, help="ISO-8601; without an offset, local time")
    command(
        "unschedule", _cmd_unschedule, "turn a post back into a draft", post_commands
    ).add_argument("id")
    command("delete", _cmd_delete, "delete a post", post_commands).add_argument("id")
    command(
        "retry-comment",
        _cmd_retry_comment,
        "send a published post's failed first comment at the next publish-due",
        post_commands,
    ).add_argument("id")
    cli_slots.register(command, commands, post_commands)  # slots, posts queue, queue
    from linkie_desktop import cli_data  # backup, backups, restore, export, import, trash

    cli_data.register(command, commands)
    from linkie_desktop import cli_db  # db copy

    cli_db.register(command, commands)
    from linkie_desktop.mcp_server.command import register as register_mcp  # `linkie mcp`

    register_mcp(command)
    from linkie_desktop.cli_serve import register as register_serve  # `linkie serve`

    register_serve(nobodys)
    cli_users.register(nobodys, commands)  # users add, users list
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    cfg: config.Config | None = None
    try:
        args = build_parser().parse_args(argv)
        _refuse_undecodable(args)
        cfg = config.load(db=args.db)
        workspace = open_workspace(cfg, args.user, acting=args.acting)
        try:
            args.handler(workspace, args)
        finally:
            workspace.close()
    except PersonChoiceError as exc:
        print(f"linkie: {exc.command_line}", file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, ValidationError, config.ConfigError) as exc:
        print(f"linkie: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DatabaseError as exc:
        # The command line's own words: they may name --db and LINKIE_DB (str() is the window's).
        print(f"linkie: {exc.command_line}", file=sys.stderr)
        return EXIT_FAILURE
    except SeedRefusedError as exc:
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
        message = known.command_line if known is not None else f"unexpected error: {exc}"
        print(f"linkie: {' '.join(message.split())}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def main() -> None:
    """The console entry point: `run()`, then the end of the process without tear-down."""
    from linkie_desktop.process_exit import exit_now

    exit_now(run())
