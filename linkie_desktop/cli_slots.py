"""`linkie slots list|add|remove`, `linkie posts queue ID` and `linkie queue`: posting slots and
the queue from the command line (services/slots.py, the window's own rules).

Days are mon … sun and times HH:MM, local wall times. Bad input, an unknown slot, no slot for a
post or a post that cannot be scheduled: one line on stderr, exit status 2 (ValidationError).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from linkie_desktop.domain.slots import parse_slot
from linkie_desktop.services.slots import SlotService
from linkie_desktop.services.workspace import Workspace

Handler = Callable[[Workspace, argparse.Namespace], None]
CommandFactory = Callable[..., argparse.ArgumentParser]


def _slots(ws: Workspace) -> SlotService:
    return SlotService(ws.engine, ws.user_id)


def _cmd_list(ws: Workspace, args: argparse.Namespace) -> None:
    slots = _slots(ws).slots()
    if args.json:
        rows = [{"day": s.day_name, "time": s.time_text} for s in slots]
        print(json.dumps(rows, indent=2))
        return
    for slot in slots:
        print(f"{slot.day_name}\t{slot.time_text}")


def _cmd_add(ws: Workspace, args: argparse.Namespace) -> None:
    print(_slots(ws).add(parse_slot(args.day, args.time)).message, file=sys.stderr)


def _cmd_remove(ws: Workspace, args: argparse.Namespace) -> None:
    print(_slots(ws).remove(parse_slot(args.day, args.time)).message, file=sys.stderr)


def _cmd_queue_post(ws: Workspace, args: argparse.Namespace) -> None:
    found, message = _slots(ws).add_to_queue(args.id)
    print(found.instant.astimezone().isoformat())
    print(message, file=sys.stderr)


def _cmd_queue(ws: Workspace, args: argparse.Namespace) -> None:
    queue = _slots(ws).queue()
    if args.json:
        rows: list[dict[str, Any]] = [
            {"id": p.id, "title": p.title, "scheduled_at": p.scheduled_at.astimezone().isoformat()}
            for p in queue
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for post in queue:
        print(f"{post.id}\t{post.scheduled_at.astimezone().isoformat()}\t{post.title}")


def register(command: CommandFactory, commands: Any, post_commands: Any) -> None:
    """`command(name, handler, help, parent)` makes a subcommand under `parent` (cli.py's)."""
    slots = commands.add_parser("slots", help="the weekly posting slots the queue fills")
    slot_commands = slots.add_subparsers(
        dest="slots_command", required=True, parser_class=type(slots)
    )
    listing = command("list", _cmd_list, "list the posting slots", slot_commands)
    listing.add_argument("--json", action="store_true", help="print a JSON array of {day, time}")
    for name, handler, words in (
        ("add", _cmd_add, "add a weekly posting slot"),
        ("remove", _cmd_remove, "remove a posting slot (its posts stay at their times)"),
    ):
        sub = command(name, handler, words, slot_commands)
        sub.add_argument("day", help="mon, tue, wed, thu, fri, sat or sun")
        sub.add_argument("time", help="HH:MM, local wall time")
    command(
        "queue", _cmd_queue_post, "schedule a post in the next free posting slot", post_commands
    ).add_argument("id")
    queue = command("queue", _cmd_queue, "list the queued posts in order")
    queue.add_argument("--json", action="store_true", help="print a JSON array")
