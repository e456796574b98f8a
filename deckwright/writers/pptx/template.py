"""Slide master and named layouts for the PPTX writer: generated from theme tokens, or a reference deck."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.layout.flow import BULLETS
from deckwright.layout.geometry import (
    Box,
    body_box,
    footer_boxes,
    image_split,
    section_boxes,
    split_columns,
    title_box,
    title_slide_boxes,
)
from deckwright.model.deck import Layout
from deckwright.model.theme import Theme
from deckwright.support.paths import MAX_DECK_BYTES, unreadable
from deckwright.writers.pptx.opc import CT, RT, Package, Part, read_package, stock_file
from deckwright.writers.pptx.xml import (
    GROUP_HEAD,
    NS_A,
    NS_P,
    NS_R,
    NSDECL,
    SLIDENUM_FIELD_ID,
    centipoints,
    emu,
    esc,
    hex6,
    solid,
    xfrm,
)

# The names PowerPoint users know (pandoc looks reference layouts up by the same names).
LAYOUT_NAMES: dict[Layout, str] = {
    Layout.TITLE: "Title Slide",
    Layout.SECTION: "Section Header",
    Layout.CONTENT: "Title and Content",
    Layout.TWO_COLUMNS: "Two Content",
    Layout.IMAGE_RIGHT: "Image Right",
    Layout.IMAGE_LEFT: "Image Left",
    Layout.BLANK: "Blank",
}
# Reference decks without our exact layout: the closest stock layouts, in order of preference.
FALLBACKS: dict[Layout, tuple[str, ...]] = {
    Layout.TITLE: ("Title Only", "Title and Content"),
    Layout.SECTION: ("Section Title", "Title Only", "Title and Content"),
    Layout.CONTENT: ("Title, Content", "Title Only"),
    Layout.TWO_COLUMNS: ("Comparison", "Title and Content"),
    Layout.IMAGE_RIGHT: ("Content with Caption", "Picture with Caption", "Two Content",
                         "Title and Content"),
    Layout.IMAGE_LEFT: ("Content with Caption", "Picture with Caption", "Two Content",
                        "Title and Content"),
    Layout.BLANK: ("Title Only", "Title and Content"),
}
_TYPES = {Layout.TITLE: "title", Layout.SECTION: "secHead", Layout.CONTENT: "obj",
          Layout.TWO_COLUMNS: "twoObj", Layout.BLANK: "blank"}
_NON_BODY = {"title", "ctrTitle", "subTitle", "dt", "ftr", "sldNum", "hdr", "sldImg", "pic",
             "chart", "tbl", "clipArt", "dgm", "media"}
FOOTER_IDX, NUMBER_IDX = 11, 12


@dataclass
class LayoutInfo:
    """A slide layout part and the placeholders a slide on it can fill."""

    part: Part
    name: str
    title: str | None = None  # the <p:ph> for the title, or None
    subtitle: str | None = None
    bodies: list[str] = field(default_factory=list)
    footer: str | None = None
    number: str | None = None


@dataclass
class Template:
    package: Package
    presentation: Part
    layouts: dict[Layout, LayoutInfo]
    master: Part


def px(v: float) -> str:
    return str(emu(v))


# --------------------------------------------------------------------------- theme part


def _theme_xml(blob: bytes, theme: Theme) -> bytes:
    """The stock Office theme with the deck's colour scheme and fonts."""
    root = etree.fromstring(blob)
    ns = {"a": NS_A}
    root.set("name", theme.name)
    c = theme.color
    scheme = {"dk1": c("text"), "lt1": c("background"), "dk2": c("heading"), "lt2": c("code_background"),
              "accent1": c("accent"), "accent2": c("heading"), "accent3": c("muted"),
              "accent4": c("table_header_background"), "accent5": c("quote_border"),
              "accent6": c("table_highlight"), "hlink": c("link"), "folHlink": c("link")}
    clr = root.find(".//a:clrScheme", ns)
    if clr is not None:
        clr.set("name", theme.name)
        for child in list(clr):
            key = etree.QName(child).localname
            if key in scheme:
                for old in list(child):
                    child.remove(old)
                etree.SubElement(child, f"{{{NS_A}}}srgbClr", val=hex6(scheme[key]))
    fonts = root.find(".//a:fontScheme", ns)
    if fonts is not None:
        fonts.set("name", theme.name)
        for tag, role in (("majorFont", "heading"), ("minorFont", "body")):
            latin = fonts.find(f"a:{tag}/a:latin", ns)
            if latin is not None:
                latin.set("typeface", theme.fonts[role].pptx)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# --------------------------------------------------------------------------- master


def _ph_sp(shape_id: int, name: str, ph: str, box: Box, body: str = "", anchor: str = "t",
           lst: str = "") -> str:
    text = body or '<a:p><a:endParaRPr lang="en-US"/></a:p>'
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{esc(name)}"/><p:cNvSpPr>'
            f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{xfrm(box)}'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody>'
            f'<a:bodyPr vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" '
            f'anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle>{lst}</a:lstStyle>{text}'
            "</p:txBody></p:sp>")


def _footer_style(theme: Theme, align: str) -> str:
    return (f'<a:lvl1pPr algn="{align}"><a:defRPr sz="{centipoints(theme.sizes["footer"])}">'
            f'{solid(theme.color("muted"))}</a:defRPr></a:lvl1pPr>')


def _prompt(text: str) -> str:
    return f'<a:p><a:r><a:rPr lang="en-US" dirty="0"/><a:t>{esc(text)}</a:t></a:r></a:p>'


def _body_levels(theme: Theme) -> str:
    z, s = theme.sizes, theme.spacing
    lh = round(z["body"] * 0.75 * z["line_height"] * 100)
    levels = []
    for lvl in range(9):
        indent = s["indent"]
        levels.append(
            f'<a:lvl{lvl + 1}pPr marL="{px(indent * (lvl + 1))}" indent="{-emu(indent)}" algn="l" '
            'rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
            f'<a:lnSpc><a:spcPts val="{lh}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{round(z["body"] * 0.25 * 75)}"/></a:spcBef>'
            f'<a:buFont typeface="{esc(theme.fonts["body"].pptx)}"/>'
            f'<a:buChar char="{esc(BULLETS[lvl % len(BULLETS)])}"/>'
            f'<a:defRPr sz="{centipoints(z["body"])}" kern="1200">{solid(theme.color("text"))}'
            '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr>'
            f"</a:lvl{lvl + 1}pPr>")
    return "".join(levels)


def _master_xml(theme: Theme, layout_rids: list[str]) -> str:
    z = theme.sizes
    fb = footer_boxes(theme)
    shapes = [
        _ph_sp(2, "Title Placeholder 1", '<p:ph type="title"/>', title_box(theme),
               _prompt("Click to edit Master title style"), anchor="b"),
        _ph_sp(3, "Text Placeholder 2", '<p:ph type="body" idx="1"/>', body_box(theme, Layout.CONTENT),
               _prompt("Click to edit Master text styles")),
        _ph_sp(4, "Footer Placeholder 3", '<p:ph type="ftr" sz="quarter" idx="3"/>', fb.text,
               anchor="ctr", lst=_footer_style(theme, "l")),
        _ph_sp(5, "Slide Number Placeholder 4", '<p:ph type="sldNum" sz="quarter" idx="4"/>', fb.number,
               f'<a:p><a:pPr algn="r"/><a:fld id="{SLIDENUM_FIELD_ID}" type="slidenum">'
               '<a:rPr lang="en-US"/><a:t>‹#›</a:t></a:fld><a:endParaRPr lang="en-US"/></a:p>',
               anchor="ctr", lst=_footer_style(theme, "r")),
    ]
    ids = "".join(f'<p:sldLayoutId id="{2147483649 + i}" r:id="{rid}"/>' for i, rid in enumerate(layout_rids))
    title_style = (
        '<p:titleStyle><a:lvl1pPr algn="l" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
        f'<a:lnSpc><a:spcPts val="{round(z["title"] * 0.75 * z["line_height"] * 100)}"/></a:lnSpc>'
        '<a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="{centipoints(z["title"])}" b="1" kern="1200">{solid(theme.color("heading"))}'
        '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr>'
        "</a:lvl1pPr></p:titleStyle>")
    other = ('<p:otherStyle><a:defPPr><a:defRPr lang="en-US"/></a:defPPr>'
             f'<a:lvl1pPr marL="0" algn="l" rtl="0"><a:defRPr sz="{centipoints(z["body"])}" kern="1200">'
             '<a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/>'
             '<a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl1pPr></p:otherStyle>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldMaster {NSDECL}>'
            f'<p:cSld><p:bg><p:bgPr>{solid(theme.color("background"))}<a:effectLst/></p:bgPr></p:bg>'
            f'<p:spTree>{GROUP_HEAD}{"".join(shapes)}</p:spTree></p:cSld>'
            '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
            'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" '
            f'folHlink="folHlink"/><p:sldLayoutIdLst>{ids}</p:sldLayoutIdLst>'
            f"<p:txStyles>{title_style}<p:bodyStyle>{_body_levels(theme)}</p:bodyStyle>{other}"
            "</p:txStyles></p:sldMaster>")


# --------------------------------------------------------------------------- layouts


def _layout_shapes(layout: Layout, theme: Theme) -> tuple[list[str], LayoutInfo]:
    """Placeholder shapes of a generated layout, and the <p:ph> a slide uses for each."""
    info = LayoutInfo(part=None, name=LAYOUT_NAMES[layout])  # type: ignore[arg-type]
    shapes: list[str] = []
    sid = 2

    def add(name: str, ph: str, box: Box, prompt: str = "", anchor: str = "t") -> None:
        nonlocal sid
        shapes.append(_ph_sp(sid, f"{name} {sid - 1}", ph, box, _prompt(prompt) if prompt else "", anchor))
        sid += 1

    gap = theme.spacing["column_gap"]
    if layout is Layout.TITLE:
        tbox, sbox, _ = title_slide_boxes(theme)
        info.title, info.subtitle = '<p:ph type="ctrTitle"/>', '<p:ph type="subTitle" idx="1"/>'
        add("Title", info.title, tbox, "Click to edit Master title style", "b")
        add("Subtitle", info.subtitle, sbox, "Click to edit Master subtitle style")
    elif layout is Layout.SECTION:
        tbox, bbox = section_boxes(theme)
        info.title, info.subtitle = '<p:ph type="title"/>', '<p:ph type="body" idx="1"/>'
        add("Title", info.title, tbox, "Click to edit Master title style", "b")
        add("Text Placeholder", info.subtitle, bbox, "Click to edit Master text styles")
    elif layout is not Layout.BLANK:
        info.title = '<p:ph type="title"/>'
        add("Title", info.title, title_box(theme), "Click to edit Master title style", "b")
        box = body_box(theme, layout)
        if layout is Layout.TWO_COLUMNS:
            left, right = split_columns(box, [None, None], gap)
            info.bodies = ['<p:ph sz="half" idx="1"/>', '<p:ph sz="half" idx="2"/>']
            add("Content Placeholder", info.bodies[0], left, "Click to edit Master text styles")
            add("Content Placeholder", info.bodies[1], right, "Click to edit Master text styles")
        elif layout in (Layout.IMAGE_LEFT, Layout.IMAGE_RIGHT):
            text, image = image_split(box, layout, gap)
            info.bodies = ['<p:ph idx="1"/>']
            add("Content Placeholder", info.bodies[0], text, "Click to edit Master text styles")
            add("Picture Placeholder", '<p:ph type="pic" idx="2"/>', image)
        else:
            info.bodies = ['<p:ph idx="1"/>']
            add("Content Placeholder", info.bodies[0], box, "Click to edit Master text styles")
    if layout is not Layout.TITLE:
        fb = footer_boxes(theme)
        info.footer = f'<p:ph type="ftr" sz="quarter" idx="{FOOTER_IDX}"/>'
        info.number = f'<p:ph type="sldNum" sz="quarter" idx="{NUMBER_IDX}"/>'
        add("Footer Placeholder", info.footer, fb.text, anchor="ctr")
        add("Slide Number Placeholder", info.number, fb.number, anchor="ctr")
    return shapes, info


def _layout_xml(layout: Layout, theme: Theme, shapes: list[str]) -> str:
    bg = ""
    if layout is Layout.TITLE:
        bg = f'<p:bg><p:bgPr>{solid(theme.color("title_background"))}<a:effectLst/></p:bgPr></p:bg>'
    elif layout is Layout.SECTION:
        bg = f'<p:bg><p:bgPr>{solid(theme.color("section_background"))}<a:effectLst/></p:bgPr></p:bg>'
    kind = f' type="{_TYPES[layout]}"' if layout in _TYPES else ' userDrawn="1"'
    # The title slide hides the master's logo: it has the deck's own title treatment.
    show = ' showMasterSp="0"' if layout is Layout.TITLE else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldLayout {NSDECL}'
            f'{show}{kind} preserve="1"><p:cSld name="{esc(LAYOUT_NAMES[layout])}">{bg}<p:spTree>'
            f'{GROUP_HEAD}{"".join(shapes)}</p:spTree></p:cSld>'
            "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>")


def generated_template(theme: Theme) -> Template:
    """python-pptx's default package restyled: one master, our seven named layouts, 16:9."""
    package = read_package(stock_file("default.pptx"))
    pres = package.main()
    root = pres.xml()
    _set_slide_size(root, theme)
    pres.set_xml(root)
    master = pres.related(RT.SLIDE_MASTER)
    assert master is not None  # python-pptx's own template has one
    # Drop the stock layouts: they are placed for 4:3 and named for another design.
    for rel in master.rels.of_type(RT.SLIDE_LAYOUT):
        master.rels.drop(rel.rid)
    theme_part = master.related(RT.THEME)
    if theme_part is not None:
        theme_part.blob = _theme_xml(theme_part.blob, theme)
    layouts: dict[Layout, LayoutInfo] = {}
    rids: list[str] = []
    for i, layout in enumerate(Layout, start=1):
        shapes, info = _layout_shapes(layout, theme)
        part = Part(f"/ppt/slideLayouts/slideLayout{i}.xml", CT.SLIDE_LAYOUT,
                    _layout_xml(layout, theme, shapes).encode("utf-8"))
        part.relate_to(master, RT.SLIDE_MASTER)
        rids.append(master.relate_to(part, RT.SLIDE_LAYOUT))
        info.part = part
        layouts[layout] = info
    master.blob = _master_xml(theme, rids).encode("utf-8")
    return Template(package, pres, layouts, master)


def _set_slide_size(root: etree._Element, theme: Theme) -> None:
    """The theme's slide size; no preset `type` (python-pptx's template says 4:3, PowerPoint's
    Slide Size dialog would show it)."""
    size = root.find(f"{{{NS_P}}}sldSz")
    if size is None:
        return
    size.set("cx", str(emu(theme.width)))
    size.set("cy", str(emu(theme.height)))
    size.attrib.pop("type", None)


def add_logo(master_part: Part, rid: str, theme: Theme, aspect: float,
             svg_rid: str | None = None) -> None:
    """The theme's logo on the slide master (so on every layout but the title slide's)."""
    from deckwright.layout.geometry import fit_image
    from deckwright.writers.pptx.xml import picture_pic

    band = footer_boxes(theme).logo
    placed = fit_image(aspect, 1.0, band)
    box = Box(band.x, band.y + (band.h - placed.h) / 2, placed.w, placed.h)
    root = master_part.xml()
    tree = root.find(f"{{{NS_P}}}cSld/{{{NS_P}}}spTree")
    ids = [int(e.get("id", "0")) for e in root.iter(f"{{{NS_P}}}cNvPr")]
    pic = picture_pic(max(ids, default=1) + 1, "Logo", box, rid, "Logo", svg_rid=svg_rid)
    tree.append(etree.fromstring(f"<p:spTree {NSDECL}>{pic}</p:spTree>".encode())[0])
    master_part.set_xml(root)


# --------------------------------------------------------------------------- reference deck


def ph_xml(ph: etree._Element) -> str:
    """A <p:ph> element as text, its attributes sorted (the layout's, to be repeated on a slide)."""
    attrs = "".join(f' {k}="{esc(v)}"' for k, v in sorted(ph.attrib.items()))
    return f"<p:ph{attrs}/>"


def _reference_info(part: Part, name: str) -> LayoutInfo:
    info = LayoutInfo(part=part, name=name)
    for ph in part.xml().iter(f"{{{NS_P}}}ph"):
        kind = ph.get("type", "obj")
        if kind in ("title", "ctrTitle") and info.title is None:
            info.title = ph_xml(ph)
        elif kind == "subTitle" and info.subtitle is None:
            info.subtitle = ph_xml(ph)
        elif kind == "ftr":
            info.footer = ph_xml(ph)
        elif kind == "sldNum":
            info.number = ph_xml(ph)
        elif kind not in _NON_BODY:
            info.bodies.append(ph_xml(ph))
    return info


def reference_template(theme: Theme, path: Path, shown: str,
                       used: set[Layout]) -> tuple[Template | None, list[Diagnostic]]:
    """The reference deck's masters and layouts (its slides removed); layouts found by name."""
    ref = SourceRef(shown)
    problem = unreadable(path, MAX_DECK_BYTES)  # the theme checked it; asked again before reading
    if problem is not None:
        return None, [error(ref, f"cannot open the reference .pptx: it {problem}")]
    try:
        package = read_package(path.read_bytes())
        pres = package.main()
        root = pres.xml()
    except (OSError, ValueError, etree.XMLSyntaxError) as exc:  # PackageError is a ValueError
        return None, [error(ref, f"cannot open the reference .pptx: {exc}")]
    _drop_slides(pres, root)
    diags = _resize(root, theme, ref)
    pres.set_xml(root)
    masters = _listed(pres, root, "sldMasterIdLst")
    by_name: dict[str, tuple[Part, str]] = {}
    for master in masters:
        for lay in _listed(master, master.xml(), "sldLayoutIdLst"):
            name = _layout_name(lay)
            by_name.setdefault(name.strip().lower(), (lay, name))
    if not by_name:
        return None, [error(ref, "the reference .pptx has no slide layouts")]
    layouts, found = _match_layouts(by_name, used, ref)
    return Template(package, pres, layouts, masters[0]), [*diags, *found]


def _drop_slides(pres: Part, root: etree._Element) -> None:
    """The reference deck's own slides out of its slide list and relationships."""
    r_id = f"{{{NS_R}}}id"
    listed = root.find(f"{{{NS_P}}}sldIdLst")
    if listed is None:
        return
    for sld_id in list(listed):
        if sld_id.get(r_id) in {rel.rid for rel in pres.rels}:
            pres.rels.drop(sld_id.get(r_id))
        listed.remove(sld_id)


def _resize(root: etree._Element, theme: Theme, ref: SourceRef) -> list[Diagnostic]:
    """The theme's slide size set; a warning when the reference deck's aspect differs."""
    size = root.find(f"{{{NS_P}}}sldSz")
    width, height = (int(size.get("cx", "0")), int(size.get("cy", "0"))) if size is not None else (0, 0)
    diags: list[Diagnostic] = []
    if abs(width * theme.height - height * theme.width) > width:
        diags.append(warning(ref, f"the reference .pptx is not {theme.width}:{theme.height}; "
                                  "its slides are resized and its layouts may look stretched"))
    _set_slide_size(root, theme)
    return diags


def _match_layouts(by_name: dict[str, tuple[Part, str]], used: set[Layout],
                   ref: SourceRef) -> tuple[dict[Layout, LayoutInfo], list[Diagnostic]]:
    """Each of our layouts matched by PowerPoint's name or ours, else a stock fallback name, else
    the first layout; a warning for each layout the deck uses that had no match of its name."""
    first = next(iter(by_name.values()))
    layouts: dict[Layout, LayoutInfo] = {}
    diags: list[Diagnostic] = []
    for layout in Layout:
        wanted = LAYOUT_NAMES[layout]
        names = (wanted, layout.value)
        found = next((by_name[n.lower()] for n in names if n.lower() in by_name), None)
        if found is None:
            alt = next((n for n in FALLBACKS[layout] if n.lower() in by_name), None)
            found = by_name[alt.lower()] if alt else first
            if layout in used:
                diags.append(warning(ref, f"the reference .pptx has no layout named '{wanted}' "
                                          f"(for '{layout.value}' slides); using '{found[1]}'"))
        layouts[layout] = _reference_info(*found)
    return layouts, diags


def _listed(owner: Part, root: etree._Element, list_tag: str) -> list[Part]:
    """Parts an id list names (masters of a presentation, layouts of a master), in its order."""
    r_id = f"{{{NS_R}}}id"
    out: list[Part] = []
    for entry in root.iterfind(f"{{{NS_P}}}{list_tag}/*"):
        rid = entry.get(r_id)
        try:
            target = owner.rels[rid].target if rid else None
        except KeyError:
            continue
        if isinstance(target, Part):
            out.append(target)
    return out


def _layout_name(part: Part) -> str:
    c_sld = part.xml().find(f"{{{NS_P}}}cSld")
    return c_sld.get("name", "") if c_sld is not None else ""


__all__ = ["LAYOUT_NAMES", "LayoutInfo", "Template", "generated_template", "reference_template"]
