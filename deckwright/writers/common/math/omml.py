"""MathML (as latex2mathml writes it) to Office Math (OMML) as PowerPoint writes it inside a14:m."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from lxml import etree

from deckwright.writers.common.math import mathml_tree as mt
from deckwright.writers.common.math import tables as t
from deckwright.writers.common.math.mathml_tree import El

# Characters XML 1.0 cannot hold (they could come only from the text fallback for broken input).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    """Text for element content (xml.sax.saxutils would import urllib, about 90 ms)."""
    return _XML_BAD.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quoteattr(text: str) -> str:
    return '"' + _escape(text).replace('"', "&quot;") + '"'


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                          remove_pis=True, huge_tree=False)


def mathml_to_omml(mathml: str, *, display: bool, color: str | None = None,
                   font: str = "Cambria Math") -> str:
    """The m:oMath (inline) or m:oMathPara (display) of one MathML formula, declaring only xmlns:m.

    The a: prefix of each run's DrawingML properties is the slide's own; the caller puts the result
    inside a14:m. color is RRGGBB (a leading # is dropped), written into every run and every structure
    (fraction bars, radicals, fences), and font goes in each run's a:latin and a:cs. Elements this
    converter does not know are written as their text, so no text is lost.
    """
    writer = _Writer(display=display, color=color, font=font)
    try:
        root = etree.fromstring(mathml.encode(), _PARSER)
    except etree.XMLSyntaxError:
        # Not MathML after all: its text, untouched, rather than nothing.
        body = writer.run(html.unescape(re.sub(r"<[^>]*>", "", mathml)), "p")
    else:
        body = writer.row(mt.kids(root)) if mt.name(root) in mt.TRANSPARENT else writer.node(root)
    math = f'<m:oMath xmlns:m="{t.NS_M}">{body}</m:oMath>'
    if not display:
        return math
    return (f'<m:oMathPara xmlns:m="{t.NS_M}"><m:oMathParaPr><m:jc m:val="centerGroup"/>'
            f"</m:oMathParaPr>{math}</m:oMathPara>")


class _Writer:
    """One formula's conversion: the run properties are worked out once and reused by every run."""

    def __init__(self, *, display: bool, color: str | None, font: str) -> None:
        self.display = display
        fill = ""
        if color:
            fill = f'<a:solidFill><a:srgbClr val="{_escape(color.lstrip("#").upper())}"/></a:solidFill>'
        extra = t.PANOSE.get(font, "")
        face = f"typeface={_quoteattr(font)}" + (f" {extra}" if extra else "")
        fonts = f"<a:latin {face}/><a:cs {face}/>"
        # PowerPoint writes b and i on every math run, italic only for the default (variable) style.
        self._rpr = {
            (b, i): f'<a:rPr lang="en-US" b="{b}" i="{i}">{fill}{fonts}</a:rPr>'
            for b in "01" for i in "01"
        }
        self._ctrl = f"<m:ctrlPr>{self._rpr['0', '1']}</m:ctrlPr>"

    # ----------------------------------------------------------------- runs

    def run(self, text: str, sty: str | None, *, normal: bool = False) -> str:
        """One m:r: sty None is OMML's default math style (italic letters), else p, b, i or bi."""
        if not text:
            return ""
        if normal:
            mpr, bold, italic = "<m:rPr><m:nor/></m:rPr>", "0", "0"
        elif sty is None:
            mpr, bold, italic = "", "0", "1"
        else:
            mpr = f'<m:rPr><m:sty m:val="{sty}"/></m:rPr>'
            bold, italic = ("1" if "b" in sty else "0"), ("1" if "i" in sty else "0")
        keep = ' xml:space="preserve"' if text != text.strip(" ") else ""
        return f"<m:r>{mpr}{self._rpr[bold, italic]}<m:t{keep}>{_escape(text)}</m:t></m:r>"

    def token(self, el: El) -> str:
        name = mt.name(el)
        text = mt.text(el) if name != "mtext" else "".join(el.itertext())
        if name == "mtext":
            return self.run(text, None, normal=True)
        variant = el.get("mathvariant", "")
        styles = {"normal": "p", "bold": "b", "italic": "i", "bold-italic": "bi"}
        if variant in styles:
            return self.run(text, styles[variant])
        if name == "mi" and len(text) == 1 and text.isalpha() and ord(text) < 0x1D400 \
                and not "Α" <= text <= "Ω":
            return self.run(text, None)
        return self.run(text, "p")

    def space(self, el: El) -> str:
        width = mt.space_em(el)
        if width <= 0:
            return ""  # a negative or zero space (\!, a line break) has nothing to show
        for limit, char in t.SPACES:
            if width < limit:
                return self.run(char, "p")
        return self.run(t.EM_SPACE * max(1, round(width)), "p")

    # ----------------------------------------------------------------- rows

    def arg(self, el: El | None) -> str:
        """The content of an m:e, m:num, m:sub …: a row for mrow-like elements, else one node."""
        if el is None:
            return ""
        return self.row(mt.kids(el)) if mt.name(el) in mt.TRANSPARENT else self.node(el)

    def row(self, kids: Sequence[El]) -> str:
        out: list[str] = []
        i = 0
        while i < len(kids):
            el = kids[i]
            nary = self.nary_parts(el)
            if nary is not None:
                end = self._operand_end(kids, i + 1)
                out.append(self.nary(*nary, operand=self.row(kids[i + 1:end])))
                i = end
                continue
            if self._function_like(kids, i):
                start = self._skip_apply(kids, i + 1)
                end = self._func_end(kids, start)
                out.append(self.func(el, self.row(kids[start:end])))
                i = end
                continue
            if mt.opens(el):
                j = mt.match(kids, i)
                if j is not None and self._grows(kids, i, j):
                    out.append(self.fence(kids[i], kids[i + 1:j], kids[j]))
                    i = j + 1
                    continue
                if j is None and mt.left(el):
                    # \left\{ … \right. (cases): latex2mathml drops the empty closing fence.
                    out.append(self.fence(el, kids[i + 1:], None))
                    break
            out.append(self.node(el))
            i += 1
        return "".join(out)

    def _grows(self, kids: Sequence[El], i: int, j: int) -> bool:
        """A fence pair becomes m:d when it spans the whole row, was \\left…\\right, or holds a matrix."""
        if i == 0 and j == len(kids) - 1:
            return True
        opener = kids[i]
        if opener.get("fence") == "true" or opener.get("stretchy") == "true" or opener.get("minsize"):
            return True
        return any(mt.name(mt.single(k)) == "mtable" for k in kids[i + 1:j])

    def _function_like(self, kids: Sequence[El], i: int) -> bool:
        """A name that takes the next operand: lim (scripted or not), sin, log_2, \\operatorname."""
        el = kids[i]
        name = mt.name(el)
        scripted = name in mt.SCRIPTS | mt.UNDER_OVER and mt.well_formed(el)
        base = mt.single(mt.kids(el)[0]) if scripted else None
        if base is not None and mt.limit_name(base) and name in ("msub", "munder"):
            return True
        if i + 1 >= len(kids):
            return False
        after = kids[i + 1]
        if mt.mo(after) == t.FUNCTION_APPLY:
            return name in ("mi", "mo") or base is not None
        text = mt.mo(after)
        if text is not None and not mt.opens(after):
            return False  # "\sin + 1" or "\max = 3": an operator follows, not an argument
        return mt.is_function(el) or (base is not None and mt.is_function(base) and name in mt.SCRIPTS)

    def _skip_apply(self, kids: Sequence[El], i: int) -> int:
        """After a function name: the invisible apply and the thin space the fix-up pass adds."""
        while i < len(kids) and (mt.mo(kids[i]) == t.FUNCTION_APPLY or mt.name(kids[i]) == "mspace"):
            i += 1
        return i

    def _func_end(self, kids: Sequence[El], start: int) -> int:
        """The end of a function's argument: one element, a fenced group, or a nested function."""
        if start >= len(kids):
            return start
        if mt.opens(kids[start]):
            j = mt.match(kids, start)
            return start + 1 if j is None else j + 1
        if self._function_like(kids, start):
            return self._func_end(kids, self._skip_apply(kids, start + 1))
        return start + 1

    def _operand_end(self, kids: Sequence[El], start: int) -> int:
        """An n-ary operator's operand runs to the next relation, sign or separator at its level."""
        depth = 0
        for j in range(start, len(kids)):
            text = mt.mo(kids[j])
            if text is None:
                continue
            if text in t.OPENERS:
                depth += 1
            elif text in t.CLOSERS:
                depth -= 1
                if depth < 0:
                    return j
            elif depth == 0 and text in t.OPERAND_STOPS and j > start:
                return j
        return len(kids)

    # ----------------------------------------------------------------- structures

    def node(self, el: El) -> str:
        name = mt.name(el)
        kids = mt.kids(el)
        if not mt.well_formed(el):
            return "".join(self.node(k) for k in kids)
        if name in ("mi", "mn", "mo", "mtext", "ms"):
            if name == "mo" and mt.text(el) == t.FUNCTION_APPLY:
                return ""  # invisible; m:func, where there is one, shows the application
            nary = self.nary_parts(el)
            return self.nary(*nary, operand="") if nary else self.token(el)
        if name in mt.TRANSPARENT or name in ("mtr", "mlabeledtr", "mtd"):
            return self.row(kids)
        nary = self.nary_parts(el)
        if nary is not None:
            return self.nary(*nary, operand="")
        if name in mt.SCRIPTS or name in mt.UNDER_OVER:
            if kids and mt.limit_name(mt.single(kids[0])) and name in ("msub", "munder"):
                return self.func(el, "")
            return self.scripts(name, kids)
        built = self.layout(name, el, kids)
        if built is not None:
            return built
        # Unknown (or malformed, e.g. an mfrac with one child): its text, never nothing.
        return self.run(mt.text(el), "p") if not kids else "".join(self.node(k) for k in kids)

    def layout(self, name: str, el: El, kids: list[El]) -> str | None:
        """Spaces, fractions, radicals, fences and tables; None for anything else."""
        if name == "mspace":
            return self.space(el)
        if name == "mfenced":
            return self.fenced(el, kids)
        if name == "mtable":
            return self.matrix(el)
        if name == "mfrac" and len(kids) == 2:
            thickness = (el.get("linethickness") or "").strip()
            kind = '<m:type m:val="noBar"/>' if thickness in ("0", "0px", "0em", "0pt") else ""
            return (f"<m:f><m:fPr>{kind}{self._ctrl}</m:fPr><m:num>{self.arg(kids[0])}</m:num>"
                    f"<m:den>{self.arg(kids[1])}</m:den></m:f>")
        if name == "msqrt":
            # m:deg is required even when hidden (mathml2omml's output fails the validator without it).
            return (f'<m:rad><m:radPr><m:degHide m:val="1"/>{self._ctrl}</m:radPr><m:deg/>'
                    f"<m:e>{self.row(kids)}</m:e></m:rad>")
        if name == "mroot" and len(kids) == 2:
            return (f"<m:rad><m:radPr>{self._ctrl}</m:radPr><m:deg>{self.arg(kids[1])}</m:deg>"
                    f"<m:e>{self.arg(kids[0])}</m:e></m:rad>")
        return None

    def scripts(self, name: str, kids: list[El]) -> str:
        base, first = kids[0], kids[1]
        e = f"<m:e>{self.arg(base)}</m:e>"
        if name == "msub":
            return f"<m:sSub><m:sSubPr>{self._ctrl}</m:sSubPr>{e}<m:sub>{self.arg(first)}</m:sub></m:sSub>"
        if name == "msup":
            return f"<m:sSup><m:sSupPr>{self._ctrl}</m:sSupPr>{e}<m:sup>{self.arg(first)}</m:sup></m:sSup>"
        if name == "msubsup":
            return (f"<m:sSubSup><m:sSubSupPr>{self._ctrl}</m:sSubSupPr>{e}<m:sub>{self.arg(first)}</m:sub>"
                    f"<m:sup>{self.arg(kids[2])}</m:sup></m:sSubSup>")
        if name == "munderover":
            inner = self.under_over(base, first, top=False)
            return self.under_over_xml(inner, kids[2], top=True)
        return self.under_over(base, first, top=name == "mover")

    def under_over(self, base: El, script: El, *, top: bool) -> str:
        """An accent, bar or brace when the script is one, else a limit (m:limUpp/m:limLow)."""
        mark = mt.mo(mt.single(script))
        if mark is not None and len(mark) == 1:
            e = f"<m:e>{self.arg(base)}</m:e>"
            if top and mark in t.ACCENTS:
                return f'<m:acc><m:accPr><m:chr m:val="{t.ACCENTS[mark]}"/>{self._ctrl}</m:accPr>{e}</m:acc>'
            if mark in t.BARS:
                pos = '<m:pos m:val="top"/>' if top else ""
                return f"<m:bar><m:barPr>{pos}{self._ctrl}</m:barPr>{e}</m:bar>"
            if mark in t.GROUP_CHARS:
                where = '<m:pos m:val="top"/><m:vertJc m:val="bot"/>' if top else ""
                return (f'<m:groupChr><m:groupChrPr><m:chr m:val="{_escape(mark)}"/>{where}{self._ctrl}'
                        f"</m:groupChrPr>{e}</m:groupChr>")
        return self.under_over_xml(self.arg(base), script, top=top)

    def under_over_xml(self, base_xml: str, script: El, *, top: bool) -> str:
        tag = "limUpp" if top else "limLow"
        return (f"<m:{tag}><m:{tag}Pr>{self._ctrl}</m:{tag}Pr><m:e>{base_xml}</m:e>"
                f"<m:lim>{self.arg(script)}</m:lim></m:{tag}>")

    def nary_parts(self, el: El) -> tuple[str, El | None, El | None, bool] | None:
        """(operator, lower limit, upper limit, limits under/over) when el is a large operator."""
        name = mt.name(el)
        char = mt.nary_char(el)
        if char is not None:
            return char, None, None, False
        kids = mt.kids(el)
        if (name not in mt.SCRIPTS and name not in mt.UNDER_OVER) or not mt.well_formed(el):
            return None
        char = mt.nary_char(mt.single(kids[0]))
        if char is None:
            return None
        lower = kids[1] if name in ("msub", "msubsup", "munder", "munderover") else None
        upper = kids[-1] if name in ("msup", "msubsup", "mover", "munderover") else None
        return char, lower, upper, name in mt.UNDER_OVER

    def nary(self, char: str, lower: El | None, upper: El | None, under_over: bool, *,
             operand: str) -> str:
        # TeX's placement: under/over for display sums and products (and \limits), beside for integrals.
        stacked = under_over or (self.display and char not in t.INTEGRALS)
        loc = "undOvr" if stacked else "subSup"
        hide = ('<m:subHide m:val="1"/>' if lower is None else "") + \
               ('<m:supHide m:val="1"/>' if upper is None else "")
        return (f'<m:nary><m:naryPr><m:chr m:val="{_escape(char)}"/><m:limLoc m:val="{loc}"/>{hide}'
                f"{self._ctrl}</m:naryPr><m:sub>{self.arg(lower)}</m:sub><m:sup>{self.arg(upper)}</m:sup>"
                f"<m:e>{operand}</m:e></m:nary>")

    def func(self, name_el: El, operand: str) -> str:
        """m:func: a function name (or lim with its limit under it as m:limLow) and its argument."""
        kids = mt.kids(name_el)
        if mt.name(name_el) in ("msub", "munder") and len(kids) == 2 and mt.limit_name(mt.single(kids[0])):
            name_xml = self.under_over_xml(self.arg(kids[0]), kids[1], top=False)
        else:
            name_xml = self.node(name_el)
        return (f"<m:func><m:funcPr>{self._ctrl}</m:funcPr><m:fName>{name_xml}</m:fName>"
                f"<m:e>{operand}</m:e></m:func>")

    def fence(self, opener: El, inner: Sequence[El], closer: El | None) -> str:
        grow = "" if opener.get("stretchy") == "false" else "<m:grow/>"
        end = "" if closer is None else mt.text(closer)
        return (f'<m:d><m:dPr><m:begChr m:val={_quoteattr(mt.text(opener))}/>'
                f'<m:endChr m:val={_quoteattr(end)}/>{grow}{self._ctrl}</m:dPr>'
                f"<m:e>{self.row(inner)}</m:e></m:d>")

    def fenced(self, el: El, kids: list[El]) -> str:
        """MathML's deprecated mfenced: its open/close attributes are the fences, commas between items."""
        sep = (el.get("separators", ",").strip() or " ")[0]
        inner = "</m:e><m:e>".join(self.arg(k) for k in kids)
        return (f'<m:d><m:dPr><m:begChr m:val={_quoteattr(el.get("open", "("))}/>'
                f'<m:sepChr m:val={_quoteattr(sep)}/><m:endChr m:val={_quoteattr(el.get("close", ")"))}/>'
                f"<m:grow/>{self._ctrl}</m:dPr><m:e>{inner}</m:e></m:d>")

    def matrix(self, table: El) -> str:
        rows: list[list[El]] = []
        for tr in mt.kids(table):
            # Anything but a row is a row of one cell, and anything in a row but a cell is a cell.
            cells = mt.kids(tr) if mt.name(tr) in ("mtr", "mlabeledtr") else [tr]
            # An equation label (mlabeledtr's first cell) has no place in an OMML matrix.
            rows.append(cells[1:] if mt.name(tr) == "mlabeledtr" else cells)
        columns = max((len(r) for r in rows), default=0)
        if columns == 0:
            return ""
        aligns = (table.get("columnalign") or "center").split()
        jcs = [{"left": "left", "right": "right"}.get(aligns[min(c, len(aligns) - 1)], "center")
               for c in range(columns)]
        groups: list[list[str | int]] = []
        for jc in jcs:
            if groups and groups[-1][0] == jc:
                groups[-1][1] = int(groups[-1][1]) + 1
            else:
                groups.append([jc, 1])
        # Schema order inside m:mcPr: m:count before m:mcJc (pandoc writes them the other way round).
        mcs = "".join(f'<m:mc><m:mcPr><m:count m:val="{n}"/><m:mcJc m:val="{jc}"/></m:mcPr></m:mc>'
                      for jc, n in groups)
        body = "".join(
            "<m:mr>" + "".join(f"<m:e>{self.arg(cell)}</m:e>" for cell in r)
            + "<m:e></m:e>" * (columns - len(r)) + "</m:mr>"
            for r in rows)
        return f"<m:m><m:mPr><m:mcs>{mcs}</m:mcs>{self._ctrl}</m:mPr>{body}</m:m>"
