"""`linkie users add|list`: the people of a database several people share (services/people.py).

These commands act on nobody's posts, so they run whoever is chosen: on a database with several
people and no `--user`, `linkie users list` is how one finds the address to give.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from linkie_desktop.services.people import Person, add_person, list_people
from linkie_desktop.services.workspace import Workspace

CommandFactory = Callable[..., argparse.ArgumentParser]


def person_as_json(person: Person, acting_id: str | None) -> dict[str, Any]:
    return {
        "id": person.id,
        "email": person.email,
        "name": person.name,
        "created_at": person.created_at.isoformat(),
        "acting": person.id == acting_id,
    }


def _cmd_add(ws: Workspace, args: argparse.Namespace) -> None:
    person = add_person(ws.engine, args.email, args.name)
    print(person.id)


def _cmd_list(ws: Workspace, args: argparse.Namespace) -> None:
    people = list_people(ws.engine)
    # Whom this command would act as, when that is known (--user given, or only one person).
    acting = ws.user_id if args.user is not None or len(people) == 1 else None
    if args.json:
        rows = [person_as_json(p, acting) for p in people]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for person in people:
        mark = "*" if person.id == acting else ""
        print(f"{person.email}\t{person.name or ''}\t{person.id}\t{mark}".rstrip("\t"))


def register(command: CommandFactory, commands: Any) -> None:
    users = commands.add_parser("users", help="the people of this database")
    groups = users.add_subparsers(dest="users_command", required=True, parser_class=type(users))
    add = command("add", _cmd_add, "add a person (prints their id)", groups)
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--name", help="how Linkie names them (default: none yet)")
    listing = command("list", _cmd_list, "list the people, the first added first", groups)
    listing.add_argument("--json", action="store_true", help="print a JSON array")
