"""Safe YAML loading that remembers the source line of every mapping key and list item."""

from __future__ import annotations

from typing import Any

import yaml

from deckwright.diagnostics import Diagnostic, SourceRef, error


class YamlMap(dict[str, Any]):
    """A mapping from YAML that knows its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class YamlList(list[Any]):
    """A sequence from YAML that knows its own line and each item's line (1-based)."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) whose mappings and sequences keep line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        # Keys are compared as text: `yes:` or `1:` as keys would otherwise surprise.
        key = str(key) if not isinstance(key, str) else key
        result[key] = loader.construct_object(value_node, deep=True)  # type: ignore[no-untyped-call]
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(
        loader.construct_object(child, deep=True)  # type: ignore[no-untyped-call]
        for child in node.value
    )
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _construct_sequence,  # type: ignore[arg-type]
)


# Values a YAML text may hold once its aliases are expanded: a big data table has a few thousand;
# "billion laughs" (aliases of aliases) has 10^9 and would hang every walk over the data.
MAX_YAML_VALUES = 100_000


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text safely; line numbers are offset so that line 1 of `text` is `first_line`.

    Returns (data, diagnostics); data is None when the YAML is broken, too big or too deep.
    """
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()  # type: ignore[no-untyped-call]
        problem = _too_big(node) if node is not None else None
        if problem is not None:
            return None, [error(SourceRef(path, first_line + problem[0]), problem[1])]
        data = loader.construct_document(node) if node is not None else None  # type: ignore[no-untyped-call]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem_text = exc.problem or exc.context or "invalid YAML"
        return None, [error(SourceRef(path, line), f"invalid YAML: {problem_text}")]
    except yaml.YAMLError as exc:
        return None, [error(SourceRef(path, first_line), f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [error(SourceRef(path, first_line), "invalid YAML: nested too deeply")]
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    if first_line != 1:
        _shift_lines(data, first_line - 1, set())
    return data, []


def _too_big(root: yaml.Node) -> tuple[int, str] | None:
    """(0-based line, message) when the document expands past MAX_YAML_VALUES or refers to itself."""
    sizes: dict[int, int] = {}  # expanded size by node: an alias is counted where it is used
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            if id(node) in open_nodes:
                return node.start_mark.line, "invalid YAML: an alias refers to the value that holds it"
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(id(node))
        sizes[id(node)] = min(1 + sum(sizes.get(id(c), 0) for c in children), MAX_YAML_VALUES + 1)
    if sizes[id(root)] > MAX_YAML_VALUES:
        return root.start_mark.line, (f"YAML refused: its aliases expand it to more than {MAX_YAML_VALUES:,} "
                                      "values (anchors used inside anchors)")
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _shift_lines(data: Any, offset: int, seen: set[int]) -> None:
    # An aliased value is one object used in several places: shifted once.
    if id(data) in seen:
        return
    if isinstance(data, YamlMap):
        seen.add(id(data))
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset, seen)
    elif isinstance(data, YamlList):
        seen.add(id(data))
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for value in data:
            _shift_lines(value, offset, seen)


def key_line(data: Any, key: str, default: int = 0) -> int:
    """The line of `key` in a YamlMap, else the map's own line, else `default`."""
    if isinstance(data, YamlMap):
        return data.key_lines.get(key, data.line or default)
    return default
