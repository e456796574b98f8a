"""Memoised parsing and rendering: a rebuild after an edit redoes only what the edit changed."""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, Generic, ParamSpec, TypeVar

from markdown_it.token import Token

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
P = ParamSpec("P")
R = TypeVar("R")


class Unhashable(TypeError):
    """A value that cannot be part of a cache key: the call is not memoised."""


# Every memo, so that `sweep` reaches them all.
_ALL: list[Memo[Any, Any]] = []


class Memo(Generic[K, V]):
    """A thread-safe map of the most recently used results, at most `size` of them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._used: set[K] = set()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        _ALL.append(self)

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self._used.add(key)
            self.hits += 1
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            self._used.add(key)
            while len(self._items) > self.size:
                self._used.discard(self._items.popitem(last=False)[0])

    def sweep(self) -> None:
        """Keep only what was used since the last sweep (the previous versions of edited files)."""
        with self._lock:
            for key in [k for k in self._items if k not in self._used]:
                del self._items[key]
            self._used.clear()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._used.clear()

    def __len__(self) -> int:
        return len(self._items)


class Tokens(list[Token]):
    """Tokens returned by the cached `parse`: they remember the text they were parsed from."""

    key: Hashable = None


def freeze(value: object) -> Hashable:
    """A hashable stand-in for a value made of mappings, sequences, dataclasses and scalars.

    Equal values freeze equal; a value that cannot be frozen raises `Unhashable`.
    """
    if isinstance(value, Tokens):
        if value.key is None:
            raise Unhashable("tokens of unknown origin")
        return ("tokens", value.key)
    if value is None or isinstance(value, str | bytes | int | float | bool | Path | Enum):
        return value
    if isinstance(value, Mapping):
        # Key order does not matter to a mapping's value; sorting by the key's text is cheap.
        items = tuple(sorted(((freeze(k), freeze(v)) for k, v in value.items()), key=_key_text))
        # Dict subclasses carry extras (Meta.lines, YamlMap.key_lines) that readers use.
        extra = freeze(vars(value)) if hasattr(value, "__dict__") and vars(value) else None
        return ("map", type(value).__name__, items, extra)
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(freeze(v) for v in value))
    if isinstance(value, set | frozenset):
        return ("set", frozenset(freeze(v) for v in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _freeze_dataclass(value)
    try:
        hash(value)
    except TypeError as exc:
        raise Unhashable(type(value).__name__) from exc
    return value


# Frozen forms of immutable objects by identity (the object is kept so its id is not reused):
# one build passes the same data tables to every file's reader.
_BY_ID: OrderedDict[int, tuple[object, Hashable]] = OrderedDict()
_BY_ID_LOCK = threading.Lock()


def _freeze_dataclass(value: Any) -> Hashable:
    try:
        return (type(value).__name__, hash(value), value)
    except TypeError:
        pass
    frozen_class = type(value).__dataclass_params__.frozen
    if frozen_class:
        with _BY_ID_LOCK:
            known = _BY_ID.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
    result = (type(value).__name__, tuple((f.name, freeze(getattr(value, f.name)))
                                          for f in dataclasses.fields(value)))
    if frozen_class:
        with _BY_ID_LOCK:
            _BY_ID[id(value)] = (value, result)
            while len(_BY_ID) > 4096:
                _BY_ID.popitem(last=False)
    return result


def _key_text(item: tuple[Hashable, Hashable]) -> str:
    key = item[0]
    return key if isinstance(key, str) else repr(key)


def _copy(value: R) -> R:
    """A shallow copy of lists and dicts (also inside a tuple), so callers cannot change the cache."""
    if isinstance(value, Tokens):
        copied = Tokens(value)
        copied.key = value.key
        return copied  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, list | dict) and not hasattr(value, "__dict__"):
        return value.copy()  # type: ignore[return-value]
    if isinstance(value, dict):
        copied_map = type(value)(value)
        copied_map.__dict__.update(vars(value))
        return copied_map  # type: ignore[return-value]
    return value


# Caches whose results depend on files other than their arguments (images a slide refers to):
# a watcher clears them when such a file changes (see `forget_file_results`).
_FILE_DEPENDENT: list[Memo[Any, Any]] = []


def memoise(fn: Callable[P, R], size: int = 512, *, reads_files: bool = False) -> Callable[P, R]:
    """`fn` with its results remembered by argument value; arguments that cannot be keyed call through."""
    memo: Memo[Hashable, R] = Memo(size)
    if reads_files:
        _FILE_DEPENDENT.append(memo)

    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            key = freeze((args, kwargs))
        except Unhashable:
            return fn(*args, **kwargs)
        found = memo.get(key)
        if found is None:
            found = fn(*args, **kwargs)
            memo.put(key, found)
        return _copy(found)

    call.memo = memo  # type: ignore[attr-defined]
    call.__doc__ = fn.__doc__
    call.__name__ = fn.__name__
    return call


def sweep() -> None:
    """After a good build: drop results that build did not use, so memory follows the deck's size.

    (A result for each version of an edited 400-slide file would otherwise stay until evicted.)
    """
    for memo in _ALL:
        memo.sweep()


def forget_file_results() -> None:
    """Drop results that depend on files besides the Markdown text (an image appeared or went)."""
    for memo in _FILE_DEPENDENT:
        memo.clear()


def memo_of(fn: Callable[..., Any]) -> Memo[Any, Any]:
    """The memo behind a function made by `memoise` (its hit and miss counts show what was redone)."""
    memo: Memo[Any, Any] = fn.memo  # type: ignore[attr-defined]
    return memo
