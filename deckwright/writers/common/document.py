"""Document metadata the PPTX and the PDF both carry: title, subject, author, keywords, description, date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from deckwright.model.deck import DeckMeta

# A W3C date (the ISO 8601 profile OOXML's dcterms use): a year, a year and month, or a full date.
# Anything else a deck's `date` says ("spring 2026") is shown on the title slide, but is no date.
# A year, a month or a day, and a day may carry a time (a YAML timestamp): the day is what counts.
_W3C_DATE_RE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])(?:[T ]\d{2}:\d{2}\S*)?)?)?$")


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What a document's properties say about the deck; empty text: the property is left out.

    `subject` is the deck's subtitle: OOXML's dc:subject (PowerPoint's "Subject") and the PDF's
    /Subject are the same property, the topic in a line, and the subtitle is the deck's topic line.
    `description` (an account of the deck, several sentences) is dc:description, which PowerPoint
    shows as "Comments"; a PDF's document information has no such entry, so the PDF leaves it out
    rather than putting it where the subject goes.
    """

    title: str
    subject: str
    author: str
    keywords: str
    description: str
    date: dt.datetime | None


def document_meta(meta: DeckMeta, environ: Mapping[str, str]) -> DocumentMeta:
    """The deck's metadata as both writers put it into their documents."""
    return DocumentMeta(title=meta.title, subject=meta.subtitle, author=meta.author,
                        keywords=", ".join(meta.keywords), description=meta.description,
                        date=document_date(meta, environ))


def document_date(meta: DeckMeta, environ: Mapping[str, str]) -> dt.datetime | None:
    """The document's creation (and modification) date, fixed so rebuilds are identical, in UTC.

    SOURCE_DATE_EPOCH (the reproducible-builds convention) wins; else the deck's `date` when it
    is a W3C date that exists; else no date at all (never "now").
    """
    return source_date_epoch(environ) or deck_date(meta.date)


def source_date_epoch(environ: Mapping[str, str]) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, if set to a number of seconds a date can hold.

    A value that is not one ("soon", thirty nines) is ignored as if unset: it says nothing about
    when the deck was made, and the deck's own date may still say it.
    """
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def deck_date(text: str) -> dt.datetime | None:
    """The deck's `date` (2026, 2026-05, 2026-05-06, or a day with a time) as a UTC day; a year or a
    month alone means its first day. None for anything else, and for dates that do not exist."""
    found = _W3C_DATE_RE.match(text.strip())
    if found is None:
        return None
    year, month, day = (int(part) if part else 1 for part in found.groups())
    try:
        return dt.datetime(year, month, day, tzinfo=dt.UTC)
    except ValueError:
        return None


__all__ = ["DocumentMeta", "deck_date", "document_date", "document_meta", "source_date_epoch"]
