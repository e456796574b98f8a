"""Parts added to the package: names handed out from counters, and one part per distinct image."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from deckwright.writers.common.images import Picture
from deckwright.writers.pptx.opc import RT, Part

SVG_CT = "image/svg+xml"


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


class Media:
    """The deck's pictures as image parts: one part per distinct image however often it is shown,
    related from each part that shows it (an SVG beside its PNG fallback)."""

    def __init__(self, names: PartNames, pictures: Mapping[Path, Picture]) -> None:
        self.names = names
        self.pictures = pictures
        # Images' width / height: fit sizes images no taller than their full-width size.
        self.aspects = {path: picture.aspect for path, picture in pictures.items()}
        self._parts: dict[tuple[str, str], Part] = {}

    def image_part(self, blob: bytes, ext: str, content_type: str) -> Part:
        key = (hashlib.sha256(blob).hexdigest(), content_type)
        part = self._parts.get(key)
        if part is None:
            part = Part(self.names.next(f"/ppt/media/image%d.{ext}"), content_type, blob)
            self._parts[key] = part
        return part

    def relate(self, owner: Part, picture: Picture) -> tuple[str, str | None]:
        """The rIds of `picture` from `owner`: its PNG (or native raster), and its SVG if any."""
        rid = owner.relate_to(self.image_part(picture.blob, picture.ext, picture.content_type), RT.IMAGE)
        svg_rid = None
        if picture.svg is not None:
            svg_rid = owner.relate_to(self.image_part(picture.svg, "svg", SVG_CT), RT.IMAGE)
        return rid, svg_rid
