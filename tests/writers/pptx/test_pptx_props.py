"""Document properties (props.py): docProps from the deck's metadata, never the clock."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from pptx import Presentation
from pptx_sample import make_deck

from deckwright.model.theme import Theme
from deckwright.writers.common.document import DocumentMeta
from deckwright.writers.pptx import writer
from deckwright.writers.pptx.props import core_xml


def test_core_properties_come_from_the_deck_not_the_clock(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                         images: dict[str, Path], theme: Theme) -> None:
    props = Presentation(str(built)).core_properties
    assert (props.title, props.author, props.keywords) == ("Docker workshop", "Ada", "docker, containers")
    assert props.created is not None and props.created.date().isoformat() == "2024-05-06"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data, _ = writer.render(make_deck(images), theme)
    assert data is not None
    created = Presentation(io.BytesIO(data)).core_properties.created
    assert created is not None and created.isoformat().startswith("2023-11-14T22:13:20")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_dates_are_w3c_times_with_four_digit_years() -> None:
    doc = DocumentMeta("T", "", "", "", "", dt.datetime(999, 5, 6, 7, 8, 9, tzinfo=dt.UTC))
    xml = core_xml(doc, "en").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">0999-05-06T07:08:09Z</dcterms:created>' in xml
    assert "dcterms:modified" in xml and "<dc:language>en</dc:language>" in xml
    assert "dcterms:" not in core_xml(replace(doc, date=None), "").decode()
