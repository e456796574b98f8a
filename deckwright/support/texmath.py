"""TeX to MathML (latex2mathml) with the checks and fix-ups it lacks; loaded only for decks with math."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from deckwright.support.diskcache import NO_CACHE, DiskCache, key_of, library_stamp, source_stamp

if TYPE_CHECKING:  # latex2mathml is imported lazily: a deck without math never loads it (~0.15 s).
    from xml.etree.ElementTree import Element

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
# Elements whose children are positional arguments, and how many each needs (MathML Core).
_ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "munder": 2, "mover": 2, "munderover": 3,
          "mroot": 2}
# What an author wrote to get such an element, for the message.
_WRITTEN = {"mfrac": r"\frac", "mroot": r"\sqrt[…]", "msub": "_", "msup": "^", "msubsup": "_ and ^",
            "munder": "_", "mover": "^", "munderover": "_ and ^"}
_SNIPPET = 40
# Commands latex2mathml does not know that TeX draws as nothing (equation numbering and labels) or as
# a function name like `\sin` (`\arg`): taken out of its tree, or made the name, before anything else.
_DRAWS_NOTHING = frozenset({r"\nonumber", r"\notag"})
_FUNCTION_NAMES = {r"\arg": "arg"}


class TexProblem(NamedTuple):
    """One thing wrong with a formula: where in its TeX (a character offset) and what."""

    offset: int
    message: str


def tex_problems(tex: str, cache: DiskCache = NO_CACHE) -> list[TexProblem]:
    """What latex2mathml would get wrong in silence or refuse: unbalanced braces, unknown macros,
    missing arguments (each distinct message once, in the order found). [] means `tex` is fine.

    Answers are kept in `cache` (a rebuild then loads no latex2mathml to check its formulas).
    """
    key = _key("problems", tex)
    stored = cache.get("tex", key)
    if stored is not None:
        try:
            return [TexProblem(int(at), str(message)) for at, message in json.loads(stored)]
        except (ValueError, TypeError):
            pass  # damaged: checked again and rewritten
    found = list(_problems(tex))
    cache.put("tex", key, json.dumps(found, ensure_ascii=False).encode("utf-8"))
    return found


def _key(kind: str, *parts: str) -> str:
    return key_of("tex", kind, _stamp(), *parts)


@lru_cache(maxsize=1)
def _stamp() -> str:
    """Which latex2mathml and which fix-ups (this file) computed an answer."""
    return library_stamp("latex2mathml") + ":" + source_stamp(__file__)


@lru_cache(maxsize=1024)
def _problems(tex: str) -> tuple[TexProblem, ...]:
    problems = _brace_problems(tex)
    if problems:  # latex2mathml reads unbalanced braces as text; the rest would only add noise
        return tuple(problems)
    tree, refused = _convert(tex)
    if tree is None:
        return tuple(refused)
    found: list[TexProblem] = []
    for elem in tree.iter():
        tag = _local(elem.tag)
        text = elem.text or ""
        if tag in ("mi", "mo") and len(text) > 1 and text.startswith("\\"):
            found.append(_unknown(tex, text))
        elif tag in _ARITY and len(elem) < _ARITY[tag]:
            found.append(TexProblem(0, f"{_WRITTEN[tag]} is missing an argument"))
    distinct: dict[str, TexProblem] = {}
    for problem in found:
        distinct.setdefault(problem.message, problem)
    return tuple(distinct.values())


def _unknown(tex: str, text: str) -> TexProblem:
    """An `mi`/`mo` holding a backslash command: one latex2mathml did not know."""
    name = text.split("{", 1)[0]
    if name in (r"\begin", r"\end"):
        return TexProblem(max(tex.find(text), 0), f"unknown environment {text[len(name):]}")
    return TexProblem(max(tex.find(name), 0), f"unknown command {name}")


def _convert(tex: str) -> tuple[Element | None, list[TexProblem]]:
    """latex2mathml's tree of `tex`, or None and why it refused."""
    from latex2mathml import exceptions
    from latex2mathml.converter import convert_to_element

    try:
        return _tidied(convert_to_element(_aligned_as_arrays(tex))), []
    except exceptions.MissingEndError:
        return None, [TexProblem(max(tex.find(r"\begin"), 0), r"\begin{…} without its \end{…}")]
    except exceptions.ExtraLeftOrMissingRightError:
        return None, [TexProblem(max(tex.find(r"\left"), 0), r"\left without its \right")]
    except exceptions.MissingSuperScriptOrSubscriptError:
        return None, [TexProblem(_last_of(tex, "^_"), "`^` or `_` without what it puts up or down")]
    except exceptions.NoAvailableTokensError:
        return None, [TexProblem(len(tex.rstrip()), "a command at the end is missing its argument")]
    except Exception as exc:  # latex2mathml raises many types (and IndexError…) on bad input
        return None, [TexProblem(0, f"latex2mathml cannot read it ({_words(type(exc).__name__)})")]


def describe(tex: str, problem: TexProblem, display: bool) -> str:
    """The warning for a problem in a formula, quoting the formula as written."""
    formula = " ".join(tex.split())
    if len(formula) > _SNIPPET:
        formula = formula[:_SNIPPET - 1] + "…"
    fence = "$$" if display else "$"
    return f"bad TeX in {fence}{formula}{fence}: {problem.message}; shown as its TeX source"


def to_mathml(tex: str, display: bool, cache: DiskCache = NO_CACHE) -> str:
    """The MathML of a formula that `tex_problems` passed: one `<math>` element, the TeX kept
    as its `application/x-tex` annotation (screen readers and copy-paste read it). Kept in `cache`."""
    key = _key("mathml", "display" if display else "inline", tex)
    stored = cache.get("tex", key)
    if stored is not None:
        try:
            return stored.decode("utf-8")
        except UnicodeDecodeError:
            pass
    mathml = _to_mathml(tex, display)
    cache.put("tex", key, mathml.encode("utf-8"))
    return mathml


@lru_cache(maxsize=1024)
def _to_mathml(tex: str, display: bool) -> str:
    from xml.etree.ElementTree import Element, SubElement, tostring

    from latex2mathml.converter import convert_to_element

    tree = _tidied(convert_to_element(_aligned_as_arrays(tex), display="block" if display else "inline"))
    for elem in tree.iter():
        # latex2mathml writes characters as entity text (`&#x0002B;`); make them characters so
        # the tree serialises to plain XML.
        if elem.text:
            elem.text = html.unescape(elem.text)
    if display:
        _limits_under(tree)
    _apply_functions(tree)
    body = list(tree)
    math = Element("math", {"xmlns": MATHML_NS, **({"display": "block"} if display else {})})
    semantics = SubElement(math, "semantics")
    # <semantics> holds one presentation element, then the annotation.
    if len(body) == 1:
        semantics.append(body[0])
    else:
        SubElement(semantics, "mrow").extend(body)
    SubElement(semantics, "annotation", encoding="application/x-tex").text = tex
    return tostring(math, encoding="unicode", short_empty_elements=True)


# Environments latex2mathml reads as one row, showing each `&` as a letter: as arrays, whose
# columns alternate right and left alignment as amsmath's do (a "gathered" has one centred column).
_AS_ARRAY = {"aligned": "rlrlrlrl", "split": "rl", "align*": "rlrlrlrl", "gathered": "c", "gather*": "c"}


def _aligned_as_arrays(tex: str) -> str:
    if "\\begin" not in tex:
        return tex
    for name, columns in _AS_ARRAY.items():
        if f"\\begin{{{name}}}" in tex:
            tex = tex.replace(f"\\begin{{{name}}}", f"\\begin{{array}}{{{columns}}}").replace(
                f"\\end{{{name}}}", "\\end{array}")
    return tex


def _tidied(tree: Element) -> Element:
    """latex2mathml's tree without `\\label{…}`, `\\nonumber`, `\\notag`; `\\arg` made a name."""
    for parent in list(tree.iter()):
        children = list(parent)
        for index, child in enumerate(children):
            text = child.text or ""
            if _local(child.tag) not in ("mi", "mo") or not text.startswith("\\"):
                continue
            if text in _FUNCTION_NAMES:
                child.tag, child.text = "mi", _FUNCTION_NAMES[text]
            elif text in _DRAWS_NOTHING:
                parent.remove(child)
            elif text == r"\label":
                parent.remove(child)
                if index + 1 < len(children) and children[index + 1] in parent:
                    parent.remove(children[index + 1])  # its {name}
    return tree


def _limits_under(tree: Element) -> None:
    """In display math, `\\lim_{x→0}` puts its limit under the word (latex2mathml writes a
    subscript, which browsers draw beside it: they apply movablelimits to munder only)."""
    words = _limit_words()
    for elem in tree.iter():
        tag = _local(elem.tag)
        if tag in ("msub", "msubsup") and len(elem) and _local(elem[0].tag) == "mo" \
                and (elem[0].text or "") in words:
            elem.tag = "munder" if tag == "msub" else "munderover"


def _apply_functions(tree: Element) -> None:
    """After `\\sin`, `\\log_2`…: U+2061 FUNCTION APPLICATION, and TeX's thin space unless an
    operator or fence follows (`\\sin x`, but `\\sin(x)`)."""
    from xml.etree.ElementTree import Element

    names = _function_words()
    for parent in list(tree.iter()):
        if _local(parent.tag) in _ARITY:  # positional children: `\log_2` is msub(log, 2) as it is
            continue
        children = list(parent)
        for index in range(len(children) - 1, -1, -1):
            child = children[index]
            base = child[0] if _local(child.tag) in ("msub", "msup", "msubsup") and len(child) else child
            if _local(base.tag) != "mi" or (base.text or "") not in names or index + 1 >= len(children):
                continue
            following = children[index + 1]
            at = index + 1
            apply = Element("mo")
            apply.text = "\u2061"
            parent.insert(at, apply)
            if _local(following.tag) != "mo":
                parent.insert(at + 1, Element("mspace", width="0.1667em"))


@lru_cache(maxsize=1)
def _limit_words() -> frozenset[str]:
    from latex2mathml import commands
    from latex2mathml.converter import MOVABLE_LIMIT_TEXTS

    return frozenset({c[1:] for c in commands.LIMIT}
                     | {html.unescape(v) for k, v in MOVABLE_LIMIT_TEXTS.items() if k != commands.INTOP})


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from latex2mathml import commands

    return frozenset(c[1:] for c in commands.FUNCTIONS) | frozenset(_FUNCTION_NAMES.values())


def _brace_problems(tex: str) -> list[TexProblem]:
    """Braces that do not pair up (`\\{`, `\\}` are characters; `%` starts a comment)."""
    opened: list[int] = []
    index = 0
    while index < len(tex):
        char = tex[index]
        if char == "\\":
            index += 2
            continue
        if char == "%":
            end = tex.find("\n", index)
            index = len(tex) if end < 0 else end
            continue
        if char == "{":
            opened.append(index)
        elif char == "}":
            if not opened:
                return [TexProblem(index, "unbalanced braces: a `}` closes no `{`")]
            opened.pop()
        index += 1
    if opened:
        return [TexProblem(opened[-1], "unbalanced braces: a `{` is never closed")]
    return []


def _last_of(tex: str, chars: str) -> int:
    return max((tex.rfind(c) for c in chars), default=0)


def _words(name: str) -> str:
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name.removesuffix("Error")).strip()


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]
