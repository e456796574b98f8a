"""A strict allow-list HTML sanitizer (html.parser): author HTML and link targets made safe for the deck."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

# Neither bleach nor nh3 is a dependency, so this is a small allow-list of our own: anything not
# listed is dropped. Tags whose content is code or a document of its own go with their content.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
})
DROP_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "applet", "template", "noscript", "noembed",
    "noframes", "frame", "frameset", "xmp", "textarea", "select", "title", "svg", "math", "head",
})
VOID_TAGS = frozenset({"br", "col", "hr", "img", "wbr"})
ALLOWED_ATTRS = frozenset({
    "align", "alt", "cite", "class", "color", "colspan", "datetime", "dir", "face", "height", "href",
    "id", "lang", "name", "open", "rowspan", "size", "span", "src", "start", "style", "title", "type",
    "valign", "width",
})
URL_ATTRS = frozenset({"href", "src", "cite"})
_DATA_ATTR = re.compile(r"^data-[a-z0-9_.:-]+$")
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_CSS_DANGER = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str, *, local_only: bool = False) -> bool:
    """True for web, mail and relative links; never javascript:, vbscript:, data: or file:.

    `local_only` also refuses http(s) (for `src`: the deck must not load anything from the network).
    """
    lowered = _CONTROL.sub("", url).lower()
    head = re.split(r"[/?#]", lowered, maxsplit=1)[0]
    if ":" not in head:
        return not lowered.startswith("//")  # protocol-relative URLs are remote
    return not local_only and lowered.startswith(_SAFE_SCHEMES)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.skip: list[str] = []  # the dropped elements we are inside of
        self.removed: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            self.removed.add(f"<{tag}>")
            if tag not in VOID_TAGS:
                self.skip.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            self.removed.add(f"<{tag}>")
            return
        kept = self.attributes(tag, attrs)
        self.out.append(f"<{tag}{kept}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        parts: list[str] = []
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.removed.add("event handler attributes (on…)")
                continue
            if name not in ALLOWED_ATTRS and not _DATA_ATTR.match(name):
                self.removed.add(f"attribute `{name}`")
                continue
            if name in URL_ATTRS and not safe_url(value, local_only=name == "src"):
                self.removed.add(f"`{name}` URL {value[:40]!r}")
                continue
            if name == "style" and _CSS_DANGER.search(value):
                self.removed.add("style with url()/expression()")
                continue
            parts.append(f' {name}="{escape(value, quote=True)}"')
        if tag == "a" and any(p.startswith(" href=") for p in parts):
            parts.append(' rel="noopener noreferrer"')
        return "".join(parts)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag not in self.open:
            return  # a stray closing tag must not close the writer's own elements
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        """Comments are dropped: IE conditional comments can hold markup."""

    def handle_decl(self, decl: str) -> None:
        """Doctypes are dropped."""

    def unknown_decl(self, data: str) -> None:
        """CDATA sections are dropped."""

    def handle_pi(self, data: str) -> None:
        """Processing instructions are dropped."""

    def result(self) -> str:
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def sanitize_html(html: str) -> tuple[str, tuple[str, ...]]:
    """HTML with only allow-listed tags and attributes, balanced; and what was removed (sorted)."""
    parser = _Sanitizer()
    parser.feed(html)
    cleaned = parser.result()
    return cleaned, tuple(sorted(parser.removed))
