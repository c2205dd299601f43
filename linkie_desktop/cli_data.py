"""`linkie backup | backups list | restore | export | import | trash …`: the user's data.

Registered by cli.py; errors follow its rules (one line on stderr; exit 2 for bad input: a path
that is not a backup, a bad row, a format not known).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import local_minute_text
from linkie_desktop.services.backup import SHARED_DATABASE_BACKUP, create_backup, list_backups
from linkie_desktop.services.export import export_csv, export_json
from linkie_desktop.services.import_posts import FORMATS, import_file
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.restore import restore_backup
from linkie_desktop.services.trash import TrashService
from linkie_desktop.services.workspace import Workspace

Handler = Callable[[Workspace, argparse.Namespace], None]
CommandFactory = Callable[..., argparse.ArgumentParser]


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _database(ws: Workspace) -> Path:
    path = sqlite_path(ws.config.database_url)
    if path is None:
        raise ValidationError(SHARED_DATABASE_BACKUP.format(how="linkie export"))
    return path


def _kept(ws: Workspace) -> int:
    return load_preferences(ws.config.data_dir).backups_kept


def _cmd_backup(ws: Workspace, args: argparse.Namespace) -> None:
    out = Path(args.out).expanduser() if args.out else None
    print(create_backup(_database(ws), ws.config.media_dir, out=out, keep=_kept(ws)))


def _cmd_backups_list(ws: Workspace, args: argparse.Namespace) -> None:
    backups = list_backups(_database(ws))
    if args.json:
        print(json.dumps([b.as_json() for b in backups], ensure_ascii=False, indent=2))
        return
    for info in backups:
        posts = "?" if info.posts is None else str(info.posts)
        kind = "database and media" if info.with_media else "database only"
        print(f"{info.path}\t{local_minute_text(info.created_at)}\t{posts} posts\t{kind}")


def _cmd_restore(ws: Workspace, args: argparse.Namespace) -> None:
    result = restore_backup(
        _database(ws),
        ws.config.media_dir,
        Path(args.path).expanduser(),
        user_id=ws.user_id,
        keep=_kept(ws),
    )
    print(result.summary())


def _cmd_export(ws: Workspace, args: argparse.Namespace) -> None:
    out = Path(args.out).expanduser()
    if args.format == "json":
        result = export_json(ws.engine, ws.user_id, ws.config.media_dir, out)
    else:
        result = export_csv(ws.engine, ws.user_id, out)
    print(result.summary())


def _cmd_import(ws: Workspace, args: argparse.Namespace) -> None:
    prefs = load_preferences(ws.config.data_dir)
    service = PostService(ws.engine, ws.user_id, ws.config.media_dir)
    result = import_file(
        service,
        Path(args.path).expanduser(),
        args.format,
        skip_bad=args.skip_bad,
        visibility=prefs.default_visibility,
    )
    for bad in result.skipped:
        _say(f"linkie: skipped {bad}")
    if result.new_ids:
        _say(f"linkie: {result.id_note()}")
    print(result.summary())


def _trash(ws: Workspace) -> TrashService:
    return TrashService(ws.engine, ws.user_id, ws.config.media_dir)


def _cmd_trash_list(ws: Workspace, args: argparse.Namespace) -> None:
    posts = _trash(ws).list()
    if args.json:
        print(json.dumps([p.as_json() for p in posts], ensure_ascii=False, indent=2))
        return
    for post in posts:
        print(f"{post.id}\t{local_minute_text(post.deleted_at)}\t{post.status}\t{post.label}")


def _cmd_trash_restore(ws: Workspace, args: argparse.Namespace) -> None:
    record, unscheduled = _trash(ws).restore(args.id)
    note = " as a draft: its time passed while it was in the trash" if unscheduled else ""
    print(f"restored {record.id}{note}")


def _cmd_trash_empty(ws: Workspace, _args: argparse.Namespace) -> None:
    removed = _trash(ws).empty()
    print(f"removed {removed} post{'' if removed == 1 else 's'} for good")


def register(command: CommandFactory, commands: Any) -> None:
    """Add the commands to `linkie` (`command` as cli.py makes them; `commands` its subparsers,
    for the command groups)."""
    # A backup copies everyone's posts: it needs no --user on a shared database.
    backup = command("backup", _cmd_backup, "back up the database and its media now", acting=False)
    backup.add_argument("--out", metavar="PATH", help="a new folder (default: beside the database)")
    listing = commands.add_parser("backups", help="the backups beside the database")
    groups = listing.add_subparsers(
        dest="backups_command", required=True, parser_class=type(listing)
    )
    command(
        "list", _cmd_backups_list, "list backups, newest first", groups, acting=False
    ).add_argument(
        "--json", action="store_true", help="print a JSON array of {path, created_at, posts}"
    )
    command(
        "restore", _cmd_restore, "replace the database with a backup (the current one is kept)"
    ).add_argument("path", metavar="PATH")
    export = command("export", _cmd_export, "export posts as Linkie JSON (with media) or CSV")
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--out", required=True, metavar="PATH")
    imported = command("import", _cmd_import, "import posts from Linkie JSON or a CSV")
    imported.add_argument("path", metavar="PATH")
    imported.add_argument("--format", choices=FORMATS, help="default: from the file's ending")
    imported.add_argument(
        "--skip-bad", action="store_true", help="import the good rows, skip (and name) the bad"
    )
    trash = commands.add_parser("trash", help="deleted posts (kept 30 days)")
    trash_commands = trash.add_subparsers(
        dest="trash_command", required=True, parser_class=type(trash)
    )
    command("list", _cmd_trash_list, "list the posts in the trash", trash_commands).add_argument(
        "--json", action="store_true", help="print a JSON array"
    )
    command(
        "restore", _cmd_trash_restore, "take a post out of the trash", trash_commands
    ).add_argument("id")
    command("empty", _cmd_trash_empty, "remove the trash's posts for good", trash_commands)
