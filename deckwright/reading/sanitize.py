"""An allow-list HTML sanitizer on nh3 (ammonia): author HTML and link targets made safe for the deck."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import nh3

# Anything not listed is dropped. Tags whose content is code or a document of its own go with their content.
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
ALLOWED_ATTRS = frozenset({
    "align", "alt", "cite", "class", "color", "colspan", "datetime", "dir", "face", "height", "href",
    "id", "lang", "name", "open", "rowspan", "size", "span", "src", "start", "style", "title", "type",
    "valign", "width",
})
URL_ATTRS = frozenset({"href", "src", "cite"})
LINK_REL = "noopener noreferrer"
_DATA_ATTR = re.compile(r"^data-[a-z0-9_.:-]+$")
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_CSS_DANGER = re.compile(r"url\s*\(|image-set\s*\(|image\s*\(|cross-fade\s*\(|element\s*\(|src\s*\(|"
                         r"expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding", re.I)
# CSS escapes (`u\72l(` is `url(`, `\75rl(` too): decoded before the check, as a browser reads them.
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
# data-* attributes reveal.js reads to load something (lazy images and media, previews, backgrounds):
# a deck loads only its own files, so these go (the deck's own backgrounds come from directives).
_LOADING_DATA = re.compile(r"^data-(src|srcset|preview-(link|image|video)|background(-.*)?|iframe|poster)$")


def _css_text(value: str) -> str:
    def decode(m: re.Match[str]) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return m.group(2)

    return _CSS_ESCAPE.sub(decode, value)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
# HTML's void elements: they never hold content, so a dropped one (<embed>) hides nothing after it.
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
})
# The inventory reads with the standard library's tokenizer, which (in Python 3.11) reads two `<!` forms
# further than the HTML5 parser inside ammonia does: it would miss markup that ammonia sees and removes.
# Rewritten for the inventory only, they end where HTML5 ends them: `--!>` closes a comment, and `<![…`
# outside SVG and MathML is a bogus comment that ends at the first `>`.
_INVENTORY_FIXES = ((re.compile(r"--!>"), "-->"), (re.compile(r"<!\["), "<!_["))


def safe_url(url: str, *, local_only: bool = False) -> bool:
    """True for web, mail and relative links; never javascript:, vbscript:, data: or file:.

    `local_only` also refuses http(s) (for `src`: the deck must not load anything from the network).
    """
    # Browsers read a backslash as a slash in such URLs: `/\host/x` and `\\host\x` are remote too.
    lowered = _CONTROL.sub("", url).lower().replace("\\", "/")
    head = re.split(r"[/?#]", lowered, maxsplit=1)[0]
    if ":" not in head:
        return not lowered.startswith("//")  # protocol-relative URLs are remote
    return not local_only and lowered.startswith(_SAFE_SCHEMES)


class _Judge:
    """nh3's attribute filter: the value checks ammonia has no option for, and what they removed."""

    def __init__(self) -> None:
        self.removed: set[str] = set()
        self.dropped: Counter[tuple[str, str]] = Counter()
        self.href_kept = False

    def __call__(self, tag: str, name: str, value: str) -> str | None:
        if tag not in ALLOWED_TAGS:
            return value  # ammonia shows us elements it then removes: they go whole, reported as such
        if tag == "a" and name == "rel":
            # ammonia appends `rel` to every <a> after its own attributes and then filters them in order, so
            # here the href (if any) has been judged: a link that lost it is no link and needs no rel.
            kept, self.href_kept = self.href_kept, False
            return value if kept else None
        problem = self.problem(name, value)
        if problem is not None:
            self.removed.add(problem)
            self.dropped[tag, name] += 1
            return None
        if tag == "a" and name == "href":
            self.href_kept = True
        return value

    @staticmethod
    def problem(name: str, value: str) -> str | None:
        if name.startswith("data-") and (not _DATA_ATTR.match(name) or _LOADING_DATA.match(name)):
            return f"attribute `{name}`"
        if name in URL_ATTRS and not safe_url(value, local_only=name == "src"):
            return f"`{name}` URL {value[:40]!r}"  # `cite` is not a URL to ammonia; `src` must stay local
        if name == "style" and _CSS_DANGER.search(_css_text(value)):
            return "style with url()/expression()"
        return None


class _Inventory(HTMLParser):
    """The start tags in a fragment, and the attributes of allow-listed ones, as the tokenizer reads them.

    What is inside a dropped-with-content element is left out: it goes with its container, which is counted.
    """

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attrs: Counter[tuple[str, str]] = Counter()
        self.values: dict[tuple[str, str], list[str]] = {}
        self.inside: list[str] = []
        for pattern, replacement in _INVENTORY_FIXES:
            html = pattern.sub(replacement, html)
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside:
            if tag == self.inside[-1]:
                self.inside.append(tag)
            return
        self.tags[tag] += 1
        if tag in DROP_WITH_CONTENT:
            if tag not in _VOID:
                self.inside.append(tag)
        elif tag in ALLOWED_TAGS:
            first: dict[str, str | None] = {}
            for name, value in attrs:
                first.setdefault(name, value)  # HTML keeps the first of a repeated attribute: so do we
            for name, value in first.items():
                if tag == "a" and name == "rel" and value == LINK_REL:
                    continue  # the rel ammonia adds (an author's identical one loses nothing)
                self.attrs[tag, name] += 1
                self.values.setdefault((tag, name), []).append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if self.inside and tag == self.inside[-1]:
            self.inside.pop()


def _attribute_problem(name: str, values: list[str]) -> str:
    if name.startswith("on"):
        return "event handler attributes (on…)"
    if name in URL_ATTRS:
        # ammonia removed it before our filter saw it: a scheme outside its list, or a URL it cannot parse.
        value = next((v for v in values if not safe_url(v, local_only=name == "src")), values[0])
        return f"`{name}` URL {value[:40]!r}"
    return f"attribute `{name}`"


def sanitize_html(html: str) -> tuple[str, tuple[str, ...]]:
    """HTML with only allow-listed tags and attributes, balanced; and what was removed (sorted)."""
    html = _SURROGATE.sub("\ufffd", html)  # nh3 takes UTF-8 only; HTML reads `&#xD800;` as U+FFFD too
    judge = _Judge()
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes={"*": ALLOWED_ATTRS},
        generic_attribute_prefixes={"data-"},
        url_schemes={scheme.rstrip(":") for scheme in _SAFE_SCHEMES},
        attribute_filter=judge,
        link_rel=LINK_REL,
        strip_comments=True,  # IE conditional comments can hold markup
    )
    # ammonia does not say what it removed: so that nothing goes unreported, the input's tags and
    # attributes are counted against the output's.
    before, after = _Inventory(html), _Inventory(cleaned)
    removed = set(judge.removed)
    removed.update(f"<{tag}>" for tag in before.tags - after.tags)
    for tag, name in before.attrs - after.attrs - judge.dropped:
        removed.add(_attribute_problem(name, before.values[tag, name]))
    return cleaned, tuple(sorted(removed))
