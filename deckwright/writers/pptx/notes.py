"""Notes pages: the notes master (the reference deck's or a stock one made 16:9), and a notes slide per
slide with speaker notes."""

from __future__ import annotations

from lxml import etree

from deckwright.layout.flow import notes_paras
from deckwright.model.deck import Slide
from deckwright.model.theme import Theme
from deckwright.writers.pptx.opc import CT, RT, Part, stock_file
from deckwright.writers.pptx.parts import PartNames
from deckwright.writers.pptx.template import ph_xml
from deckwright.writers.pptx.xml import GROUP_HEAD, NS_A, NS_P, NSDECL, paras_xml

NOTES_SIZE = 16.0  # px on the notes page (12 pt, PowerPoint's default)


class Notes:
    """The notes pages of one presentation, made as slides with notes are added."""

    def __init__(self, names: PartNames, pres: Part, theme: Theme, lang: str) -> None:
        self.names, self.pres, self.theme, self.lang = names, pres, theme, lang
        # Found or made at the first slide with notes.
        self.master: Part | None = None
        self._phs: tuple[str, str] | None = None
        self.count = 0

    def add(self, slide_part: Part, slide: Slide) -> None:
        """A notes slide for `slide` (its part `slide_part`), related both ways."""
        if self._phs is None:
            self._phs = self._find_master()
        image_ph, body_ph = self._phs
        assert self.master is not None
        notes_part = Part(self.names.next("/ppt/notesSlides/notesSlide%d.xml"), CT.NOTES_SLIDE)
        notes_part.relate_to(self.master, RT.NOTES_MASTER)
        notes_part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(notes_part, RT.NOTES_SLIDE)

        def link(url: str) -> str:
            return notes_part.relate_to(url, RT.HYPERLINK, external=True)

        paras = paras_xml(notes_paras(slide.notes, self.theme, NOTES_SIZE), self.theme, link, self.lang)
        # Written directly: python-pptx's clone_master_placeholders costs more than the rest.
        notes_part.blob = _notes_xml(image_ph, body_ph, paras)
        self.count += 1

    def _find_master(self) -> tuple[str, str]:
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
        self.master = master
        phs = {ph.get("type", "obj"): ph for ph in master.xml().iter(f"{{{NS_P}}}ph")}
        image, notes = phs.get("sldImg"), phs.get("body")
        return (ph_xml(image) if image is not None else '<p:ph type="sldImg"/>',
                ph_xml(notes) if notes is not None else '<p:ph type="body" idx="1"/>')


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
