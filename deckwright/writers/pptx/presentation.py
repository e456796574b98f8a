"""The presentation being assembled in its template's package: a slide part (and notes page) per slide,
in order, then presentation.xml's lists, the document properties, and the template's leftovers dropped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from lxml import etree

from deckwright.layout.plan import Plan
from deckwright.model.deck import Slide
from deckwright.model.theme import Theme
from deckwright.writers.common.document import DocumentMeta
from deckwright.writers.common.images import Picture
from deckwright.writers.pptx.notes import Notes
from deckwright.writers.pptx.opc import CT, RT, Part
from deckwright.writers.pptx.parts import Media, PartNames
from deckwright.writers.pptx.props import write_properties
from deckwright.writers.pptx.slide import fill_slide
from deckwright.writers.pptx.template import Template, add_logo
from deckwright.writers.pptx.xml import NS_P, NS_R

# presentation.xml children that come after each list (CT_Presentation's sequence).
_AFTER_SLIDES = ("sldSz", "notesSz", "smartTags", "embeddedFontLst", "custShowLst", "photoAlbum",
                 "custDataLst", "kinsoku", "defaultTextStyle", "modifyVerifier", "extLst")
_AFTER_NOTES_MASTERS = ("handoutMasterIdLst", "sldIdLst", *_AFTER_SLIDES)


class PresentationBuilder:
    """Slides added in order to the template's package; `finish` completes the package."""

    def __init__(self, template: Template, plan: Plan, theme: Theme, pictures: Mapping[Path, Picture],
                 lang: str) -> None:
        self.template, self.plan, self.theme, self.lang = template, plan, theme, lang
        self.package = template.package
        self.pres = template.presentation
        self.names = PartNames(p.partname for p in self.package.iter_parts())
        self.media = Media(self.names, pictures)
        self.notes = Notes(self.names, self.pres, theme, lang)
        # (id, rId) of each slide, written into presentation.xml once at the end.
        self.slide_ids: list[tuple[int, str]] = []

    def add_logo(self, picture: Picture) -> None:
        """The theme's logo on the slide master."""
        master = self.template.master
        rid, svg_rid = self.media.relate(master, picture)
        add_logo(master, rid, self.theme, picture.aspect, svg_rid)

    def add_slide(self, slide: Slide, number: int) -> None:
        """Slide `number` (from 1) as a part on its layout, listed in order, with its notes page."""
        info = self.template.layouts[slide.layout]
        part = Part(self.names.next("/ppt/slides/slide%d.xml"), CT.SLIDE)
        part.relate_to(info.part, RT.SLIDE_LAYOUT)
        self.slide_ids.append((255 + number, self.pres.rels.add(part, RT.SLIDE)))
        fill_slide(part, self.media, info, slide, self.plan.slides[number - 1], number, self.theme, self.lang)
        if slide.notes:
            self.notes.add(part, slide)

    def finish(self, doc: DocumentMeta, language: str) -> None:
        """presentation.xml's lists and the document properties (`language`: the deck's own, if it
        says one) written; the stock thumbnail (an empty 4:3 slide) and printer settings dropped."""
        list_slides(self.pres, self.slide_ids, self.notes.master)
        write_properties(self.package, doc, language, len(self.slide_ids), self.notes.count)
        for rel in self.package.rels.of_type(RT.THUMBNAIL):
            self.package.rels.drop(rel.rid)
        for rel in self.pres.rels.of_type(RT.PRINTER_SETTINGS):
            self.pres.rels.drop(rel.rid)


def list_slides(pres: Part, slide_ids: Sequence[tuple[int, str]], notes_master: Part | None) -> None:
    """The slide list and the notes master's entry in presentation.xml, in schema order."""
    root = pres.xml()
    rel_id = f"{{{NS_R}}}id"
    if notes_master is not None and root.find(f"{{{NS_P}}}notesMasterIdLst") is None:
        rid = pres.relate_to(notes_master, RT.NOTES_MASTER)
        lst = etree.SubElement(root, f"{{{NS_P}}}notesMasterIdLst")
        etree.SubElement(lst, f"{{{NS_P}}}notesMasterId", {rel_id: rid})
        _place(root, lst, _AFTER_NOTES_MASTERS)
    slides = root.find(f"{{{NS_P}}}sldIdLst")
    if slides is None:
        slides = etree.SubElement(root, f"{{{NS_P}}}sldIdLst")
        _place(root, slides, _AFTER_SLIDES)
    for number, rid in slide_ids:
        etree.SubElement(slides, f"{{{NS_P}}}sldId", {"id": str(number), rel_id: rid})
    if not len(slides):
        root.remove(slides)  # the schema wants at least one sldId in a list
    pres.set_xml(root)


def _place(root: etree._Element, element: etree._Element, successors: Sequence[str]) -> None:
    """Move `element` before the first of its schema successors present in `root`."""
    for name in successors:
        found = root.find(f"{{{NS_P}}}{name}")
        if found is not None and found is not element:
            found.addprevious(element)
            return
