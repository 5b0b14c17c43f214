"""The subset of KQL the dashboard spec may use, parsed so that it can be checked and run.

Kibana itself parses the KQL of a panel; we parse the same text to (1) list the fields it names,
so a test can check every one exists in es_mappings/, (2) translate it to query DSL the way
Kibana does, so the aggregation behind a panel can run on a real search engine node, and (3)
translate it to DuckDB SQL over the lake's ``comments`` view, so the same figures can be
computed from the lake. Supported: ``field : value``, ``field : "quoted"``, ``field : *``,
``field : (a or b)``, ranges ``field >= 2``, ``and``/``or``/``not`` and parentheses. Free text
without a field is rejected on purpose: it searches every field, which nobody can review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from commentscope.errors import DashboardStageError

RANGE_OPS = {">=": "gte", "<=": "lte", ">": "gt", "<": "lt"}
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lpar>\() | (?P<rpar>\)) |
        (?P<op>>=|<=|>|<|:) |
        (?P<quoted>"(?:[^"\\]|\\.)*") |
        (?P<word>[^\s():<>"]+)
    )""",
    re.VERBOSE,
)


_NAMES = {"rpar": "')'", "lpar": "'('", "op": "':' or a comparison"}


class KqlError(DashboardStageError, ValueError):
    """KQL outside the supported subset, with where and what to write instead."""


@dataclass(frozen=True)
class Match:
    field: str
    value: str | None  # None: ``field : *`` (exists)
    quoted: bool = False


@dataclass(frozen=True)
class Range:
    field: str
    op: str
    value: str


@dataclass(frozen=True)
class BoolNode:
    op: str  # and / or / not
    children: tuple[Node, ...]


Node = Match | Range | BoolNode


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        found = _TOKEN.match(text, pos)
        if not found or found.end() == pos:
            raise KqlError(f"cannot read KQL {text!r} at position {pos}")
        kind = found.lastgroup or ""
        value = found.group(kind)
        if kind == "word" and value.lower() in {"and", "or", "not"}:
            kind = value.lower()
        out.append((kind, value))
        pos = found.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.items = _tokens(text)
        self.pos = 0

    def peek(self) -> str | None:
        return self.items[self.pos][0] if self.pos < len(self.items) else None

    def take(self, kind: str | None = None) -> tuple[str, str]:
        wanted = _NAMES.get(kind or "", kind)
        if self.pos >= len(self.items):
            raise KqlError(f"KQL {self.text!r} ends too early" + (f": missing {wanted}" if kind else ""))
        item = self.items[self.pos]
        if kind and item[0] != kind:
            raise KqlError(f"KQL {self.text!r}: expected {wanted}, found {item[1]!r}")
        self.pos += 1
        return item

    def parse(self) -> Node | None:
        if not self.items:
            return None
        node = self.or_expr()
        if self.pos != len(self.items):
            raise KqlError(f"KQL {self.text!r}: unexpected {self.items[self.pos][1]!r}")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek() == "or":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else BoolNode("or", tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while self.peek() == "and":
            self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else BoolNode("and", tuple(parts))

    def not_expr(self) -> Node:
        if self.peek() == "not":
            self.take()
            return BoolNode("not", (self.not_expr(),))
        if self.peek() == "lpar":
            self.take()
            node = self.or_expr()
            self.take("rpar")
            return node
        return self.field_expr()

    def field_expr(self) -> Node:
        kind, field = self.take()
        if kind != "word":
            raise KqlError(f"KQL {self.text!r}: expected a field name, found {field!r}")
        if self.peek() != "op":
            raise KqlError(
                f"KQL {self.text!r}: {field!r} has no field: free-text search is not allowed in the "
                f'dashboard spec, write field : "{field}"'
            )
        _, op = self.take("op")
        if op in RANGE_OPS:
            kind, value = self.take()
            if kind not in {"word", "quoted"}:
                raise KqlError(f"KQL {self.text!r}: {field} {op} needs a value")
            return Range(field, op, _unquote(value) if kind == "quoted" else value)
        if self.peek() == "lpar":
            self.take()
            values: list[Node] = [self.value(field)]
            joiner = None
            while self.peek() in {"or", "and"}:
                joiner = joiner or self.peek()
                if self.take()[0] != joiner:
                    raise KqlError(f"KQL {self.text!r}: do not mix and/or inside {field} : (...)")
                values.append(self.value(field))
            self.take("rpar")
            return values[0] if len(values) == 1 else BoolNode(joiner or "or", tuple(values))
        return self.value(field)

    def value(self, field: str) -> Match:
        kind, value = self.take()
        if kind == "quoted":
            return Match(field, _unquote(value), quoted=True)
        if kind != "word":
            raise KqlError(f"KQL {self.text!r}: {field} : needs a value")
        if value == "*":
            return Match(field, None)
        if "*" in value:
            raise KqlError(f"KQL {self.text!r}: wildcards other than {field} : * are not supported")
        return Match(field, value)


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def parse(text: str) -> Node | None:
    """The syntax tree of ``text`` (None for an empty query)."""
    return _Parser(text or "").parse()


def fields(text: str) -> list[tuple[str, str]]:
    """Every (field, use) the query names; use is ``match``, ``exists`` or ``range``."""
    found: list[tuple[str, str]] = []

    def walk(node: Node) -> None:
        if isinstance(node, Match):
            found.append((node.field, "match" if node.value is not None else "exists"))
        elif isinstance(node, Range):
            found.append((node.field, "range"))
        else:
            for child in node.children:
                walk(child)

    tree = parse(text)
    if tree is not None:
        walk(tree)
    return found


def to_dsl(text: str) -> dict[str, Any]:
    """Query DSL as Kibana builds it from this KQL (match_phrase for quoted values, match otherwise)."""
    tree = parse(text)
    return {"match_all": {}} if tree is None else _dsl(tree)


def _dsl(node: Node) -> dict[str, Any]:
    if isinstance(node, Match):
        if node.value is None:
            return {"bool": {"should": [{"exists": {"field": node.field}}], "minimum_should_match": 1}}
        kind = "match_phrase" if node.quoted else "match"
        return {"bool": {"should": [{kind: {node.field: node.value}}], "minimum_should_match": 1}}
    if isinstance(node, Range):
        return {"range": {node.field: {RANGE_OPS[node.op]: node.value}}}
    children = [_dsl(child) for child in node.children]
    if node.op == "and":
        return {"bool": {"filter": children}}
    if node.op == "or":
        return {"bool": {"should": children, "minimum_should_match": 1}}
    return {"bool": {"must_not": children}}


def to_sql(text: str, list_fields: set[str], bool_fields: set[str] | None = None) -> str:
    """A DuckDB boolean expression over the lake's ``comments`` view for this KQL.

    ``list_fields`` are the array columns (labels, targets, ...): a match there means "contains".
    """
    tree = parse(text)
    return "TRUE" if tree is None else _sql(tree, list_fields, bool_fields or set())


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _column(field: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?", field):
        raise KqlError(f"field {field!r} cannot be used in SQL")
    return field


def _sql(node: Node, list_fields: set[str], bool_fields: set[str]) -> str:
    if isinstance(node, Match):
        column = _column(node.field)
        if node.value is None:
            if column in list_fields:
                return f"(len({column}) > 0)"
            return f"({column} IS NOT NULL)"
        if column in list_fields:
            return f"list_contains({column}, {_literal(node.value)})"
        if column in bool_fields:
            if node.value.lower() not in {"true", "false"}:
                raise KqlError(f"{column} is true or false, not {node.value!r}")
            return f"({column} = {node.value.lower()})"
        return f"(CAST({column} AS VARCHAR) = {_literal(node.value)})"
    if isinstance(node, Range):
        value = node.value if re.fullmatch(r"-?\d+(\.\d+)?", node.value) else _literal(node.value)
        return f"({_column(node.field)} {node.op} {value})"
    parts = [_sql(child, list_fields, bool_fields) for child in node.children]
    if node.op == "not":
        return f"(NOT {parts[0]})"
    return "(" + f" {node.op.upper()} ".join(parts) + ")"
