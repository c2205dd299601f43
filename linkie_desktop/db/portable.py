"""SQL that each database spells its own way: one name here, the right words for SQLite and
for PostgreSQL when the statement is compiled."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal


class position_of(FunctionElement[int]):  # noqa: N801 - reads as the SQL function it is
    """1-based place of `needle` in `haystack`, 0 when absent: SQLite's instr(), PostgreSQL's
    strpos()."""

    type = Integer()
    inherit_cache = True


@compiles(position_of)
def _instr(element: position_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(position_of, "postgresql")
def _strpos(element: position_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


class off_index(ColumnElement[Any]):  # noqa: N801
    """A column SQLite must not look up through its index (its documented unary `+`): where an
    index on this column would read far more rows than another index of the query. PostgreSQL's
    planner weighs the indexes by their statistics and needs no hint: the column as it is."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]  # noqa: RUF012 - as SQLAlchemy declares it

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(off_index)
def _unary_plus(element: off_index, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+{compiler.process(element.column, **kw)}"


@compiles(off_index, "postgresql")
def _as_is(element: off_index, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.column, **kw))
