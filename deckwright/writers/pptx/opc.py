"""The OPC container of a .pptx: parts, relationships and content types, read and written as bytes.

python-pptx's package model costs more to import (it registers hundreds of element classes)
than a 40-slide deck takes to lay out, and it re-parses XML the writer already has as text.
The writer needs little of it: parts named by counters, relationships with rIds as python-pptx
numbers them, [Content_Types].xml and a zip. Stock parts (the Office theme, the notes master)
are read from python-pptx's own template files, without importing it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

NS_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
_PML = "application/vnd.openxmlformats-officedocument.presentationml."


class RT:
    """Relationship types the writer uses."""

    OFFICE_DOCUMENT = _OD + "officeDocument"
    CORE_PROPERTIES = _PKG + "core-properties"
    EXTENDED_PROPERTIES = _OD + "extended-properties"
    THUMBNAIL = _PKG + "thumbnail"
    PRINTER_SETTINGS = _OD + "printerSettings"
    SLIDE_MASTER = _OD + "slideMaster"
    SLIDE_LAYOUT = _OD + "slideLayout"
    SLIDE = _OD + "slide"
    NOTES_MASTER = _OD + "notesMaster"
    NOTES_SLIDE = _OD + "notesSlide"
    THEME = _OD + "theme"
    IMAGE = _OD + "image"
    HYPERLINK = _OD + "hyperlink"


class CT:
    """Content types the writer gives its own parts."""

    SLIDE = _PML + "slide+xml"
    SLIDE_LAYOUT = _PML + "slideLayout+xml"
    NOTES_SLIDE = _PML + "notesSlide+xml"
    NOTES_MASTER = _PML + "notesMaster+xml"
    THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
    RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
    XML = "application/xml"


# Extensions whose content type goes in a <Default> (as python-pptx's opc.spec lists them).
DEFAULT_TYPES = frozenset({
    ("bmp", "image/bmp"), ("emf", "image/x-emf"), ("gif", "image/gif"), ("jpe", "image/jpeg"),
    ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"), ("png", "image/png"), ("tif", "image/tiff"),
    ("tiff", "image/tiff"), ("wmf", "image/x-wmf"), ("wdp", "image/vnd.ms-photo"),
    ("rels", CT.RELATIONSHIPS), ("xml", CT.XML), ("mp4", "video/mp4"), ("mov", "video/quicktime"),
    ("bin", _PML + "printerSettings"),
})
_XML_HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# Parsing as python-pptx does: no entities, no network, whitespace between elements dropped.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


@dataclass(frozen=True, slots=True)
class Rel:
    rid: str
    reltype: str
    target: Part | str  # a part, or an external URL
    external: bool = False


@dataclass(eq=False)
class Part:
    """One part: its name ("/ppt/slides/slide1.xml"), content type, bytes and relationships."""

    partname: str
    content_type: str
    blob: bytes = b""
    rels: Rels = field(init=False)

    def __post_init__(self) -> None:
        self.rels = Rels(posixpath.dirname(self.partname))

    @property
    def ext(self) -> str:
        return posixpath.splitext(self.partname)[1][1:]

    @property
    def member(self) -> str:
        """The zip member name (no leading slash)."""
        return self.partname[1:]

    def xml(self) -> etree._Element:
        return etree.fromstring(self.blob, _PARSER)

    def set_xml(self, root: etree._Element) -> None:
        self.blob = serialize(root)

    def relate_to(self, target: Part | str, reltype: str, external: bool = False) -> str:
        return self.rels.relate_to(target, reltype, external)

    def related(self, reltype: str) -> Part | None:
        return self.rels.related(reltype)


def serialize(root: etree._Element) -> bytes:
    """XML bytes as python-pptx writes a part: UTF-8 with a standalone declaration."""
    return bytes(etree.tostring(root, encoding="UTF-8", standalone=True))


class Rels:
    """A part's (or the package's) relationships, numbered as python-pptx numbers them."""

    def __init__(self, base: str) -> None:
        self.base = base  # the folder relative targets start from
        self._rels: dict[str, Rel] = {}
        # (reltype, target) -> rId: finding an existing relationship must not scan them all.
        self._index: dict[tuple[str, object, bool], str] = {}

    def __len__(self) -> int:
        return len(self._rels)

    def __iter__(self) -> Iterator[Rel]:
        return self._scan()

    def _scan(self) -> Iterator[Rel]:
        """Each relationship in order (a copy: callers may drop some). Every search goes through
        here, so a test can count how many relationships a build looks at."""
        return iter(list(self._rels.values()))

    def __getitem__(self, rid: str) -> Rel:
        return self._rels[rid]

    def relate_to(self, target: Part | str, reltype: str, external: bool = False) -> str:
        """The rId of a relationship to `target`, added if there is none yet."""
        found = self._index.get((reltype, _target_key(target), external))
        return found if found is not None else self.add(target, reltype, external)

    def add(self, target: Part | str, reltype: str, external: bool = False, rid: str | None = None) -> str:
        """A new relationship (the first free rId, gaps first, unless one is given)."""
        if rid is None:
            rid = next(f"rId{n}" for n in range(len(self._rels) + 1, 0, -1)
                       if f"rId{n}" not in self._rels)
        self._rels[rid] = Rel(rid, reltype, target, external)
        self._index.setdefault((reltype, _target_key(target), external), rid)
        return rid

    def drop(self, rid: str) -> None:
        rel = self._rels.pop(rid)
        key = (rel.reltype, _target_key(rel.target), rel.external)
        if self._index.get(key) == rid:
            del self._index[key]
            again = next((r for r in self._scan()
                          if (r.reltype, _target_key(r.target), r.external) == key), None)
            if again is not None:
                self._index[key] = again.rid

    def related(self, reltype: str) -> Part | None:
        for rel in self._scan():
            if rel.reltype == reltype and isinstance(rel.target, Part):
                return rel.target
        return None

    def of_type(self, reltype: str) -> list[Rel]:
        return [rel for rel in self._scan() if rel.reltype == reltype]

    def xml(self) -> bytes:
        """The .rels part, rIds in numerical order (as python-pptx writes it, byte for byte)."""
        def number(rid: str) -> tuple[int, str]:
            return (int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0), rid

        out = [_XML_HEAD, f'<Relationships xmlns="{NS_PR}">']
        for rid in sorted(self._rels, key=number):
            rel = self._rels[rid]
            if isinstance(rel.target, Part):
                ref = posixpath.relpath(rel.target.partname, self.base or "/")
            else:
                ref = rel.target
            mode = ' TargetMode="External"' if rel.external else ""
            out.append(f'<Relationship Id="{attr(rid)}" Type="{attr(rel.reltype)}" '
                       f'Target="{attr(ref)}"{mode}/>')
        out.append("</Relationships>")
        return "".join(out).encode("utf-8")


def _target_key(target: Part | str) -> object:
    return target if isinstance(target, str) else id(target)


def attr(value: str) -> str:
    """An attribute value escaped as lxml escapes it."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


class Package:
    """The package: its own relationships (to the presentation and document properties)."""

    def __init__(self) -> None:
        self.rels = Rels("/")

    def iter_parts(self) -> Iterator[Part]:
        """Each part reachable from the package's relationships, once (depth first)."""
        seen: set[int] = set()
        stack: list[Iterator[Rel]] = [iter(self.rels)]
        while stack:
            rel = next(stack[-1], None)
            if rel is None:
                stack.pop()
                continue
            if rel.external or not isinstance(rel.target, Part) or id(rel.target) in seen:
                continue
            seen.add(id(rel.target))
            yield rel.target
            stack.append(iter(rel.target.rels))

    def main(self) -> Part:
        part = self.rels.related(RT.OFFICE_DOCUMENT)
        if part is None:
            raise ValueError("the package has no presentation part")
        return part

    def items(self) -> dict[str, bytes]:
        """Zip members: [Content_Types].xml, the package's .rels, each part and its .rels."""
        parts = list(self.iter_parts())
        items = {"[Content_Types].xml": content_types_xml(parts), "_rels/.rels": self.rels.xml()}
        for part in parts:
            items[part.member] = part.blob
            if len(part.rels):
                folder, name = posixpath.split(part.member)
                items[posixpath.join(folder, "_rels", name + ".rels")] = part.rels.xml()
        return items


def content_types_xml(parts: Iterable[Part]) -> bytes:
    """Defaults for common extensions, an Override per other part; sorted as python-pptx sorts them."""
    defaults = {"rels": CT.RELATIONSHIPS, "xml": CT.XML}
    overrides: dict[str, str] = {}
    for part in parts:
        if (part.ext.lower(), part.content_type) in DEFAULT_TYPES:
            defaults[part.ext.lower()] = part.content_type
        else:
            overrides[part.partname] = part.content_type
    out = [_XML_HEAD, f'<Types xmlns="{NS_CT}">']
    out.extend(f'<Default Extension="{attr(ext)}" ContentType="{attr(ct)}"/>'
               for ext, ct in sorted(defaults.items()))
    out.extend(f'<Override PartName="{attr(name)}" ContentType="{attr(ct)}"/>'
               for name, ct in sorted(overrides.items()))
    out.append("</Types>")
    return "".join(out).encode("utf-8")


# --------------------------------------------------------------------------- the zip


# Fixed zip timestamp without a build date: the earliest a zip can hold; and the latest.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
ZIP_LAST = (2107, 12, 31, 23, 59, 58)
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


# --------------------------------------------------------------------------- reading


class PackageError(ValueError):
    """A file that is not a readable OPC package."""


def read_package(data: bytes) -> Package:
    """A package from .pptx bytes: every part reachable from the package's relationships."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PackageError(f"not a zip file ({exc})") from exc
    with archive:
        names = set(archive.namelist())

        def read(member: str) -> bytes | None:
            return archive.read(member) if member in names else None

        types = read("[Content_Types].xml")
        if types is None:
            raise PackageError("no [Content_Types].xml")
        defaults, overrides = _content_types(types)
        package = Package()
        parts: dict[str, Part] = {}

        def load(partname: str) -> Part | None:
            if partname in parts:
                return parts[partname]
            blob = read(partname[1:])
            if blob is None:
                return None
            ext = posixpath.splitext(partname)[1][1:].lower()
            ctype = overrides.get(partname.lower()) or defaults.get(ext, "application/octet-stream")
            part = parts[partname] = Part(partname, ctype, blob)
            _load_rels(part.rels, read(_rels_member(partname)), load)
            return part

        _load_rels(package.rels, read("_rels/.rels"), load)
    return package


def _rels_member(partname: str) -> str:
    folder, name = posixpath.split(partname[1:])
    return posixpath.join(folder, "_rels", name + ".rels")


def _content_types(xml: bytes) -> tuple[dict[str, str], dict[str, str]]:
    root = etree.fromstring(xml, _PARSER)
    defaults = {e.get("Extension", "").lower(): e.get("ContentType", "")
                for e in root.iter(f"{{{NS_CT}}}Default")}
    overrides = {e.get("PartName", "").lower(): e.get("ContentType", "")
                 for e in root.iter(f"{{{NS_CT}}}Override")}
    return defaults, overrides


def _load_rels(rels: Rels, xml: bytes | None, load: object) -> None:
    if xml is None:
        return
    for e in etree.fromstring(xml, _PARSER).iter(f"{{{NS_PR}}}Relationship"):
        rid, reltype, ref = e.get("Id", ""), e.get("Type", ""), e.get("Target", "")
        if e.get("TargetMode") == "External":
            rels.add(ref, reltype, external=True, rid=rid)
            continue
        name = ref if ref.startswith("/") else posixpath.normpath(posixpath.join(rels.base or "/", ref))
        part = load(name)  # type: ignore[operator]
        if part is not None:  # a dangling relationship is dropped, as PowerPoint repairs it
            rels.add(part, reltype, rid=rid)


@lru_cache(maxsize=8)
def stock_file(name: str) -> bytes:
    """One of python-pptx's template files (default.pptx, notesMaster.xml, theme.xml), read
    from where it is installed: its import is what this module exists to avoid."""
    spec = importlib.util.find_spec("pptx")
    if spec is None or not spec.submodule_search_locations:
        raise PackageError("python-pptx is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "templates" / name).read_bytes()


__all__ = ["CT", "RT", "Package", "PackageError", "Part", "Rel", "Rels", "attr", "content_types_xml",
           "package_bytes", "read_package", "serialize", "stock_file", "zip_items"]
