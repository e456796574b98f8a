"""DrawingML/PresentationML fragments for the PPTX writer, as strings in schema order."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from deckwright.layout.geometry import Box
from deckwright.layout.plan import Para
from deckwright.layout.slides import role_is_bold
from deckwright.layout.text import TextRun
from deckwright.model.deck import Align
from deckwright.model.theme import Theme

NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NSDECL = f'xmlns:a="{NS_A}" xmlns:r="{NS_R}" xmlns:p="{NS_P}"'
EMU_PER_PX = 9525
# PowerPoint's extension for an SVG image beside its PNG fallback (Office 2016+).
SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
NS_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
HLINK_COLOR_EXT_URI = "{A12FA001-AC4F-418D-AE19-62706E023703}"
NS_AHYP = "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor"
# A fixed field id: PowerPoint needs one per field type, and a random one would break rebuilds.
SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"

LinkFn = Callable[[str], str]
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ALIGN = {Align.LEFT: "l", Align.CENTER: "ctr", Align.RIGHT: "r"}


def emu(px: float) -> int:
    return round(px * EMU_PER_PX)


def esc(text: str) -> str:
    """Text for XML content or attributes; characters XML 1.0 cannot hold are dropped."""
    text = _XML_BAD.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def hex6(color: str) -> str:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return value.upper()


def solid(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{hex6(color)}"/></a:solidFill>'


def centipoints(px: float) -> int:
    """Font size in hundredths of a point (1 px = 0.75 pt), inside the schema's range."""
    return min(max(round(px * 75), 100), 400000)


def xfrm(box: Box, tag: str = "a:xfrm") -> str:
    return (f'<{tag}><a:off x="{emu(box.x)}" y="{emu(box.y)}"/>'
            f'<a:ext cx="{max(emu(box.w), 0)}" cy="{max(emu(box.h), 0)}"/></{tag}>')


# --------------------------------------------------------------------------- text


def run_props(run: TextRun, size: float, color: str, theme: Theme, link: LinkFn | None,
              lang: str, tag: str = "a:rPr") -> str:
    head, tail = _props(run.bold or role_is_bold(theme, run.font), run.italic, run.strike,
                        run.superscript, theme.fonts[run.font].pptx, run.color or color, run.background,
                        centipoints(size), lang, tag)
    href = run.href
    if href and link is not None and not href.startswith("#"):
        # hlinkClr "tx": PowerPoint 2019+ draws the link in the run's colour, not the theme's.
        head += (f'<a:hlinkClick r:id="{link(href)}"><a:extLst><a:ext uri="{HLINK_COLOR_EXT_URI}">'
                 f'<ahyp:hlinkClr xmlns:ahyp="{NS_AHYP}" val="tx"/></a:ext></a:extLst></a:hlinkClick>')
    return head + tail


@lru_cache(maxsize=4096)
def _props(bold: bool, italic: bool, strike: bool, superscript: bool, face: str, color: str,
           background: str | None, size: int, lang: str, tag: str) -> tuple[str, str]:
    """A run's properties up to where a hyperlink goes, and the closing tag (cached: a deck
    writes the same few combinations thousands of times)."""
    attrs = [f'lang="{esc(lang)}"', f'sz="{size}"']
    if bold:
        attrs.append('b="1"')
    if italic:
        attrs.append('i="1"')
    if strike:
        attrs.append('strike="sngStrike"')
    if superscript:
        attrs.append('baseline="30000"')
    attrs.append('dirty="0"')
    inner = solid(color)
    if background:
        inner += f'<a:highlight><a:srgbClr val="{hex6(background)}"/></a:highlight>'
    face = esc(face)
    inner += f'<a:latin typeface="{face}"/><a:cs typeface="{face}"/>'
    return f'<{tag} {" ".join(attrs)}>{inner}', f"</{tag}>"


def _runs_xml(para: Para, theme: Theme, link: LinkFn | None, lang: str) -> str:
    parts: list[str] = []
    for run in para.runs:
        pieces = run.text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                plain = TextRun("", run.font)
                parts.append(f"<a:br>{run_props(plain, para.size, para.color, theme, None, lang)}</a:br>")
            if piece:
                props = run_props(run, para.size, para.color, theme, link, lang)
                parts.append(f"<a:r>{props}<a:t>{esc(piece)}</a:t></a:r>")
    return "".join(parts)


def _bullet_xml(para: Para, theme: Theme) -> str:
    if para.bullet is None:
        return "<a:buNone/>"
    # Markers in the accent colour, as the HTML's li::marker.
    color = f'<a:buClr><a:srgbClr val="{hex6(theme.color("accent"))}"/></a:buClr>'
    if para.bullet.char:
        face = esc(theme.fonts["body"].pptx)
        return f'{color}<a:buFont typeface="{face}"/><a:buChar char="{esc(para.bullet.char)}"/>'
    start = f' startAt="{para.bullet.start}"' if para.bullet.start != 1 else ""
    return f'{color}<a:buFont typeface="+mj-lt"/><a:buAutoNum type="arabicPeriod"{start}/>'


def para_xml(para: Para, theme: Theme, link: LinkFn | None, lang: str) -> str:
    """One <a:p>: explicit margins, exact line spacing and size, so every client lays it out alike."""
    attrs = [f'marL="{emu(para.margin)}"', f'lvl="{min(max(para.level, 0), 8)}"',
             f'indent="{-emu(para.hanging)}"']
    if para.align in _ALIGN:
        attrs.append(f'algn="{_ALIGN[para.align]}"')
    line = round(para.size * 0.75 * para.line_height * 100)
    before = round(para.space_before * 0.75 * 100)
    ppr = (f'<a:pPr {" ".join(attrs)}><a:lnSpc><a:spcPts val="{min(line, 158400)}"/></a:lnSpc>'
           f'<a:spcBef><a:spcPts val="{min(before, 158400)}"/></a:spcBef>'
           f"{_bullet_xml(para, theme)}</a:pPr>")
    end = run_props(TextRun(""), para.size, para.color, theme, None, lang, tag="a:endParaRPr")
    return f"<a:p>{ppr}{_runs_xml(para, theme, link, lang)}{end}</a:p>"


@dataclass(frozen=True, slots=True)
class Insets:
    left: float = 0.0
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0


def body_pr(insets: Insets = Insets(), anchor: str = "t") -> str:
    # noAutofit: sizes are fitted by deckwright and written explicitly; a bare normAutofit is
    # ignored by PowerPoint until the text is edited and applied by LibreOffice on open.
    return (f'<a:bodyPr wrap="square" lIns="{emu(insets.left)}" tIns="{emu(insets.top)}" '
            f'rIns="{emu(insets.right)}" bIns="{emu(insets.bottom)}" rtlCol="0" anchor="{anchor}">'
            "<a:noAutofit/></a:bodyPr>")


def paras_xml(paras: Sequence[Para], theme: Theme, link: LinkFn | None, lang: str) -> str:
    if not paras:
        return '<a:p><a:endParaRPr lang="en-US" dirty="0"/></a:p>'
    return "".join(para_xml(p, theme, link, lang) for p in paras)


def tx_body(paras: Sequence[Para], theme: Theme, link: LinkFn | None, lang: str,
            insets: Insets = Insets(), anchor: str = "t", tag: str = "p:txBody") -> str:
    return (f"<{tag}>{body_pr(insets, anchor)}<a:lstStyle/>"
            f"{paras_xml(paras, theme, link, lang)}</{tag}>")


# --------------------------------------------------------------------------- shapes


def rect_sp(shape_id: int, name: str, box: Box, fill: str) -> str:
    """A plain filled rectangle (a quote's bar)."""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{esc(name)}"/><p:cNvSpPr/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f"{solid(fill)}<a:ln><a:noFill/></a:ln></p:spPr></p:sp>")


def placeholder_sp(shape_id: int, name: str, ph: str, box: Box | None, body: str) -> str:
    """A placeholder shape (`ph` is the <p:ph> element); `box` None inherits the layout's."""
    sppr = f"<p:spPr>{xfrm(box)}</p:spPr>" if box is not None else "<p:spPr/>"
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{esc(name)}"/>'
            f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr>'
            f"{sppr}{body}</p:sp>")


def text_box_sp(shape_id: int, name: str, box: Box, body: str, fill: str | None = None,
                geometry: str = "rect", descr: str = "") -> str:
    geom = (f'<a:prstGeom prst="{geometry}"><a:avLst>'
            + ('<a:gd name="adj" fmla="val 4000"/>' if geometry == "roundRect" else "")
            + "</a:avLst></a:prstGeom>")
    fill_xml = (solid(fill) + "<a:ln><a:noFill/></a:ln>") if fill else "<a:noFill/>"
    descr_attr = f' descr="{esc(descr)}"' if descr else ""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{esc(name)}"{descr_attr}/>'
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
            f"<p:spPr>{xfrm(box)}{geom}{fill_xml}</p:spPr>{body}</p:sp>")


def picture_pic(shape_id: int, name: str, box: Box, rid: str, descr: str, title: str = "",
                svg_rid: str | None = None, link_rid: str | None = None) -> str:
    ext = (f'<a:extLst><a:ext uri="{SVG_EXT_URI}"><asvg:svgBlip xmlns:asvg="{NS_ASVG}" '
           f'r:embed="{svg_rid}"/></a:ext></a:extLst>') if svg_rid else ""
    title_attr = f' title="{esc(title)}"' if title else ""
    click = f'<a:hlinkClick r:id="{link_rid}"/>' if link_rid else ""
    return (f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="{esc(name)}" descr="{esc(descr)}"'
            f"{title_attr}>{click}</p:cNvPr>"
            '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rid}">{ext}</a:blip><a:stretch><a:fillRect/></a:stretch>'
            f'</p:blipFill><p:spPr>{xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            "</p:spPr></p:pic>")


@dataclass(frozen=True, slots=True)
class CellXml:
    paras: tuple[Para, ...]
    fill: str | None
    # A rule under the cell (body rows, as the HTML's border-bottom); none under the header.
    rule: bool = True


def _border(tag: str, color: str | None) -> str:
    return f'<a:{tag} w="9525" cmpd="sng">{solid(color) if color else "<a:noFill/>"}</a:{tag}>'


def table_frame(shape_id: int, name: str, box: Box, widths: Sequence[float],
                heights: Sequence[float], cells: Sequence[Sequence[CellXml]], theme: Theme,
                link: LinkFn | None, lang: str, pad: tuple[float, float], first_row: bool,
                first_col: bool, descr: str = "") -> str:
    """A native table: every cell styled explicitly (fill, borders, margins), no table style."""
    border = theme.color("table_border")
    grid = "".join(f'<a:gridCol w="{emu(w)}"/>' for w in widths)
    rows: list[str] = []
    for row, h in zip(cells, heights, strict=True):
        tcs: list[str] = []
        for cell in row:
            body = f"<a:txBody><a:bodyPr/><a:lstStyle/>{paras_xml(cell.paras, theme, link, lang)}</a:txBody>"
            lines = "".join(_border(t, None) for t in ("lnL", "lnR", "lnT"))
            lines += _border("lnB", border if cell.rule else None)
            fill = solid(cell.fill) if cell.fill else "<a:noFill/>"
            tcs.append(f"<a:tc>{body}<a:tcPr marL=\"{emu(pad[0])}\" marR=\"{emu(pad[0])}\" "
                       f"marT=\"{emu(pad[1])}\" marB=\"{emu(pad[1])}\" anchor=\"t\">"
                       f"{lines}{fill}</a:tcPr></a:tc>")
        rows.append(f'<a:tr h="{emu(h)}">{"".join(tcs)}</a:tr>')
    descr_attr = f' descr="{esc(descr)}"' if descr else ""
    flags = f' firstRow="{int(first_row)}" firstCol="{int(first_col)}" bandRow="1"'
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="{esc(name)}"'
            f'{descr_attr}/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/>'
            f"</p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>{xfrm(box, 'p:xfrm')}"
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f"<a:tbl><a:tblPr{flags}/><a:tblGrid>{grid}</a:tblGrid>{''.join(rows)}</a:tbl>"
            "</a:graphicData></a:graphic></p:graphicFrame>")


def slide_number_body(size: float, color: str, theme: Theme, lang: str, number: int,
                      align: str = "r") -> str:
    props = run_props(TextRun(""), size, color, theme, None, lang)
    return (f"<p:txBody>{body_pr(anchor='ctr')}<a:lstStyle/><a:p><a:pPr algn=\"{align}\"/>"
            f'<a:fld id="{SLIDENUM_FIELD_ID}" type="slidenum">{props}<a:t>{number}</a:t></a:fld>'
            "</a:p></p:txBody>")


# --------------------------------------------------------------------------- slides


GROUP_HEAD = ('<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
              '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
              '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>')


def background(color: str | None = None, image_rid: str | None = None) -> str:
    if image_rid:
        fill = f'<a:blipFill dpi="0" rotWithShape="1"><a:blip r:embed="{image_rid}"/><a:srcRect/>' \
               "<a:stretch><a:fillRect/></a:stretch></a:blipFill>"
    elif color:
        fill = solid(color)
    else:
        return ""
    return f"<p:bg><p:bgPr>{fill}<a:effectLst/></p:bgPr></p:bg>"


def slide_xml(shapes: Sequence[str], bg: str = "", timing: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sld {NSDECL}>'
            f'<p:cSld>{bg}<p:spTree>{GROUP_HEAD}{"".join(shapes)}</p:spTree></p:cSld>'
            f"<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>{timing}</p:sld>")
