"""The document properties: docProps/core.xml from the deck's metadata, docProps/app.xml's counts."""

from __future__ import annotations

import datetime as dt

from deckwright.writers.common.document import DocumentMeta
from deckwright.writers.pptx.opc import RT, Package, Part
from deckwright.writers.pptx.xml import esc

CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
_CORE_NS = ('xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


def write_properties(package: Package, doc: DocumentMeta, lang: str, slides: int, notes: int) -> None:
    """Set the package's core properties (made if the template has none) and its app properties
    (if it has them: they are optional)."""
    part = package.rels.related(RT.CORE_PROPERTIES)
    if part is None:
        part = Part("/docProps/core.xml", CT_CORE)
        package.rels.add(part, RT.CORE_PROPERTIES)
    part.content_type = CT_CORE
    part.blob = core_xml(doc, lang)
    app = package.rels.related(RT.EXTENDED_PROPERTIES)
    if app is not None:
        app.blob = app_xml(slides, notes)


def core_xml(doc: DocumentMeta, lang: str) -> bytes:
    """docProps/core.xml: the rule the PDF follows too (common/document.py); created and modified
    are the document's date, left out without one (never "now")."""
    fields = [("dc:title", doc.title), ("dc:subject", doc.subject), ("dc:creator", doc.author),
              ("cp:keywords", doc.keywords), ("dc:description", doc.description),
              ("cp:lastModifiedBy", doc.author), ("cp:revision", "1"), ("dc:language", lang)]
    body = "".join(f"<{tag}>{esc(value)}</{tag}>" for tag, value in fields if value)
    if doc.date is not None:
        stamp = w3c_datetime(doc.date)
        body += "".join(f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{tag}>'
                        for tag in ("created", "modified"))
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f"<cp:coreProperties {_CORE_NS}>{body}</cp:coreProperties>").encode()


def w3c_datetime(when: dt.datetime) -> str:
    """A UTC time as W3CDTF, the year in four digits (strftime writes year 1 as "1" on glibc)."""
    return (f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
            f"T{when.hour:02d}:{when.minute:02d}:{when.second:02d}Z")


def app_xml(slides: int, notes: int) -> bytes:
    """docProps/app.xml: the application and the counts PowerPoint shows in the file's details."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
        'openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.'
        'openxmlformats.org/officeDocument/2006/docPropsVTypes"><TotalTime>0</TotalTime>'
        f"<PresentationFormat>Custom</PresentationFormat><Slides>{slides}</Slides>"
        f"<Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides>"
        f"<Application>deckwright</Application></Properties>").encode()
