"""Reading a hand-edited YAML file that may be hostile: size, alias and depth limits, one-line errors.

PyYAML's safe loader keeps an alias as a reference, so a "billion laughs" file is small in memory
until something walks it (validation, a line lookup) and visits every expansion. Here the composed
node graph is measured first, counting each node as often as it would be expanded, and refused over
a limit before anything walks it. The size is checked before the file is read, and bad UTF-8 or a
nesting too deep for the parser become one-line errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from commentscope.errors import ConfigurationError

# A registry of 20,000 videos is about 1.7 MB; YAML parses at only a few MB per second, so a larger
# file is far more likely a mistake (or an attack) than a campaign.
MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 500_000  # scalars, lists and mappings, after alias expansion
MAX_DEPTH = 64

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: about 10x faster on large files


class YamlLimitError(ConfigurationError, ValueError):
    """The file is not readable YAML or is over a limit; the message is one line with the fix."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _expanded_size(root: yaml.Node) -> int:
    """Nodes in the document with aliases expanded, without expanding them (memoised, iterative)."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            if size[key] > MAX_NODES:
                raise YamlLimitError(
                    f"more than {MAX_NODES:,} values once its aliases (*name) are expanded "
                    "(fix: write the values out instead of nesting aliases)"
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise YamlLimitError("an alias (*name) refers to the block that contains it (fix: remove the loop)")
        if depth > MAX_DEPTH:
            raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep (fix: flatten the structure)")
        on_path.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if isinstance(child, yaml.ScalarNode):
                size[id(child)] = 1
            elif id(child) not in size:
                stack.append((child, depth + 1, False))
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlLimitError(
            f"line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}) "
            "(fix: save the file as UTF-8 in your editor)"
        ) from None


def load_limited(path: Path, max_bytes: int = MAX_BYTES) -> tuple[Any, yaml.Node | None]:
    """The document's data and its node tree (for line numbers), or YamlLimitError with the line."""
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlLimitError(
            f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit for this file "
            "(fix: check it is the right file; split a very large campaign into several registries)"
        )
    text = _decode(path, path.read_bytes())
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _expanded_size(node)
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        what = _one_line(" ".join(p for p in (exc.context, exc.problem) if p))
        raise YamlLimitError(f"{where}not valid YAML: {what} (fix: check indentation and quotes)") from None
    except yaml.YAMLError as exc:
        raise YamlLimitError(f"not valid YAML: {_one_line(str(exc))} (fix: check indentation and quotes)") from None
    except RecursionError:
        raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep (fix: flatten the structure)") from None
    finally:
        loader.dispose()


def line_of(root: yaml.Node | None, loc: tuple) -> int:
    """The 1-based line of the deepest node on ``loc`` (keys and list indexes) that exists."""
    if root is None:
        return 1
    node, line = root, root.start_mark.line + 1
    for step in loc:
        found = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                    line = key_node.start_mark.line + 1
                    found = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            found = node.value[step]
            line = found.start_mark.line + 1
        if found is None:
            break
        node = found
    return line
