"""Python's cyclic garbage collector during and after the window's start-up.

A start-up imports Qt, SQLAlchemy and the first tab: hundreds of thousands of objects that live
as long as the process. The collector, seeing that many new objects, runs ~200 times while they
are made (70-85 ms of a 0.6 s start, measured with gc.callbacks) and finds almost nothing to free
(under a thousand objects). Once they are all made, every full collection walks them again: one
takes 65-90 ms on the GUI thread, a stall a user feels, for objects that never go away.

So the collector waits until the first tab shows its data, then everything alive at that moment
is moved out of its sight (gc.freeze) and it runs as usual on what comes after. What start-up
left for it (a few hundred objects) stays in memory; that is what freezing costs.
"""

from __future__ import annotations

import gc

_held = False  # hold() stopped the collector: release() starts it again
_frozen = False


def hold() -> None:
    """At the very start of the window's process: no collections while start-up builds."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Once start-up is over (its first data shown, or it gave up): what is alive now is kept out
    of every later collection, and collecting resumes if hold() stopped it. Once per process:
    later calls (another window's start) change nothing."""
    global _held, _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
    if _held:
        _held = False
        gc.enable()


def state() -> str:
    """For --smoke's report: whether the collector runs, and how much it no longer walks."""
    running = "running" if gc.isenabled() else "held"
    return f"{running}, {gc.get_freeze_count()} objects set aside"
