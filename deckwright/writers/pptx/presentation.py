"""The presentation being assembled in its template's package: parts, slides, notes, document properties."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from deckwright.diagnostics import Diagnostic
from deckwright.layout.fit import (
    CODE_PAD_X,
    CODE_PAD_Y,
    centered,
    inline_runs,
    link_contrast,
    notes_paras,
    para_height,
    sizes_at,
    table_rows,
    text_color,
    with_images,
)
from deckwright.layout.geometry import Box, fit_image, footer_boxes, header_box
from deckwright.layout.plan import (
    CodeItem,
    ColumnsItem,
    ImageItem,
    Para,
    Placed,
    Plan,
    SlidePlan,
    TableItem,
    TextItem,
)
from deckwright.layout.tables import CELL_PAD_X, CELL_PAD_Y
from deckwright.model.deck import (
    Align,
    Deck,
    Layout,
    QRCode,
    Slide,
    Span,
    plain_text,
)
from deckwright.model.theme import Theme
from deckwright.support.colors import css_hex
from deckwright.writers.common.document import DocumentMeta
from deckwright.writers.common.images import Picture, qr_picture
from deckwright.writers.pptx.opc import CT, RT, Package, Part, stock_file
from deckwright.writers.pptx.template import (
    LayoutInfo,
    Template,
    add_logo,
)
from deckwright.writers.pptx.xml import (
    GROUP_HEAD,
    NS_A,
    NS_P,
    NS_R,
    NSDECL,
    CellXml,
    Insets,
    LinkFn,
    Target,
    background,
    esc,
    paras_xml,
    picture_pic,
    placeholder_sp,
    rect_sp,
    slide_number_body,
    slide_xml,
    table_frame,
    text_box_sp,
    timing_xml,
    tx_body,
)

# Fixed zip timestamp when SOURCE_DATE_EPOCH is not set: the earliest a zip can hold.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
ZIP_LAST = (2107, 12, 31, 23, 59, 58)
NOTES_SIZE = 16.0  # px on the notes page (12 pt, PowerPoint's default)
SVG_CT = "image/svg+xml"


# --------------------------------------------------------------------------- package


class PartNames:
    """Part names handed out from counters (searching the package for a free name per part
    made building quadratic in the number of slides)."""

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = set(taken)
        self._next: dict[str, int] = {}

    def next(self, template: str) -> str:
        n = self._next.get(template, 1)
        while template % n in self._taken:
            n += 1
        self._next[template] = n + 1
        name = template % n
        self._taken.add(name)
        return name


@dataclass
class _Shapes:
    """The shapes of one slide being built, and what appears at each click."""

    part: Part
    link: LinkFn
    xml: list[str] = field(default_factory=list)
    next_id: int = 2
    clicks: dict[int, list[Target]] = field(default_factory=dict)
    # Body text centred across (title and section slides, the `center` class).
    center: bool = False

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def appear(self, step: int, target: Target) -> None:
        if step > 0:
            self.clicks.setdefault(step, []).append(target)


class DeckBuilder:
    def __init__(self, deck: Deck, plan: Plan, theme: Theme, template: Template,
                 pictures: dict[Path, Picture]) -> None:
        self.deck, self.theme, self.template, self.pictures = deck, theme, template, pictures
        self.plan = plan
        self.package = template.package
        self.pres = template.presentation
        self.names = PartNames(p.partname for p in self.package.iter_parts())
        self.images: dict[tuple[str, str], Part] = {}
        self.aspects = {path: pic.aspect for path, pic in pictures.items()}
        self.lang = deck.meta.lang or "en-US"
        # (id, rId) of each slide, written into presentation.xml once at the end.
        self.slide_ids: list[tuple[int, str]] = []
        self.notes_master: Part | None = None
        self.notes_phs: tuple[str, str] | None = None
        self.notes_count = 0

    # ----------------------------------------------------------------- parts

    def image_part(self, blob: bytes, ext: str, content_type: str) -> Part:
        """One part per distinct image, however often it is used."""
        key = (hashlib.sha256(blob).hexdigest(), content_type)
        part = self.images.get(key)
        if part is None:
            part = Part(self.names.next(f"/ppt/media/image%d.{ext}"), content_type, blob)
            self.images[key] = part
        return part

    def relate_picture(self, owner: Part, picture: Picture) -> tuple[str, str | None]:
        rid = owner.relate_to(self.image_part(picture.blob, picture.ext, picture.content_type), RT.IMAGE)
        svg_rid = None
        if picture.svg is not None:
            svg_rid = owner.relate_to(self.image_part(picture.svg, "svg", SVG_CT), RT.IMAGE)
        return rid, svg_rid

    def add_logo(self, picture: Picture) -> None:
        master = self.template.master
        rid, svg_rid = self.relate_picture(master, picture)
        add_logo(master, rid, self.theme, picture.aspect, svg_rid)

    # ----------------------------------------------------------------- slides

    def add_slide(self, slide: Slide, number: int) -> list[Diagnostic]:
        info = self.template.layouts[slide.layout]
        # The part holds the finished XML as text: parsing it into lxml only to serialise it
        # again cost more than writing it.
        part = Part(self.names.next("/ppt/slides/slide%d.xml"), CT.SLIDE)
        part.relate_to(info.part, RT.SLIDE_LAYOUT)
        self.slide_ids.append((255 + number, self.pres.rels.add(part, RT.SLIDE)))

        def link(url: str) -> str:
            return part.relate_to(url, RT.HYPERLINK, external=True)

        shapes = _Shapes(part, link, center=centered(slide))
        plan = with_images(self.plan.slides[number - 1], slide, self.theme, self.aspects)
        diags = self._title(shapes, slide, plan, info)
        self._body(shapes, slide, plan, info)
        self._footer(shapes, slide, number, info)
        bg = self._background(part, slide)
        clicks = [shapes.clicks.get(k, []) for k in range(1, max(shapes.clicks, default=0) + 1)]
        part.blob = slide_xml(shapes.xml, bg, timing_xml(clicks)).encode("utf-8")
        if slide.notes:
            self._notes(part, slide)
        return diags

    def _background(self, part: Part, slide: Slide) -> str:
        if slide.background_image is not None and slide.background_image in self.pictures:
            rid, _ = self.relate_picture(part, self.pictures[slide.background_image])
            return background(image_rid=rid)
        if slide.background_color:
            return background(color=css_hex(slide.background_color))
        return ""

    def _title(self, shapes: _Shapes, slide: Slide, plan: SlidePlan, info: LayoutInfo) -> list[Diagnostic]:
        anchor = "b" if slide.layout not in (Layout.TITLE, Layout.SECTION) else "ctr"
        if plan.title is not None and plan.title_box is not None:
            title = link_contrast(self.theme, plan.title)
            body = tx_body([title], self.theme, shapes.link, self.lang, anchor=anchor)
            sid = shapes.new_id()
            if info.title:
                shapes.xml.append(placeholder_sp(sid, f"Title {sid - 1}", info.title, plan.title_box, body))
            else:
                shapes.xml.append(text_box_sp(sid, f"Title {sid - 1}", plan.title_box, body))
        if plan.subtitle is not None and plan.subtitle_box is not None:
            body = tx_body([link_contrast(self.theme, plan.subtitle)], self.theme, shapes.link, self.lang)
            sid = shapes.new_id()
            if info.subtitle:
                shapes.xml.append(placeholder_sp(sid, f"Subtitle {sid - 1}", info.subtitle,
                                                 plan.subtitle_box, body))
            else:
                shapes.xml.append(text_box_sp(sid, f"Subtitle {sid - 1}", plan.subtitle_box, body))
        return []

    def _body(self, shapes: _Shapes, slide: Slide, plan: SlidePlan, info: LayoutInfo) -> None:
        free = list(info.bodies)
        first = plan.body[0] if plan.body else None
        if (slide.layout is Layout.TWO_COLUMNS and len(free) >= 2 and first is not None
                and isinstance(first.item, ColumnsItem) and len(first.columns) == 2):
            # Each column's first text goes into that column's placeholder of "Two Content".
            self._placed(shapes, plan.body, [], 0, column_phs=free[:2])
        else:
            self._placed(shapes, plan.body, free[:1], 0)
        if plan.image is not None:
            self._image(shapes, plan.image, 0)

    def _placed(self, shapes: _Shapes, placed: Sequence[Placed], phs: list[str], step: int,
                column_phs: Sequence[str] = ()) -> None:
        """Shapes for placed items; `phs` are body placeholders still free for text."""
        for p in placed:
            item = p.item
            if isinstance(item, TextItem):
                self._text(shapes, item.paras, p.box, phs.pop(0) if phs else None, step)
            elif isinstance(item, CodeItem):
                self._code(shapes, item, p.box, max(step, item.block.step))
            elif isinstance(item, TableItem):
                self._table(shapes, item, p.box, max(step, item.block.step))
            elif isinstance(item, ImageItem):
                self._image(shapes, p, step)
            elif isinstance(item, ColumnsItem):
                inner = max(step, item.block.step)
                for k, col in enumerate(p.columns):
                    col_phs = [column_phs[k]] if k < len(column_phs) else []
                    self._placed(shapes, col, col_phs, inner)
                column_phs = ()

    def _text(self, shapes: _Shapes, paras: Sequence[Para], box: Box, ph: str | None, step: int) -> None:
        paras = [link_contrast(self.theme, p) for p in paras]
        if shapes.center:
            paras = [replace(p, align=Align.CENTER) if p.align is Align.DEFAULT else p for p in paras]
        self._quote_bars(shapes, paras, box, step)
        sid = shapes.new_id()
        body = tx_body(paras, self.theme, shapes.link, self.lang)
        if ph:
            shapes.xml.append(placeholder_sp(sid, f"Content {sid - 1}", ph, box, body))
        else:
            shapes.xml.append(text_box_sp(sid, f"Text {sid - 1}", box, body))
        for k, first, last in _para_ranges([max(step, p.step) for p in paras]):
            shapes.appear(k, Target(sid, first, last))

    def _quote_bars(self, shapes: _Shapes, paras: Sequence[Para], box: Box, step: int) -> None:
        """A bar left of each quote, over the lines fit measured for it (PPTX text has no borders)."""
        if all(para.bar is None for para in paras):
            return  # no quote: nothing to measure
        y = box.y
        runs: list[tuple[float, float, float, int]] = []  # (x offset, top, bottom, step)
        for para in paras:
            height = para_height(para, self.theme, box.w)
            top, y = y + para.space_before, y + height
            if para.bar is None:
                continue
            para_step = max(step, para.step)
            last = runs[-1] if runs else None
            if last is not None and last[0] == para.bar and last[2] >= top - para.space_before - 0.01:
                runs[-1] = (last[0], last[1], y, last[3])
            else:
                runs.append((para.bar, top, y, para_step))
        for offset, top, bottom, bar_step in runs:
            sid = shapes.new_id()
            bar = Box(box.x + offset, top, 4.0, bottom - top)
            shapes.xml.append(rect_sp(sid, f"Quote Bar {sid - 1}", bar, self.theme.color("quote_border")))
            shapes.appear(bar_step, Target(sid))

    def _code(self, shapes: _Shapes, item: CodeItem, box: Box, step: int) -> None:
        sid = shapes.new_id()
        body = tx_body(item.paras, self.theme, None, self.lang,
                       Insets(CODE_PAD_X, CODE_PAD_Y, CODE_PAD_X, CODE_PAD_Y))
        lang = item.block.language or "text"
        shapes.xml.append(text_box_sp(sid, f"Code {sid - 1}", box, body, self.theme.color("code_background"),
                                      "roundRect", descr=f"Code ({lang})"))
        shapes.appear(step, Target(sid))

    def _table(self, shapes: _Shapes, item: TableItem, box: Box, step: int) -> None:
        table = item.block
        theme = self.theme
        rows = table_rows(table, theme)
        cells: list[list[CellXml]] = []
        model_rows = ([table.header] if table.header else []) + list(table.rows)
        stripe = theme.color("table_stripe")
        for r, (row, model_row) in enumerate(zip(rows, model_rows, strict=True)):
            header = bool(table.header) and r == 0
            out: list[CellXml] = []
            for c, runs in enumerate(row):
                cell = model_row[c] if c < len(model_row) else None
                align = table.align[c] if c < len(table.align) else Align.DEFAULT
                color = theme.color("table_header_text") if header else theme.color("text")
                if header:  # links and code too: the header's colours, as the HTML's thead
                    runs = tuple(replace(run, color=None, background=None) for run in runs)
                para = Para(runs, item.size, color, table.ref, align=align,
                            line_height=theme.sizes["line_height"])
                fill: str | None = None
                if header:
                    fill = theme.color("table_header_background")
                elif cell is not None and cell.highlight:
                    fill = theme.color("table_highlight")
                elif (r - (1 if table.header else 0)) % 2 == 1:
                    fill = stripe
                out.append(CellXml((para,), fill, rule=not header))
            cells.append(out)
        width = sum(item.widths)
        height = sum(item.row_heights)
        tbox = Box(box.x, box.y, width, height)
        sid = shapes.new_id()
        shapes.xml.append(table_frame(sid, f"Table {sid - 1}", tbox, item.widths, item.row_heights, cells,
                                      theme, shapes.link, self.lang, (CELL_PAD_X, CELL_PAD_Y),
                                      first_row=bool(table.header), first_col=table.row_header,
                                      descr=plain_text(table.caption) or table.source or ""))
        shapes.appear(step, Target(sid, kind="graphic"))
        if item.notes:
            gap = sizes_at(theme, item.size / theme.sizes["table"]).gap / 2
            nbox = Box(box.x, tbox.bottom + gap, box.w, max(box.bottom - tbox.bottom - gap, 1.0))
            nid = shapes.new_id()
            shapes.xml.append(text_box_sp(nid, f"Table Notes {nid - 1}", nbox,
                                          tx_body(item.notes, theme, shapes.link, self.lang)))
            shapes.appear(step, Target(nid))

    def _image(self, shapes: _Shapes, placed: Placed, step: int) -> None:
        if not isinstance(placed.item, ImageItem):
            return
        block = placed.item.block
        step = max(step, block.step)
        link_rid = None
        if isinstance(block, QRCode):
            dark = self.theme.color("text")
            picture = qr_picture(block.url, dark=dark if dark != "#ffffff" else "#000000", light="#ffffff")
            descr, title = f"QR code for {block.url}", block.url
            link_rid = shapes.link(block.url)
            max_width: float | None = None
        else:
            found = self.pictures.get(block.path)
            if found is None:
                return  # reported when loading
            picture, descr, title = found, block.alt, block.title
            max_width = placed.box.w * block.width if block.width else None
        box = fit_image(float(picture.width), float(picture.height), placed.box, max_width)
        rid, svg_rid = self.relate_picture(shapes.part, picture)
        sid = shapes.new_id()
        shapes.xml.append(picture_pic(sid, f"Picture {sid - 1}", box, rid, descr, title, svg_rid, link_rid))
        shapes.appear(step, Target(sid, kind="pic"))

    def _footer(self, shapes: _Shapes, slide: Slide, number: int, info: LayoutInfo) -> None:
        """Footer text, slide number and running header; the slide's own directives win."""
        if slide.layout is Layout.TITLE:
            return
        theme = self.theme
        boxes = footer_boxes(theme)
        # Muted on the theme's background; on a dark slide the slide's own (light) text colour.
        body_color = text_color(slide, theme)
        color = theme.color("muted") if body_color == theme.color("text") else body_color
        size, lh = theme.sizes["footer"], theme.sizes["line_height"]
        footer = slide.footer or ((Span(theme.footer_text),) if theme.footer_text else ())
        if footer:
            para = Para(inline_runs(footer, theme), size, color, slide.ref, line_height=lh)
            body = tx_body([para], theme, shapes.link, self.lang, anchor="ctr")
            sid = shapes.new_id()
            shapes.xml.append(placeholder_sp(sid, f"Footer {sid - 1}", info.footer, boxes.text, body)
                              if info.footer else text_box_sp(sid, f"Footer {sid - 1}", boxes.text, body))
        if slide.paginate if slide.paginate is not None else theme.slide_numbers:
            body = slide_number_body(size, color, theme, self.lang, number)
            sid = shapes.new_id()
            shapes.xml.append(placeholder_sp(sid, f"Slide Number {sid - 1}", info.number, boxes.number, body)
                              if info.number else
                              text_box_sp(sid, f"Slide Number {sid - 1}", boxes.number, body))
        if slide.header:
            para = Para(inline_runs(slide.header, theme), size, color, slide.ref, line_height=lh)
            sid = shapes.new_id()
            shapes.xml.append(text_box_sp(sid, f"Header {sid - 1}", header_box(theme),
                                          tx_body([para], theme, shapes.link, self.lang, anchor="ctr")))

    # ----------------------------------------------------------------- notes

    def _notes(self, slide_part: Part, slide: Slide) -> None:
        if self.notes_phs is None:
            self.notes_phs = self._notes_master()
        image_ph, body_ph = self.notes_phs
        assert self.notes_master is not None
        notes_part = Part(self.names.next("/ppt/notesSlides/notesSlide%d.xml"), CT.NOTES_SLIDE)
        notes_part.relate_to(self.notes_master, RT.NOTES_MASTER)
        notes_part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(notes_part, RT.NOTES_SLIDE)

        def link(url: str) -> str:
            return notes_part.relate_to(url, RT.HYPERLINK, external=True)

        paras = paras_xml(notes_paras(slide.notes, self.theme, NOTES_SIZE), self.theme, link, self.lang)
        # Written directly: python-pptx's clone_master_placeholders costs more than the rest.
        notes_part.blob = _notes_xml(image_ph, body_ph, paras)
        self.notes_count += 1

    def _notes_master(self) -> tuple[str, str]:
        """The notes master (the reference deck's, or python-pptx's stock one with its slide image
        made 16:9 like the slides), and the <p:ph> of its slide image and notes body placeholders."""
        master = self.pres.related(RT.NOTES_MASTER)
        if master is None:
            master = Part(self.names.next("/ppt/notesMasters/notesMaster%d.xml"), CT.NOTES_MASTER,
                          stock_file("notesMaster.xml"))
            theme_part = Part(self.names.next("/ppt/theme/theme%d.xml"), CT.THEME, stock_file("theme.xml"))
            master.relate_to(theme_part, RT.THEME)
            self.pres.relate_to(master, RT.NOTES_MASTER)
            root = master.xml()
            _widen_slide_image(root, self.theme)
            master.set_xml(root)
        self.notes_master = master
        phs = {ph.get("type", "obj"): ph for ph in master.xml().iter(f"{{{NS_P}}}ph")}
        return (_ph_string(phs.get("sldImg"), '<p:ph type="sldImg"/>'),
                _ph_string(phs.get("body"), '<p:ph type="body" idx="1"/>'))

    # ----------------------------------------------------------------- document

    def finish(self, doc: DocumentMeta) -> None:
        self._presentation_lists()
        self._core_properties(doc)
        self._app_properties()
        for rel in self.package.rels.of_type(RT.THUMBNAIL):
            self.package.rels.drop(rel.rid)  # the stock thumbnail shows an empty 4:3 slide
        for rel in self.pres.rels.of_type(RT.PRINTER_SETTINGS):
            self.pres.rels.drop(rel.rid)

    def _presentation_lists(self) -> None:
        """The slide list and the notes master's entry in presentation.xml, in schema order."""
        root = self.pres.xml()
        rel_id = f"{{{NS_R}}}id"
        if self.notes_master is not None and root.find(f"{{{NS_P}}}notesMasterIdLst") is None:
            rid = self.pres.relate_to(self.notes_master, RT.NOTES_MASTER)
            lst = etree.SubElement(root, f"{{{NS_P}}}notesMasterIdLst")
            etree.SubElement(lst, f"{{{NS_P}}}notesMasterId", {rel_id: rid})
            _place(root, lst, _AFTER_NOTES_MASTERS)
        slides = root.find(f"{{{NS_P}}}sldIdLst")
        if slides is None:
            slides = etree.SubElement(root, f"{{{NS_P}}}sldIdLst")
            _place(root, slides, _AFTER_SLIDES)
        for number, rid in self.slide_ids:
            etree.SubElement(slides, f"{{{NS_P}}}sldId", {"id": str(number), rel_id: rid})
        if not len(slides):
            root.remove(slides)  # the schema wants at least one sldId in a list
        self.pres.set_xml(root)

    def _core_properties(self, doc: DocumentMeta) -> None:
        """docProps/core.xml from the deck's metadata (common/document.py: the PDF's rule too)."""
        fields = [("dc:title", doc.title), ("dc:subject", doc.subject), ("dc:creator", doc.author),
                  ("cp:keywords", doc.keywords), ("dc:description", doc.description),
                  ("cp:lastModifiedBy", doc.author), ("cp:revision", "1"),
                  ("dc:language", self.deck.meta.lang)]
        body = "".join(f"<{tag}>{esc(value)}</{tag}>" for tag, value in fields if value)
        when = doc.date
        if when is not None:
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            body += "".join(f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{tag}>'
                            for tag in ("created", "modified"))
        blob = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                f"<cp:coreProperties {_CORE_NS}>{body}</cp:coreProperties>").encode()
        part = self.package.rels.related(RT.CORE_PROPERTIES)
        if part is None:
            part = Part("/docProps/core.xml", CT_CORE)
            self.package.rels.add(part, RT.CORE_PROPERTIES)
        part.content_type = CT_CORE
        part.blob = blob

    def _app_properties(self) -> None:
        part = self.package.rels.related(RT.EXTENDED_PROPERTIES)
        if part is None:
            return
        n = len(self.deck.slides)
        part.blob = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
            'openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.'
            'openxmlformats.org/officeDocument/2006/docPropsVTypes"><TotalTime>0</TotalTime>'
            f"<PresentationFormat>Custom</PresentationFormat><Slides>{n}</Slides>"
            f"<Notes>{self.notes_count}</Notes><HiddenSlides>0</HiddenSlides>"
            f"<Application>deckwright</Application></Properties>").encode()


def _notes_xml(image_ph: str, body_ph: str, paras: str) -> bytes:
    """A notes page: the slide's picture and the notes text, both placeholders of the notes master."""
    shapes = ""
    if image_ph:
        shapes = (
            '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>'
            f'<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr>{image_ph}</p:nvPr>'
            '</p:nvSpPr><p:spPr/></p:sp><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/>'
            f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{body_ph}</p:nvPr></p:nvSpPr>'
            f"<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paras}</p:txBody></p:sp>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:notes {NSDECL}><p:cSld>'
            f"<p:spTree>{GROUP_HEAD}{shapes}</p:spTree></p:cSld>"
            "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>").encode()


def _ph_string(ph: object, default: str) -> str:
    if ph is None:
        return default
    attrs = "".join(f' {k}="{esc(v)}"' for k, v in sorted(ph.attrib.items()))  # type: ignore[attr-defined]
    return f"<p:ph{attrs}/>"


def _widen_slide_image(master: etree._Element, theme: Theme) -> None:
    """python-pptx's notes master frames a 4:3 slide image; give it the slides' aspect."""
    p, a = f"{{{NS_P}}}", f"{{{NS_A}}}"
    for sp in master.iter(f"{p}sp"):
        ph = sp.find(f"{p}nvSpPr/{p}nvPr/{p}ph")
        if ph is None or ph.get("type") != "sldImg":
            continue
        off = sp.find(f"{p}spPr/{a}xfrm/{a}off")
        ext = sp.find(f"{p}spPr/{a}xfrm/{a}ext")
        if off is None or ext is None:
            continue
        page_w = 6858000
        height = int(ext.get("cy", "0"))
        width = min(round(height * theme.width / theme.height), page_w - 2 * 381000)
        height = round(width * theme.height / theme.width)
        off.set("x", str((page_w - width) // 2))
        ext.set("cx", str(width))
        ext.set("cy", str(height))


# presentation.xml children that come after each list (CT_Presentation's sequence).
_AFTER_SLIDES = ("sldSz", "notesSz", "smartTags", "embeddedFontLst", "custShowLst", "photoAlbum",
                 "custDataLst", "kinsoku", "defaultTextStyle", "modifyVerifier", "extLst")
_AFTER_NOTES_MASTERS = ("handoutMasterIdLst", "sldIdLst", *_AFTER_SLIDES)
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
_CORE_NS = ('xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


def _place(root: etree._Element, element: etree._Element, successors: Sequence[str]) -> None:
    """Move `element` before the first of its schema successors present in `root`."""
    for name in successors:
        found = root.find(f"{{{NS_P}}}{name}")
        if found is not None and found is not element:
            found.addprevious(element)
            return


def _para_ranges(steps: Sequence[int]) -> list[tuple[int, int, int]]:
    """(step, first, last) for each run of consecutive paragraphs with the same step > 0."""
    out: list[tuple[int, int, int]] = []
    for i, step in enumerate(steps):
        if step <= 0:
            continue
        if out and out[-1][0] == step and out[-1][2] == i - 1:
            out[-1] = (step, out[-1][1], i)
        else:
            out.append((step, i, i))
    return out


# --------------------------------------------------------------------------- determinism


# Already compressed: deflating them again costs time and gains nothing.
_STORED = (".png", ".jpeg", ".jpg", ".gif")


def package_bytes(package: Package, when: dt.datetime | None) -> bytes:
    """The package as a zip, written once: fixed timestamps, [Content_Types].xml first, then by name."""
    return zip_items(package.items(), when)


def zip_items(items: dict[str, bytes], when: dt.datetime | None) -> bytes:
    # A zip holds dates from 1980 to 2107 only.
    stamp = ZIP_EPOCH if when is None else min(max(ZIP_EPOCH, tuple(when.timetuple()[:6])), ZIP_LAST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(items, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            stored = name.lower().endswith(_STORED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same bytes whichever system builds it
            info.external_attr = 0
            dst.writestr(info, items[name], compresslevel=6)
    return out.getvalue()


__all__ = ["DeckBuilder", "PartNames", "package_bytes", "zip_items"]
