"""Reading latex2mathml's MathML tree for Office Math: names, token text, fences, function names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeAlias

from lxml import etree

from deckwright.writers.common.math import tables as t

El: TypeAlias = etree._Element
TOKEN_SPACE = " \t\r\n"  # noqa: S105 (MathML trims these around token text)
_LENGTH = re.compile(r"^\s*(-?[0-9]*\.?[0-9]+)\s*(em|ex|px|pt|mu)?\s*$")
_UNIT_EM = {"em": 1.0, "ex": 0.43, "px": 1 / 16, "pt": 1 / 12, "mu": 1 / 18}
# Containers whose children are read as one row (no structure of their own in OMML).
TRANSPARENT = frozenset({"math", "mrow", "mstyle", "mpadded", "mphantom", "menclose", "merror",
                         "semantics", "maction"})
DROPPED = frozenset({"annotation", "annotation-xml", "none", "mprescripts", "malignmark",
                     "maligngroup"})
UNDER_OVER = frozenset({"munder", "mover", "munderover"})
SCRIPTS = frozenset({"msub", "msup", "msubsup"})
# Children each fixed-arity element must have; with any other number it is malformed, and its
# children are written one after another so that none is lost.
ARITY = {"msub": 2, "msup": 2, "munder": 2, "mover": 2, "mfrac": 2, "mroot": 2, "msubsup": 3,
         "munderover": 3}


def name(el: El) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def kids(el: El) -> list[El]:
    return [k for k in el if isinstance(k.tag, str) and name(k) not in DROPPED]


def well_formed(el: El) -> bool:
    arity = ARITY.get(name(el))
    return arity is None or len(kids(el)) == arity


def text(el: El) -> str:
    return "".join(el.itertext()).strip(TOKEN_SPACE)


def mo(el: El | None) -> str | None:
    """The text of an mo (or of an mi holding a fence, as latex2mathml writes \\langle), else None."""
    if el is None:
        return None
    tag = name(el)
    if tag == "mo":
        return text(el)
    value = text(el) if tag == "mi" else ""
    return value if len(value) == 1 and (value in t.OPENERS or value in t.CLOSERS) else None


def left(el: El) -> bool:
    """\\left…: latex2mathml marks it fence="true" form="prefix" (and writes \\left. as an empty mo)."""
    return name(el) == "mo" and el.get("fence") == "true" and el.get("form") == "prefix"


def right(el: El) -> bool:
    return name(el) == "mo" and el.get("fence") == "true" and el.get("form") == "postfix"


def single(el: El) -> El:
    """An mrow of one child is that child (latex2mathml wraps most arguments in an mrow)."""
    while name(el) in ("mrow", "mstyle"):
        children = kids(el)
        if len(children) != 1:
            break
        el = children[0]
    return el


def nary_char(el: El) -> str | None:
    value = text(el) if name(el) in ("mo", "mi") else ""
    return value if len(value) == 1 and value in t.NARY else None


def words(el: El) -> str:
    return " ".join(text(el).split())  # \limsup is "lim", a six-per-em space, "sup"


def limit_name(el: El) -> bool:
    return name(el) in ("mo", "mi") and words(el) in t.LIMIT_NAMES


def is_function(el: El) -> bool:
    """A function's name: a known one, or any word in an mi/mo (\\operatorname; letters are single mi)."""
    if name(el) not in ("mo", "mi"):
        return False
    word = words(el)
    return word in t.FUNCTION_NAMES or (len(word) > 1 and word.replace(" ", "").isalpha())


def space_em(el: El) -> float:
    width = (el.get("width") or "").strip()
    if width in t.NAMED_SPACES:
        return t.NAMED_SPACES[width]
    found = _LENGTH.match(width)
    if not found:
        return 0.0
    return float(found.group(1)) * _UNIT_EM[found.group(2) or "em"]


def match_left(row: Sequence[El], i: int) -> int | None:
    """The \\right closing the \\left at i: only marked fences count, whatever their characters."""
    level = 0
    for j in range(i + 1, len(row)):
        level += left(row[j]) - right(row[j])
        if level < 0:
            return j
    return None


def match(row: Sequence[El], i: int) -> int | None:
    """The index of the fence closing the opener at i, or None when it is not closed in this row."""
    if left(row[i]):
        return match_left(row, i)
    opener = mo(row[i]) or ""
    depth = 0
    for j in range(i + 1, len(row)):
        value = mo(row[j])
        if value is None:
            continue
        if opener in t.SYMMETRIC:
            if value == opener and depth == 0:
                return j
        elif depth == 0 and value in t.CLOSERS:
            return j
        if value in t.OPENERS:
            depth += 1
        elif value in t.CLOSERS:
            depth -= 1
            if depth < 0:
                return None
    return None


def opens(el: El) -> bool:
    value = mo(el)
    return left(el) or (value is not None and (value in t.OPENERS or value in t.SYMMETRIC))
