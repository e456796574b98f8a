"""Document metadata: one rule for the date and the subject, read back the same from the PPTX and the PDF."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pptx import Presentation
from testkit import REPO

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Deck, DeckMeta, Layout, Paragraph, Slide, Span
from deckwright.model.theme import Theme
from deckwright.writers.common.document import deck_date, document_date, document_meta
from deckwright.writers.pdf import writer as pdf_writer
from deckwright.writers.pptx import writer as pptx_writer

UTC = dt.UTC


# --------------------------------------------------------------------------- the rule


def test_dates_come_from_source_date_epoch_then_the_deck_never_now() -> None:
    meta = DeckMeta(date="2026-03-14")
    assert document_date(meta, {"SOURCE_DATE_EPOCH": "1700000000"}) == dt.datetime(2023, 11, 14, 22, 13, 20,
                                                                                  tzinfo=UTC)
    assert document_date(meta, {}) == dt.datetime(2026, 3, 14, tzinfo=UTC)
    assert document_date(DeckMeta(date="2026"), {}) == dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert document_date(DeckMeta(date="spring 2026"), {}) is None
    assert document_date(DeckMeta(), {"SOURCE_DATE_EPOCH": "soon"}) is None


def test_dates_that_do_not_exist_are_left_out() -> None:
    assert document_date(DeckMeta(date="2026-02-30"), {}) is None
    assert document_date(DeckMeta(date="0000"), {}) is None
    assert document_date(DeckMeta(), {"SOURCE_DATE_EPOCH": "9" * 30}) is None
    assert document_date(DeckMeta(date="2028-02-29"), {}) == dt.datetime(2028, 2, 29, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-05-06", dt.datetime(2026, 5, 6, tzinfo=UTC)),
    ("2026-05", dt.datetime(2026, 5, 1, tzinfo=UTC)),
    ("2026", dt.datetime(2026, 1, 1, tzinfo=UTC)),
    (" 2026-05 ", dt.datetime(2026, 5, 1, tzinfo=UTC)),
    # A YAML timestamp reaches the writers as a day with a time: the day counts (as the PPTX always did).
    ("2026-05-06T10:00", dt.datetime(2026, 5, 6, tzinfo=UTC)),
    ("2026-05-14 10:00:00", dt.datetime(2026, 5, 14, tzinfo=UTC)),
    ("2026-13", None), ("2026-5-6", None), ("20260506", None), ("2026-05-06T", None),
    ("May 2026", None), ("", None),
])
def test_the_deck_date_is_a_year_a_month_or_a_day(text: str, expected: dt.datetime | None) -> None:
    assert deck_date(text) == expected


def test_an_unusable_source_date_epoch_leaves_the_deck_date() -> None:
    meta = DeckMeta(date="2026-05")
    for value in ("soon", "-5", "9" * 30, ""):
        assert document_date(meta, {"SOURCE_DATE_EPOCH": value}) == dt.datetime(2026, 5, 1, tzinfo=UTC)


def test_the_subject_is_the_subtitle_and_the_description_stays_the_description() -> None:
    meta = DeckMeta(title="Docker", subtitle="Containers from the ground up", description="A long account.",
                    author="Ada", keywords=("docker", "oci"))
    doc = document_meta(meta, {})
    assert (doc.title, doc.subject, doc.description) == ("Docker", "Containers from the ground up",
                                                         "A long account.")
    assert (doc.author, doc.keywords, doc.date) == ("Ada", "docker, oci", None)


# --------------------------------------------------------------------------- both documents


def _deck(date: str) -> Deck:
    ref = SourceRef("slides/deck.md", 1)
    meta = DeckMeta(title="Dated deck", subtitle="What the deck is about", author="Ada",
                    description="A longer account of the deck.", keywords=("dates", "metadata"),
                    date=date, slug="dated")
    slide = Slide(ref, Layout.CONTENT, title=(Span("One"),), blocks=(Paragraph(ref, (Span("Text"),)),))
    return Deck(meta, (slide,), REPO)


def _both(deck: Deck, theme: Theme, environ: dict[str, str],
          monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """(python-pptx's core properties of the PPTX, pypdf's metadata of the slides PDF)."""
    from pypdf import PdfReader

    if "SOURCE_DATE_EPOCH" in environ:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", environ["SOURCE_DATE_EPOCH"])
    else:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data, diags = pptx_writer.render(deck, theme)
    assert data is not None, [str(d) for d in diags]
    rendered = pdf_writer.render(deck, theme, environ, parallel=False)
    assert not [d for d in rendered.diagnostics if d.is_error]
    return Presentation(io.BytesIO(data)).core_properties, PdfReader(io.BytesIO(rendered.slides)).metadata


@pytest.mark.parametrize(("date", "environ", "expected"), [
    ("2026-05-06", {}, dt.datetime(2026, 5, 6)),
    ("2026-05", {}, dt.datetime(2026, 5, 1)),
    ("2026", {}, dt.datetime(2026, 1, 1)),
    ("the sixth of May", {}, None),
    ("2026-02-30", {}, None),
    ("2026-05", {"SOURCE_DATE_EPOCH": "1700000000"}, dt.datetime(2023, 11, 14, 22, 13, 20)),
])
def test_pptx_and_pdf_carry_the_same_date_and_subject(date: str, environ: dict[str, str],
                                                      expected: dt.datetime | None, theme: Theme,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    props, info = _both(_deck(date), theme, environ, monkeypatch)
    pdf_created = info.creation_date
    assert props.created == expected and props.modified == expected
    assert (pdf_created.astimezone(UTC).replace(tzinfo=None) if pdf_created else None) == expected
    if expected is None:
        assert "/CreationDate" not in info  # never "now"
    assert props.subject == info.subject == "What the deck is about"
    assert props.comments == "A longer account of the deck."
    assert (props.title, props.author, props.keywords) == (info.title, info.author, info["/Keywords"])
