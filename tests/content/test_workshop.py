"""The Docker workshop deck, read straight from slides/*.md, slides/data/*.yaml and assets/*.svg.

These tests do not use the builder: they state what the content itself must satisfy so that an
instructor can trust it in class (commands that work, current syntax, canonical links, notes on
every slide, diagrams that are safe to embed, tables that exist and fit a slide).
"""

from __future__ import annotations

import re
import shlex
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from testkit import REPO

SLIDES_DIR = REPO / "slides"
DATA_DIR = SLIDES_DIR / "data"
ASSETS = REPO / "assets"
SLIDE_FILES = sorted(SLIDES_DIR.glob("*.md"))
SVG_FILES = sorted(ASSETS.glob("*.svg"))

DECK_URL = "https://github.com/deckwright/docker-workshop"
CODE_LANGUAGES = {"bash", "console", "dockerfile", "yaml", "python", "text"}
DATA_FENCES = {"table", "glossary", "qr"}
# Readability limits of a 16:9 slide at the theme's sizes (code 20 px, tables 20 px).
MAX_CODE_LINES = 12
MAX_CODE_WIDTH = 60
MAX_TABLE_ROWS = 6
MAX_TABLE_COLUMNS = 5
# Hosts a link may point to: the projects' own sites and repositories, never a redirector.
CANONICAL_HOSTS = {
    "docs.docker.com", "www.docker.com", "hub.docker.com", "github.com", "opencontainers.org",
    "docs.podman.io", "podman.io", "kubernetes.io", "containerd.io", "cri-o.io", "doi.org",
}
SHORTENERS = {"bit.ly", "moourl.me", "goo.gl", "t.co", "tinyurl.com", "ow.ly", "is.gd", "buff.ly", "rb.gy"}
FONT_FAMILY = "liberation sans,arial,sans-serif"

FENCE_OPEN = re.compile(r"^ {0,3}(?P<marks>`{3,}|~{3,})(?P<info>[^`]*)$")
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>()`\"']+", re.IGNORECASE)
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
NOTES = re.compile(r"^::: *notes[ \t]*\n(?P<body>.*?)^:::[ \t]*$", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^(?P<marks>#{1,2}) +(?P<text>.+?)\s*$", re.MULTILINE)


# --------------------------------------------------------------------------- reading the deck


@dataclass(frozen=True)
class Fence:
    path: Path
    line: int  # 1-based line of the opening fence
    info: str
    body: str

    @property
    def lang(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def arg(self) -> str:
        parts = self.info.split()
        return parts[1] if len(parts) > 1 else ""

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


@dataclass(frozen=True)
class Slide:
    path: Path
    line: int  # 1-based line where the slide starts
    text: str  # the slide's Markdown, fences included
    prose: str  # the slide's Markdown with the bodies of fenced blocks blanked out
    fences: tuple[Fence, ...]

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"

    @property
    def heading(self) -> tuple[int, str] | None:
        """(level, text) of the slide's first # or ## heading."""
        m = HEADING.search(self.prose)
        return (len(m["marks"]), m["text"]) if m else None

    @property
    def notes(self) -> str | None:
        m = NOTES.search(self.prose)
        return m["body"] if m else None

    @property
    def body(self) -> str:
        """The prose without the notes block."""
        return NOTES.sub("", self.prose)


@dataclass(frozen=True)
class SlideFile:
    path: Path
    front_matter: dict[str, object] | None
    slides: tuple[Slide, ...]
    # Line numbers of slide breaks whose neighbours are not both blank.
    bad_breaks: tuple[int, ...]


@cache
def read(path: Path) -> SlideFile:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = 0
    front: dict[str, object] | None = None
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        loaded = yaml.safe_load("\n".join(lines[1:end]))
        front = loaded if isinstance(loaded, dict) else {}
        start = end + 1

    slides: list[Slide] = []
    bad_breaks: list[int] = []
    chunk: list[str] = []
    prose: list[str] = []
    fences: list[Fence] = []
    chunk_start = start
    fence: tuple[str, int, str, list[str]] | None = None  # marks, line, info, body

    def flush() -> None:
        if "".join(chunk).strip():
            slides.append(Slide(path, chunk_start + 1, "\n".join(chunk), "\n".join(prose), tuple(fences)))

    for i in range(start, len(lines)):
        line = lines[i]
        if fence is not None:
            marks, first, info, body = fence
            stripped = line.strip()
            if stripped and set(stripped) == {marks[0]} and len(stripped) >= len(marks):
                fences.append(Fence(path, first + 1, info, "\n".join(body)))
                fence = None
                prose.append(line)
            else:
                body.append(line)
                prose.append("")
            chunk.append(line)
            continue
        m = FENCE_OPEN.match(line)
        if m:
            fence = (m["marks"], i, m["info"].strip(), [])
        elif line.strip() == "---":
            before = lines[i - 1].strip() if i > start else ""
            after = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if before or after:
                bad_breaks.append(i + 1)
            flush()
            chunk, prose, fences = [], [], []
            chunk_start = i + 1
            continue
        chunk.append(line)
        prose.append(line)
    assert fence is None, f"{path.name}:{fence[1] + 1}: code fence is never closed"
    flush()
    return SlideFile(path, front, tuple(slides), tuple(bad_breaks))


def all_slides() -> list[Slide]:
    return [s for f in SLIDE_FILES for s in read(f).slides]


def all_fences() -> list[Fence]:
    return [f for s in all_slides() for f in s.fences]


def fences(lang: str) -> list[Fence]:
    return [f for f in all_fences() if f.lang == lang]


def ids(items: list[Fence] | list[Slide]) -> list[str]:
    return [item.where for item in items]


def command_lines(text: str) -> list[str]:
    """Shell lines with backslash continuations joined and comments removed."""
    joined = re.sub(r"\\\n\s*", " ", text)
    out = []
    for line in joined.split("\n"):
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if line:
            out.append(line)
    return out


def test_the_deck_has_slide_files() -> None:
    assert len(SLIDE_FILES) >= 8, "one Markdown file per section is expected in slides/"
    assert all(re.fullmatch(r"\d{2}-[a-z0-9-]+\.md", f.name) for f in SLIDE_FILES), [
        f.name for f in SLIDE_FILES
    ]


# --------------------------------------------------------------------------- deck structure


def test_deck_metadata_is_in_the_first_file_only() -> None:
    first, *rest = SLIDE_FILES
    meta = read(first).front_matter
    assert meta is not None, f"{first.name} must open with the deck's front matter"
    assert meta["title"] == "Let's learn Docker!"
    assert str(meta["subtitle"]).strip()
    assert str(meta["author"]).strip()
    assert str(meta["date"]).startswith("2026")
    assert meta["url"] == DECK_URL
    assert meta["lang"] == "en"
    assert meta["slug"] == "docker-workshop"
    assert [f.name for f in rest if read(f).front_matter is not None] == []


def test_deck_has_about_45_slides_after_the_generated_title() -> None:
    count = len(all_slides())
    assert 40 <= count <= 55, f"{count} slides: split or merge to stay near 45"


def test_first_slide_is_the_agenda() -> None:
    first = all_slides()[0]
    assert first.heading is not None and first.heading[1] == "Agenda"


def test_every_section_file_opens_with_a_section_slide() -> None:
    for path in SLIDE_FILES[1:]:
        opening = read(path).slides[0]
        heading = opening.heading
        assert heading is not None and heading[0] == 1, f"{opening.where}: not a section slide"


def test_section_slides_hold_a_heading_and_at_most_one_line() -> None:
    sections = [s for s in all_slides() if s.heading and s.heading[0] == 1]
    assert len(sections) >= 8, "the deck has eight sections"
    for slide in sections:
        rest = [ln for ln in slide.body.split("\n") if ln.strip() and not ln.startswith("# ")]
        assert len(rest) <= 1, f"{slide.where}: a section slide holds only its heading and one line"
        assert not slide.fences, f"{slide.where}: no code or tables on a section slide"


def test_content_slides_have_a_second_level_title() -> None:
    for slide in all_slides():
        assert slide.heading is not None, f"{slide.where}: slide without a title"
        if slide.heading[0] == 2:
            assert len(HEADING.findall(slide.body)) == 1, f"{slide.where}: one title per slide"


def test_slide_breaks_have_a_blank_line_before_and_after() -> None:
    bad = [f"{f.name}:{n}" for f in SLIDE_FILES for n in read(f).bad_breaks]
    assert bad == [], "a `---` without blank lines around it is read as a heading underline"


@pytest.mark.parametrize("slide", all_slides(), ids=ids(all_slides()))
def test_every_slide_ends_with_speaker_notes(slide: Slide) -> None:
    notes = slide.notes
    assert notes is not None, f"{slide.where}: no `::: notes` block"
    assert len(notes.split()) >= 15, f"{slide.where}: notes should say what to tell, show or watch for"
    after = slide.prose[NOTES.search(slide.prose).end():]  # type: ignore[union-attr]
    assert after.strip() == "", f"{slide.where}: the notes block must come last on the slide"


def test_every_slide_has_distinct_title() -> None:
    titles = [s.heading[1] for s in all_slides() if s.heading]
    assert len(titles) == len(set(titles)), [t for t in titles if titles.count(t) > 1]


# --------------------------------------------------------------------------- code blocks


def test_every_code_fence_names_a_known_language() -> None:
    unknown = [f"{f.where}: {f.info!r}" for f in all_fences() if f.lang not in CODE_LANGUAGES | DATA_FENCES]
    assert unknown == []


@pytest.mark.parametrize("fence", [f for f in all_fences() if f.lang in CODE_LANGUAGES],
                         ids=ids([f for f in all_fences() if f.lang in CODE_LANGUAGES]))
def test_code_blocks_fit_a_slide(fence: Fence) -> None:
    lines = fence.body.rstrip("\n").split("\n")
    assert len(lines) <= MAX_CODE_LINES, f"{fence.where}: {len(lines)} lines; split the block"
    wide = [ln for ln in lines if len(ln) > MAX_CODE_WIDTH]
    assert wide == [], f"{fence.where}: lines longer than {MAX_CODE_WIDTH} characters"
    assert "\t" not in fence.body, f"{fence.where}: tabs render at unpredictable widths"


@pytest.mark.parametrize("fence", fences("yaml"), ids=ids(fences("yaml")))
def test_yaml_blocks_parse(fence: Fence) -> None:
    data = yaml.safe_load(fence.body)
    assert isinstance(data, dict) and data, f"{fence.where}: a YAML example is a non-empty mapping"


def compose_blocks() -> list[Fence]:
    return [f for f in fences("yaml") if "services" in (yaml.safe_load(f.body) or {})]


def test_the_deck_shows_compose_files() -> None:
    assert len(compose_blocks()) >= 4


@pytest.mark.parametrize("fence", compose_blocks(), ids=ids(compose_blocks()))
def test_compose_examples_follow_the_compose_specification(fence: Fence) -> None:
    data = yaml.safe_load(fence.body)
    assert "version" not in data, f"{fence.where}: `version:` is obsolete in the Compose Specification"
    services = data["services"]
    assert isinstance(services, dict) and services
    for name, service in services.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name), f"{fence.where}: bad service name {name!r}"
        assert isinstance(service, dict)
        assert "image" in service or "build" in service, f"{fence.where}: {name} needs image or build"
        for port in service.get("ports", []):
            # Unquoted 22:22 is a base-60 integer to YAML 1.1 parsers: quote port mappings.
            assert isinstance(port, str), f"{fence.where}: {name} port {port!r} must be a quoted string"
        health = service.get("healthcheck")
        if health is not None:
            test = health["test"]
            assert isinstance(test, str) or test[0] in ("CMD", "CMD-SHELL", "NONE"), fence.where
        depends_on = service.get("depends_on") or {}
        if isinstance(depends_on, dict):
            for dep, cond in depends_on.items():
                if cond.get("condition") == "service_healthy" and dep in services:
                    assert "healthcheck" in services[dep], f"{fence.where}: {dep} has no healthcheck"
    unquoted = re.findall(r"^\s*-\s*\d+:\d+\s*$", fence.body, re.MULTILINE)
    assert unquoted == [], f"{fence.where}: quote port mappings"
    for volume in data.get("volumes") or {}:
        assert re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", volume)


def test_named_volumes_in_compose_examples_are_declared() -> None:
    """A named volume is declared at the top level (the web+db file spans two slides, so across blocks)."""
    blocks = [yaml.safe_load(f.body) for f in compose_blocks()]
    declared = {v for b in blocks for v in (b.get("volumes") or {})}
    for fence, data in zip(compose_blocks(), blocks, strict=True):
        for service in data["services"].values():
            for mount in service.get("volumes", []):
                source = str(mount).split(":")[0]
                if not source.startswith((".", "/", "$", "~")):
                    assert source in declared, f"{fence.where}: volume {source!r} is never declared"


@pytest.mark.parametrize("fence", fences("dockerfile"), ids=ids(fences("dockerfile")))
def test_dockerfiles_start_with_a_syntax_line_or_from(fence: Fence) -> None:
    lines = [ln.strip() for ln in fence.body.split("\n")]
    content = [ln for ln in lines if ln]
    assert content, f"{fence.where}: empty Dockerfile"
    assert content[0].startswith("# syntax=") or content[0].upper().startswith("FROM "), fence.where
    instructions = [ln for ln in content if not ln.startswith("#")]
    first = next(ln for ln in instructions if not ln.upper().startswith("ARG "))
    assert first.upper().startswith("FROM "), f"{fence.where}: the first instruction must be FROM"


@pytest.mark.parametrize("fence", fences("dockerfile"), ids=ids(fences("dockerfile")))
def test_dockerfile_stages_and_commands_are_consistent(fence: Fence) -> None:
    stages: list[str] = []
    for line in fence.body.split("\n"):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        keyword = words[0].upper()
        assert keyword == words[0], f"{fence.where}: write instructions in upper case ({words[0]})"
        if keyword == "FROM" and len(words) >= 4 and words[2].upper() == "AS":
            stages.append(words[3].lower())
        for flag in words[1:]:
            if flag.startswith("--from="):
                assert flag.split("=", 1)[1].lower() in stages, f"{fence.where}: unknown stage in {flag}"
        if keyword in ("CMD", "ENTRYPOINT"):
            assert line.split(None, 1)[1].startswith("["), f"{fence.where}: use the exec (JSON) form"


def test_no_slide_uses_the_retired_compose_v1_command() -> None:
    """`docker compose` (the plugin) only; `docker-compose.yml` may appear as a legacy file name."""
    offending = []
    for path in SLIDE_FILES:
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            for m in re.finditer(r"docker-compose(?P<rest>\S*)", line):
                legacy_file = re.match(r"\.ya?ml\b", m["rest"]) and "legacy" in line.lower()
                if not legacy_file:
                    offending.append(f"{path.name}:{n}: {line.strip()}")
    assert offending == []


def test_shell_examples_use_current_docker_commands() -> None:
    lines = [ln for f in fences("bash") + fences("console") for ln in command_lines(f.body)]
    assert any(ln.startswith("docker compose ") for ln in lines)
    assert not [ln for ln in lines if re.search(r"\s--link\b", ln)], "--link is legacy: use a network"
    assert not [ln for ln in lines if re.search(r"docker\s+build\b.*\s-f\s+docker-compose", ln)]


# Options of `docker run` / `docker service create` / `podman run` that take no value.
FLAGS_WITHOUT_VALUE = {"-d", "-i", "-t", "-it", "-ti", "--rm", "--init", "--privileged", "--detach"}


def images_run_by_the_deck() -> dict[str, str]:
    """Image reference -> where it is used: `docker run`, `service create/update`, compose, FROM."""
    used: dict[str, str] = {}
    for fence in fences("bash") + fences("console"):
        for line in command_lines(fence.body):
            for command in re.split(r"\s*(?:&&|;|\|)\s*", line):
                try:
                    words = shlex.split(command)
                except ValueError:
                    continue
                if words[:3] == ["docker", "service", "update"] and "--image" in words:
                    used[words[words.index("--image") + 1]] = fence.where
                if words[:2] in (["docker", "run"], ["podman", "run"]):
                    rest = words[2:]
                elif words[:3] == ["docker", "service", "create"]:
                    rest = words[3:]
                else:
                    continue
                i = 0
                while i < len(rest) and rest[i].startswith("-"):
                    i += 1 if rest[i] in FLAGS_WITHOUT_VALUE or "=" in rest[i] else 2
                if i < len(rest):
                    used[rest[i]] = fence.where
    for fence in compose_blocks():
        for service in yaml.safe_load(fence.body)["services"].values():
            if "image" in service:
                used[str(service["image"])] = fence.where
    for fence in fences("dockerfile"):
        stages = set()
        for m in re.finditer(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", fence.body, re.MULTILINE | re.IGNORECASE):
            if m[1] != "scratch" and m[1] not in stages:
                used[m[1]] = fence.where
            if m[2]:
                stages.add(m[2])
    return used


def built_locally() -> set[str]:
    names = set()
    for fence in fences("bash"):
        for line in command_lines(fence.body):
            names.update(re.findall(r"docker build (?:.*\s)?-t\s+(\S+)", line))
            names.update(re.findall(r"docker tag \S+ (\S+)", line))
    return {n.split(":")[0] for n in names}


def prepulled() -> set[str]:
    slide = next(s for s in all_slides() if s.heading and s.heading[1] == "Before we start")
    text = " ".join(command_lines("\n".join(f.body for f in slide.fences if f.lang == "bash")))
    m = re.search(r"for \w+ in (.+?); do", text)
    assert m, "the 'Before we start' slide pre-pulls the workshop images in a for loop"
    return set(m[1].split())


def test_every_image_the_deck_runs_is_pulled_before_class() -> None:
    pulled = prepulled()
    local = built_locally()
    missing = {}
    for ref, where in images_run_by_the_deck().items():
        name = ref.removeprefix("docker.io/library/").removeprefix("docker.io/")
        if "${" in name:
            name = re.sub(r"\$\{(\w+):-([^}]*)\}", r"\2", name)
        if name.split(":")[0] in local or name.startswith("<"):
            continue
        if name not in pulled:
            missing[name] = where
    assert missing == {}, "add these to the pre-pull loop (a room shares one anonymous pull quota)"


def test_images_are_pinned_to_a_tag() -> None:
    """Pinned tags in examples, as the 'Good habits' slide preaches (a few tiny demo images excepted)."""
    unpinned_ok = {"alpine", "hello-world", "adminer", "traefik/whoami"}
    loose = {ref: where for ref, where in images_run_by_the_deck().items()
             if ":" not in ref and ref not in unpinned_ok and not ref.startswith("<")}
    loose = {r: w for r, w in loose.items() if r.split(":")[0] not in built_locally()}
    assert loose == {}
    assert not [r for r in images_run_by_the_deck() if r.endswith(":latest")]


# --------------------------------------------------------------------------- links and images


def test_links_are_https_on_canonical_hosts() -> None:
    bad = []
    for path in SLIDE_FILES:
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            for url in URL.findall(line):
                parts = urlsplit(url.rstrip(".,;:"))
                host = (parts.hostname or "").lower()
                if parts.scheme != "https":
                    bad.append(f"{path.name}:{n}: not https: {url}")
                elif host in SHORTENERS:
                    bad.append(f"{path.name}:{n}: URL shortener: {url}")
                elif host not in CANONICAL_HOSTS:
                    bad.append(f"{path.name}:{n}: not a canonical host: {url}")
    assert bad == []


def test_no_known_shortener_appears_even_without_a_scheme() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SLIDE_FILES).lower()
    assert [s for s in SHORTENERS if re.search(rf"(?<![\w.-]){re.escape(s)}/", text)] == []


def test_the_deck_url_appears_on_the_closing_slide_with_a_qr_code() -> None:
    last = all_slides()[-1]
    assert DECK_URL in last.body
    assert [f for f in last.fences if f.lang == "qr"], "the closing slide carries a ```qr block"


def slide_images() -> list[tuple[Slide, str, str]]:
    return [(s, m["alt"], m["src"]) for s in all_slides() for m in IMAGE.finditer(s.prose)]


def test_every_image_has_alt_text_and_lives_in_assets() -> None:
    assert slide_images(), "the deck shows its diagrams"
    for slide, alt, src in slide_images():
        assert len(alt.split()) >= 4, f"{slide.where}: alt text must describe the picture ({alt!r})"
        target = (slide.path.parent / src).resolve()
        if not target.exists():
            target = (REPO / src).resolve()
        assert target.is_file(), f"{slide.where}: {src} does not exist"
        assert target.parent == ASSETS.resolve(), f"{slide.where}: images come from assets/"


def test_the_two_diagrams_are_shown_and_every_asset_is_used() -> None:
    used = {Path(src).name for _, _, src in slide_images()}
    assert {"containers-vs-vms.svg", "docker-stack.svg"} <= used
    assert {p.name for p in SVG_FILES} <= used, "unused files in assets/"


# --------------------------------------------------------------------------- SVG diagrams

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@pytest.mark.parametrize("path", SVG_FILES, ids=[p.name for p in SVG_FILES])
def test_svg_is_well_formed_self_contained_and_script_free(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    view_box = [float(v) for v in root.get("viewBox", "").replace(",", " ").split()]
    assert len(view_box) == 4 and view_box[2] > 0 and view_box[3] > 0, "viewBox must be set"
    for el in root.iter():
        name = local(el.tag)
        assert name not in {"script", "foreignObject", "image", "iframe", "embed", "object"}, name
        for attr, value in el.attrib.items():
            assert not local(attr).lower().startswith("on"), f"event handler {attr} on <{name}>"
            if local(attr) == "href" or attr == XLINK_HREF:
                assert value.startswith("#"), f"external reference {value!r}"
        if name == "style":
            css = (el.text or "").lower()
            assert "@import" not in css and not re.search(r"url\(\s*['\"]?(?!#)", css), "external CSS"
    raw = path.read_text(encoding="utf-8").lower()
    assert "javascript:" not in raw and "http://" not in raw.replace("http://www.w3.org/", "")


@pytest.mark.parametrize("path", SVG_FILES, ids=[p.name for p in SVG_FILES])
def test_svg_text_is_real_text_in_the_deck_font(path: Path) -> None:
    root = ET.parse(path).getroot()
    texts = [el for el in root.iter() if local(el.tag) == "text"]
    assert len(texts) >= 6 and all("".join(t.itertext()).strip() for t in texts)
    families = [el.get("font-family", "") for el in root.iter() if el.get("font-family")]
    for el in root.iter():
        css = (el.text or "") if local(el.tag) == "style" else el.get("style", "")
        families += re.findall(r"font-family\s*:\s*([^;}]+)", css)
    assert families, "declare the font family"
    for family in families:
        normal = re.sub(r"[\"'\s]", "", family).lower()
        assert normal == FONT_FAMILY.replace(" ", ""), f"font-family {family!r}"
    title = root.find(f"{SVG_NS}title")
    assert title is not None and (title.text or "").strip(), "an SVG <title> names the diagram"


def svg_labels(name: str) -> list[tuple[float, str]]:
    root = ET.parse(ASSETS / name).getroot()
    return [(float(t.get("y", "0")), "".join(t.itertext()).strip())
            for t in root.iter() if local(t.tag) == "text"]


def test_containers_vs_vms_diagram_shows_both_stacks() -> None:
    labels = " | ".join(text for _, text in svg_labels("containers-vs-vms.svg"))
    for word in ("Virtual machines", "Containers", "Hardware", "Host OS", "Hypervisor", "Guest OS",
                 "Container engine", "kernel", "App A", "Bins/libs"):
        assert word in labels, f"missing label {word!r}"
    assert labels.count("Hardware") == 2 and labels.count("Guest OS") >= 2


def test_docker_stack_diagram_runs_from_cli_down_to_the_kernel() -> None:
    labels = svg_labels("docker-stack.svg")
    order = ["docker CLI", "REST API", "dockerd", "containerd", "containerd-shim", "runc", "Linux kernel"]
    ys = []
    for wanted in order:
        found = [y for y, text in labels if text == wanted]
        assert found, f"missing label {wanted!r}"
        ys.append(found[0])
    assert ys == sorted(ys), "the stack reads top to bottom in this order"
    kernel_detail = " ".join(text for _, text in labels)
    assert "namespaces" in kernel_detail and "cgroups" in kernel_detail


# --------------------------------------------------------------------------- data tables


def table_fences() -> list[Fence]:
    return [f for f in all_fences() if f.lang in ("table", "glossary")]


@cache
def data_table(name: str) -> dict[str, object]:
    loaded = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def table_ids(name: str, key: str) -> list[str]:
    return [str(item["id"]) for item in data_table(name)[key]]  # type: ignore[attr-defined,index]


@pytest.mark.parametrize("fence", table_fences(), ids=ids(table_fences()))
def test_table_fences_name_existing_tables_rows_and_columns(fence: Fence) -> None:
    assert fence.arg, f"{fence.where}: a table fence names its data table"
    assert (DATA_DIR / f"{fence.arg}.yaml").is_file(), f"{fence.where}: no slides/data/{fence.arg}.yaml"
    options = yaml.safe_load(fence.body) or {}
    rows, columns = table_ids(fence.arg, "rows"), table_ids(fence.arg, "columns")
    assert set(options.get("rows", [])) <= set(rows), f"{fence.where}: unknown rows"
    assert set(options.get("columns", [])) <= set(columns), f"{fence.where}: unknown columns"
    assert set(options.get("highlight", [])) <= set(rows + columns), f"{fence.where}: unknown highlight"
    if fence.lang == "table":
        assert len(options.get("rows", rows)) <= MAX_TABLE_ROWS, f"{fence.where}: too many rows for a slide"
        assert len(options.get("columns", columns)) <= MAX_TABLE_COLUMNS, f"{fence.where}: too many columns"


def test_the_three_workshop_tables_are_shown_completely() -> None:
    shown: dict[str, list[str]] = {}
    for fence in fences("table"):
        shown.setdefault(fence.arg, []).extend((yaml.safe_load(fence.body) or {}).get("rows", []))
    for name in ("terminology", "containers-vs-vms", "runtimes"):
        rows = sorted(shown.get(name, []))
        assert rows == sorted(table_ids(name, "rows")), f"{name}: rows missing or shown twice"


def test_terminology_is_split_into_seed_rows_then_new_rows() -> None:
    views = [yaml.safe_load(f.body) for f in fences("table") if f.arg == "terminology"]
    assert [v["rows"] for v in views] == [
        ["engine", "image", "container", "hub", "registry"],
        ["dockerfile", "tag", "volume", "runconfig", "compose", "service"],
    ]
    assert all(v["columns"] == ["docker", "vm", "ec2", "python", "node"] for v in views)
