"""Safe YAML loading that remembers the source line of every mapping key and list item."""

from __future__ import annotations

import re
from typing import Any

import yaml

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.support.chars import FORBIDDEN


class YamlMap(dict[str, Any]):
    """A mapping from YAML that knows its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class YamlList(list[Any]):
    """A sequence from YAML that knows its own line and each item's line (1-based)."""

    line: int = 0
    item_lines: list[int]


# Values a YAML text may hold once its aliases are expanded: a big data table has a few thousand;
# "billion laughs" (aliases of aliases) has 10^9 and would hang every walk over the data.
MAX_YAML_VALUES = 100_000
# Levels of lists and mappings: a deck's deepest YAML (a data table cell) has four. PyYAML composes and
# constructs by recursion, and so do the walks over the data, so a deeper text is refused before that.
MAX_YAML_DEPTH = 100
# Python reads and prints no integer past 4,300 digits (a ValueError, at once or later in str()).
MAX_INT_DIGITS = 4_300
_INT_LIMIT = 10**MAX_INT_DIGITS
_MAX_CHAR_WARNINGS = 20
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_UNUSUAL = re.compile(f"{FORBIDDEN.pattern}|[\u2028\u2029]")


class _Refused(Exception):
    """A YAML text deckwright will not load; `mark` is where in the text the problem is."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark, self.message = mark, message


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) whose mappings and sequences keep line numbers.

    It also keeps what it noticed but could load (duplicate keys, characters removed), and
    refuses what would break a build later: too deep, impossible dates, numbers Python cannot print.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.duplicates: list[tuple[int, int, str]] = []  # (0-based line, first line (0-based), key)
        self.removed: list[tuple[int, list[str]]] = []  # (0-based line, characters removed there)

    # PyYAML composes nested lists and mappings by recursion: refused before Python's stack runs out.
    def compose_sequence_node(self, anchor: Any) -> yaml.SequenceNode:
        self._descend()
        try:
            return super().compose_sequence_node(anchor)
        finally:
            self.depth -= 1

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:
        self._descend()
        try:
            return super().compose_mapping_node(anchor)
        finally:
            self.depth -= 1

    def _descend(self) -> None:
        if self.depth >= MAX_YAML_DEPTH:
            raise _Refused(self.peek_event().start_mark, _too_deep())  # type: ignore[no-untyped-call]
        self.depth += 1


def _too_deep() -> str:
    return f"YAML refused: lists and mappings nested more than {MAX_YAML_DEPTH} levels deep"


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    own = {id(key_node) for key_node, _ in node.value}
    loader.flatten_mapping(node)  # keys merged in with `<<:` come first: the mapping's own override them
    result = YamlMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    first: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        # Keys are compared as text: `yes:` or `1:` as keys would otherwise surprise.
        key = str(key) if not isinstance(key, str) else key
        line = key_node.start_mark.line
        if id(key_node) in own:
            # A key given twice keeps the last value (as PyYAML and pandoc do), but never silently.
            if key in first:
                loader.duplicates.append((line, first[key], key))
            else:
                first[key] = line
        result[key] = loader.construct_object(value_node, deep=True)  # type: ignore[no-untyped-call]
        result.key_lines[key] = line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(
        loader.construct_object(child, deep=True)  # type: ignore[no-untyped-call]
        for child in node.value
    )
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    value = str(loader.construct_scalar(node))  # type: ignore[no-untyped-call]
    if not _UNUSUAL.search(value):
        return value
    # U+2028/U+2029 separate lines and paragraphs: as spaces, as a Markdown line end inside a paragraph
    # is drawn; as themselves the text layout (raqm) fails on U+2029, and each output shows them its own way.
    value = value.replace("\u2028", " ").replace("\u2029", " ")
    # Escapes ("\ud800", "\x07") write what no file can hold: a surrogate pair (JSON's way of writing
    # an emoji) is the character it stands for; lone surrogates and control characters are removed.
    value = _SURROGATE_PAIR.sub(lambda m: (m.group().encode("utf-16-le", "surrogatepass")
                                          .decode("utf-16-le")), value)
    found = FORBIDDEN.findall(value)
    if found:
        loader.removed.append((node.start_mark.line, found))
    return FORBIDDEN.sub("", value)


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    try:
        value: int | None = loader.construct_yaml_int(node)  # type: ignore[no-untyped-call]
    except ValueError:  # int() of more than 4,300 decimal digits
        value = None
    # 0x, 0b and 60-based numbers of any length are read, but could not be printed.
    if value is None or not -_INT_LIMIT < value < _INT_LIMIT:
        raise _Refused(node.start_mark, f"a number of more than {MAX_INT_DIGITS:,} digits is refused "
                                        "(quote it to keep it as text)")
    return value


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[no-untyped-call]
    except (ValueError, OverflowError) as exc:  # 2026-02-30, year 0, month 13, a 99-hour time zone
        reason = "its time zone is 24 hours or more from UTC" if "offset" in str(exc) else str(exc)
        raise _Refused(node.start_mark, f"'{node.value}' is not a real date ({reason}); "
                                        "quote it to keep it as text") from None


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _construct_sequence,  # type: ignore[arg-type]
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    _construct_str,  # type: ignore[arg-type]
)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)  # type: ignore[arg-type]
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)  # type: ignore[arg-type]


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text safely; line numbers are offset so that line 1 of `text` is `first_line`.

    Returns (data, diagnostics). With an error among them (broken YAML, too big or too deep, an
    impossible date, a number too long) data is None; warnings (a key given twice, characters
    slides cannot hold removed) come with the data: check with `has_errors`, not `if diagnostics`.
    """
    text, literal = _yaml_only_line_ends(text)
    try:
        loader = _LineLoader(text)  # the reader checks every character first
    except yaml.reader.ReaderError as exc:
        return None, [_reader_error(exc, text, path, first_line)]
    try:
        node = loader.get_single_node()  # type: ignore[no-untyped-call]
        problem = _too_big(node) if node is not None else None
        if problem is not None:
            return None, [error(SourceRef(path, first_line + problem[0]), problem[1])]
        data = loader.construct_document(node) if node is not None else None  # type: ignore[no-untyped-call]
    except _Refused as exc:
        return None, [error(SourceRef(path, first_line + exc.mark.line), exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem_text = exc.problem or exc.context or "invalid YAML"
        return None, [error(SourceRef(path, line), f"invalid YAML: {problem_text}")]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_error(exc, text, path, first_line)]
    except yaml.YAMLError as exc:
        return None, [error(SourceRef(path, first_line), f"invalid YAML: {exc}")]
    except RecursionError:  # only when called with little stack left: the depth limit comes first
        return None, [error(SourceRef(path, first_line), _too_deep())]
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    if first_line != 1:
        _shift_lines(data, first_line - 1, set())
    return data, _warnings(loader, literal, path, first_line)


def _yaml_only_line_ends(text: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """The text without what YAML 1.1 (PyYAML) reads as a line end and an editor does not, so that
    lines are counted as the user sees them, and a value or comment is not cut there.

    U+0085 (NEL) is removed, as from Markdown (in a file it is mojibake: "…" in cp1252); U+2028 and
    U+2029 become spaces, as when written as escapes. Returns the text and the NELs by 0-based line.
    """
    if "\x85" in text:
        found = [(n, ["\x85"] * line.count("\x85"))
                 for n, line in enumerate(text.split("\n")) if "\x85" in line]
        text = text.replace("\x85", "")
    else:
        found = []
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", " ").replace("\u2029", " ")
    return text, found


def _reader_error(exc: yaml.reader.ReaderError, text: str, path: str, first_line: int) -> Diagnostic:
    """A character YAML does not allow, at its line (PyYAML gives its position in the text)."""
    line = first_line + text.count("\n", 0, exc.position)
    if exc.encoding == "unicode":  # text is given as str: no decoding problems, only characters
        problem = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
    else:
        problem = str(exc).split("\n")[0]
    return error(SourceRef(path, line), f"invalid YAML: {problem}")


def _warnings(loader: _LineLoader, literal: list[tuple[int, list[str]]], path: str,
              first_line: int) -> list[Diagnostic]:
    notes: list[tuple[int, str]] = [
        (line, f"duplicate key '{key}' (first at line {first_line + first}); the last one is used")
        for line, first, key in loader.duplicates]
    removed = sorted(literal + loader.removed, key=lambda item: item[0])
    for line, found in removed[:_MAX_CHAR_WARNINGS]:
        codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
        lone = sum(0xD800 <= ord(c) <= 0xDFFF for c in found)
        what = ("lone surrogate(s)" if lone == len(found) else "control character(s)" if not lone
                else "character(s)")
        notes.append((line, f"removed {len(found)} {what} ({codes}) that slides cannot hold"))
    if len(removed) > _MAX_CHAR_WARNINGS:
        notes.append((removed[_MAX_CHAR_WARNINGS][0],
                      f"characters slides cannot hold were removed from {len(removed) - _MAX_CHAR_WARNINGS} "
                      "more values"))
    return [warning(SourceRef(path, first_line + line), message) for line, message in sorted(notes)]


def _too_big(root: yaml.Node) -> tuple[int, str] | None:
    """(0-based line, message) when the document expands past MAX_YAML_VALUES, nests past
    MAX_YAML_DEPTH once its aliases are followed, or refers to itself."""
    sizes: dict[int, int] = {}  # expanded size by node: an alias is counted where it is used
    depths: dict[int, int] = {}  # levels of lists and mappings, aliases followed (they are built so)
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
        if isinstance(node, yaml.CollectionNode):
            depths[id(node)] = 1 + max((depths.get(id(c), 0) for c in children), default=0)
            if depths[id(node)] > MAX_YAML_DEPTH:
                return node.start_mark.line, f"{_too_deep()} (aliases followed)"
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
