"""`linkie db copy --to URL`: your posts and everything that is yours, copied into another
database (a PostgreSQL one several people share, or another file); services/db_copy.py.

Registered by cli.py; errors follow its rules (one line on stderr; exit 2 for bad input such as
a `--to` that is no database address, 1 for a refused copy or a target that can't be reached).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from linkie_desktop.config import database_url_from
from linkie_desktop.services.db_copy import copy_person
from linkie_desktop.services.workspace import Workspace

CommandFactory = Callable[..., argparse.ArgumentParser]


def _cmd_copy(ws: Workspace, args: argparse.Namespace) -> None:
    report = copy_person(ws.engine, ws.user_id, database_url_from(args.to), ws.config.media_dir)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    print("\n".join(report.lines()))


def register(command: CommandFactory, commands: Any) -> None:
    """Add `linkie db …` (`command` as cli.py makes them; `commands` its subparsers)."""
    db = commands.add_parser("db", help="copy your data into another database")
    groups = db.add_subparsers(dest="db_command", required=True, parser_class=type(db))
    copy = command(
        "copy",
        _cmd_copy,
        "copy your posts and all that is yours, ids kept, into another database",
        groups,
    )
    copy.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="postgresql+psycopg://user@host/database, or a database file",
    )
    copy.add_argument(
        "--json", action="store_true", help="print {target, person, rows, files, missing_files}"
    )
