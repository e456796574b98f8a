"""Finds a deck on disk: deck.yaml or front matter, slide files in order, data tables; reads them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from deckwright.diagnostics import Diagnostic, SourceRef, display_path, error, has_errors, sort_key, warning
from deckwright.model.deck import Deck, DeckMeta, Layout, Paragraph, QRCode, Slide, Span
from deckwright.reading import reader
from deckwright.reading.datatables import DataTable, load_tables
from deckwright.reading.limits import MAX_DECK_LINES, limit_diags, too_many_lines
from deckwright.reading.meta import Meta, normalize_meta
from deckwright.reading.reader import ParsedFile, parse_file
from deckwright.support.memo import Tokens, memoise
from deckwright.support.paths import MAX_TEXT_BYTES, NOT_UTF8_NAME, inside, misnamed, unreadable
from deckwright.support.yamlsafe import YamlList, YamlMap, load_yaml

CONFIG_NAME = "deck.yaml"
SLIDES_DIR = "slides"
# Settings that steer how one file is read: a file's own front matter wins for that file only.
PER_FILE_KEYS = frozenset({"slide_level", "notes_comments", "dialect", "allow_scripts"})
# Of those, these never pass from one file to the next (only deck.yaml sets them for every file):
# one Marp file does not make the next a Marp file, and one file's opt-in to scripts is its own.
FILE_ONLY_KEYS = frozenset({"dialect", "allow_scripts"})

# The reader's entry point, memoised: watch re-reads edited files only. Reading checks that images
# exist, so it is forgotten when files other than Markdown change (`forget_file_results`).
read_tokens = memoise(reader.read_tokens, 1024, reads_files=True)


def _parse_file(text: str, shown: str, root: Path, dialect: str | None) -> ParsedFile:
    """parse_file whose tokens carry a cache key, so reading them can be memoised too."""
    parsed = parse_file(text, shown, root, dialect=dialect)
    tokens = Tokens(parsed.tokens)
    tokens.key = ("parse_file", text, shown, str(root), dialect)
    parsed.tokens = tokens
    return parsed


_parse_cached = memoise(_parse_file, 1024, reads_files=True)  # it checks which themes exist


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str  # relative to the project root, as in diagnostics


# --------------------------------------------------------------------------- files


def read_source(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """A text file as str with "\\n" line ends; a UTF-8 BOM is dropped; not UTF-8 → an error."""
    problem = unreadable(path, MAX_TEXT_BYTES)
    if problem is not None:
        return None, [error(SourceRef(shown, 1), f"cannot read file: it {problem}")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(SourceRef(shown, 1), f"cannot read file: {exc.strerror or exc}")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error(SourceRef(shown, 1), "file is not UTF-8 (it is UTF-16); save it as UTF-8")]
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(SourceRef(shown, 1),
                            f"file is not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); "
                            "save it as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _config_files(root: Path, config: YamlMap, shown: str,
                  allowed: tuple[Path, ...]) -> tuple[list[SourceFile], list[Diagnostic]]:
    """The slide files listed under `slides:` in deck.yaml (relative to slides/, or to the root)."""
    entries = config.get("slides")
    line = config.key_lines.get("slides", 1)
    if not isinstance(entries, YamlList) or not entries:
        return [], [error(SourceRef(shown, line), "`slides` must be a list of Markdown files, "
                                                  "e.g. [01-intro.md, 02-basics.md]")]
    files: list[SourceFile] = []
    diags: list[Diagnostic] = []
    for entry, item_line in zip(entries, entries.item_lines, strict=True):
        ref = SourceRef(shown, item_line)
        if not isinstance(entry, str) or not entry.strip():
            diags.append(error(ref, f"a slide file must be a path, not {entry!r}"))
            continue
        rel = entry.strip()
        path = root / rel if rel.startswith(f"{SLIDES_DIR}/") else root / SLIDES_DIR / rel
        problem = unreadable(path, MAX_TEXT_BYTES)
        if not inside(path, *allowed):
            diags.append(error(ref, f"slide file is outside the project: {rel} "
                                    "(use --allow-dir to allow a folder)"))
        elif problem == "not found":
            diags.append(error(ref, f"slide file not found: {display_path(path, root)}"))
        elif problem is not None:
            diags.append(error(ref, f"slide file {rel} {problem}"))
        else:
            files.append(SourceFile(path, display_path(path, root)))
    return files, diags


def _default_files(root: Path, allowed: tuple[Path, ...]) -> tuple[list[SourceFile], list[Diagnostic]]:
    """slides/*.md in file-name order (name them 01-…, 02-… to order them)."""
    files: list[SourceFile] = []
    diags: list[Diagnostic] = []
    folder = root / SLIDES_DIR
    for path in sorted(folder.glob("*.md"), key=lambda p: p.name) if folder.is_dir() else []:
        shown = f"{SLIDES_DIR}/{path.name}"
        if path.name.startswith(".") or path.is_dir():
            continue
        bad_name = misnamed(path.name)
        if bad_name is not None:
            diags.append(error(SourceRef(f"{SLIDES_DIR}/{bad_name}", 1), NOT_UTF8_NAME))
            continue
        if not inside(path, *allowed):
            diags.append(error(SourceRef(shown, 1), "slide file is a symlink to outside the project "
                                                    "(use --allow-dir to allow a folder)"))
            continue
        # A pipe or a device named *.md is reported, not opened (reading a FIFO never ends).
        problem = unreadable(path, MAX_TEXT_BYTES)
        if problem is not None:
            diags.append(error(SourceRef(shown, 1), f"slide file {problem}"))
            continue
        files.append(SourceFile(path, shown))
    return files, diags


def _named_files(root: Path, sources: tuple[Path, ...],
                 allowed: tuple[Path, ...]) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Markdown files named on the command line, in that order; they must lie inside the project."""
    files: list[SourceFile] = []
    diags: list[Diagnostic] = []
    for path in sources:
        shown = display_path(path, root)
        if not inside(path, *allowed):
            diags.append(error(SourceRef(shown, 1), "slide file is outside the project (--root; "
                                                    "use --allow-dir to allow a folder)"))
            continue
        files.append(SourceFile(path.resolve(), shown))
    return files, diags


def _load_config(root: Path) -> tuple[YamlMap | None, list[Diagnostic]]:
    path = root / CONFIG_NAME
    if not (path.exists() or path.is_symlink()):  # a pipe or a broken link is reported, not skipped
        return None, []
    if not inside(path, root):
        return None, [error(SourceRef(CONFIG_NAME, 1), "deck.yaml is a symlink to outside the project")]
    text, diags = read_source(path, CONFIG_NAME)
    if text is None:
        return None, diags
    data, diags = load_yaml(text, CONFIG_NAME)
    if has_errors(diags):
        return None, diags
    if data is None:
        empty = YamlMap()
        empty.line, empty.key_lines = 1, {}
        return empty, diags
    if not isinstance(data, YamlMap):
        return None, [error(SourceRef(CONFIG_NAME, 1), "deck.yaml must hold `key: value` lines")]
    return data, diags


# --------------------------------------------------------------------------- metadata


def slugify(text: str) -> str:
    """A file-name-safe slug: ASCII lower case words joined by '-' ("Docker für alle" → "docker-fur-alle")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def _merge(into: dict[str, object], origin: dict[str, SourceRef], meta: Meta, shown: str,
           diags: list[Diagnostic]) -> None:
    """Earlier sources win (deck.yaml, then files in order); a conflicting later value is reported.

    `dialect` and `allow_scripts` from a file stay with that file.
    """
    for key, value in meta.items():
        ref = SourceRef(shown, meta.lines.get(key, 1))
        if key in FILE_ONLY_KEYS and shown != CONFIG_NAME:
            continue
        if key not in into:
            into[key], origin[key] = value, ref
        elif into[key] != value and key not in PER_FILE_KEYS:
            diags.append(warning(ref, f"`{key}` is already set to {into[key]!r} at {origin[key]}; "
                                      "this value is ignored"))


def deck_meta(meta: Mapping[str, object], theme_ref: SourceRef | None = None) -> DeckMeta:
    """DeckMeta from merged, checked metadata; the slug defaults to a slug of the title."""

    def text(key: str, default: str = "") -> str:
        value = meta.get(key)
        return value if isinstance(value, str) and value else default

    keywords = meta.get("keywords", ())
    title = text("title")
    return DeckMeta(
        title=title, subtitle=text("subtitle"), author=text("author"), date=text("date"),
        url=text("url"), theme=text("theme", "default"), lang=text("lang", "en"),
        description=text("description"),
        keywords=tuple(str(k) for k in keywords) if isinstance(keywords, tuple) else (),
        slug=text("slug") or slugify(title) or "deck", theme_ref=theme_ref, notes=text("notes"),
    )


def _restack(new: list[Slide], before: list[Slide]) -> list[Slide]:
    """Vertical stack numbers made unique across files (each file numbers its stacks from 1)."""
    offset = max((s.stack for s in before), default=0)
    return [replace(s, stack=s.stack + offset) if s.stack else s for s in new] if offset else new


def title_slide(meta: DeckMeta, ref: SourceRef) -> Slide:
    """Slide 1, made from the metadata: title, subtitle, author · date, and the url with a QR code."""
    blocks: list[Paragraph | QRCode] = []
    byline = " · ".join(v for v in (meta.author, meta.date) if v)
    if byline:
        blocks.append(Paragraph(ref, (Span(byline),)))
    if meta.url:
        blocks.append(Paragraph(ref, (Span(meta.url, href=meta.url),)))
        blocks.append(QRCode(ref, meta.url))
    subtitle = (Span(meta.subtitle),) if meta.subtitle else ()
    notes = tuple(Paragraph(ref, (Span(" ".join(para.split())),))
                  for para in meta.notes.split("\n\n") if para.strip())
    return Slide(ref=ref, layout=Layout.TITLE, title=(Span(meta.title),), subtitle=subtitle,
                 blocks=tuple(blocks), notes=notes)


# --------------------------------------------------------------------------- the project


def load_project(root: Path, *, dialect: str | None = None, allow_dirs: tuple[Path, ...] = (),
                 sources: tuple[Path, ...] = ()) -> tuple[Deck | None, list[Diagnostic]]:
    """Read the deck under `root`; every problem is reported, None only when no slide could be read."""
    root = root.resolve()
    diags: list[Diagnostic] = []
    config, config_diags = _load_config(root)
    diags.extend(config_diags)

    merged: dict[str, object] = {}
    origin: dict[str, SourceRef] = {}
    if config is not None:
        config_meta, meta_diags = normalize_meta(config, CONFIG_NAME, extra_keys=("slides",),
                                                 what="deck.yaml")
        diags.extend(meta_diags)
        config_meta.pop("slides", None)
        _merge(merged, origin, config_meta, CONFIG_NAME, diags)

    allowed = (root, *(d.resolve() for d in allow_dirs))
    files, file_diags = _slide_files(root, config, sources, allowed)
    diags.extend(file_diags)
    # The dialect: a file's own `dialect:` key, else --dialect, else deck.yaml's, else detected.
    deck_dialect = merged.get("dialect")
    forced = dialect or (deck_dialect if isinstance(deck_dialect, str) else None)
    texts, too_long = _read_texts(files, diags)
    if too_long:
        return None, sorted(diags, key=sort_key)
    parsed: list[tuple[SourceFile, ParsedFile]] = []
    for source, text in texts:
        parsed_file = _parse_cached(text, source.shown, root, forced)
        diags.extend(parsed_file.diags)
        _merge(merged, origin, parsed_file.meta, source.shown, diags)
        parsed.append((source, parsed_file))

    tables, table_diags = load_tables(root, allowed)
    diags.extend(table_diags)
    slides, slide_diags = _read_slides(parsed, root, merged, tables, allow_dirs)
    diags.extend(slide_diags)
    diags.sort(key=sort_key)  # a report that reads top to bottom, file by file
    meta_out = deck_meta(merged, origin.get("theme"))
    if merged.get("allow_scripts") is True or any(f.meta.get("allow_scripts") is True for _, f in parsed):
        meta_out = replace(meta_out, allow_scripts=True)
    slides = _with_title_slide(slides, meta_out, origin, parsed)
    too_big = limit_diags(slides)
    if too_big:
        # Refused before layout, which is what would take minutes.
        return None, sorted(diags + too_big, key=sort_key)
    if not slides:
        if parsed:
            diags.append(error(SourceRef(parsed[0][0].shown, 1), "the deck has no slides"))
        return None, diags
    return Deck(meta=meta_out, slides=tuple(slides), root=root), diags


def _read_texts(files: list[SourceFile],
                diags: list[Diagnostic]) -> tuple[list[tuple[SourceFile, str]], bool]:
    """Every slide file's text (problems added to `diags`); True when they pass MAX_DECK_LINES.

    All are read before any is parsed: parsing costs about 0.1 ms a line, so a deck too long is
    refused in a moment rather than after its first files took minutes.
    """
    texts: list[tuple[SourceFile, str]] = []
    lines = 0
    for source in files:
        text, read_diags = read_source(source.path, source.shown)
        diags.extend(read_diags)
        if text is None:
            continue
        before, lines = lines, lines + text.count("\n") + 1
        if lines > MAX_DECK_LINES:
            diags.append(too_many_lines(source.shown, MAX_DECK_LINES - before + 1))
            return texts, True
        texts.append((source, text))
    return texts, False


def _slide_files(root: Path, config: YamlMap | None, sources: tuple[Path, ...],
                 allowed: tuple[Path, ...]) -> tuple[list[SourceFile], list[Diagnostic]]:
    """The slide files in order: named on the command line, else listed in deck.yaml, else slides/*.md."""
    if sources:
        files, diags = _named_files(root, sources, allowed)
    elif config is not None and "slides" in config:
        files, diags = _config_files(root, config, CONFIG_NAME, allowed)
    else:
        files, diags = _default_files(root, allowed)
    if not files and not diags:
        diags = [error(SourceRef(SLIDES_DIR), "no slide files: add Markdown files such as "
                                              "slides/01-intro.md")]
    return files, diags


def _read_slides(parsed: list[tuple[SourceFile, ParsedFile]], root: Path, merged: Mapping[str, object],
                 tables: Mapping[str, DataTable], allow_dirs: tuple[Path, ...]
                 ) -> tuple[list[Slide], list[Diagnostic]]:
    """Every parsed file read into slides, in order, each with the deck settings under its own."""
    slides: list[Slide] = []
    diags: list[Diagnostic] = []
    for source, parsed_file in parsed:
        settings = {**merged, **parsed_file.meta}
        file_slides, read_diags = read_tokens(parsed_file.tokens, source.shown, root, settings=settings,
                                              tables=tables, allow_dirs=allow_dirs,
                                              options=parsed_file.options)
        slides.extend(_restack(file_slides, slides))
        diags.extend(read_diags)
    return slides, diags


def _with_title_slide(slides: list[Slide], meta: DeckMeta, origin: Mapping[str, SourceRef],
                      parsed: list[tuple[SourceFile, ParsedFile]]) -> list[Slide]:
    """A title slide made from the metadata first, when the deck has a title and wants one."""
    # Marp and reveal-md decks make their own title slide; their `title` only names the document.
    title_ref = origin.get("title", SourceRef(CONFIG_NAME, 1))
    makes_title = title_ref.path == CONFIG_NAME or any(
        p.options.title_slide for s, p in parsed if s.shown == title_ref.path)
    if meta.title and makes_title:
        return [title_slide(meta, title_ref), *slides]
    return slides
