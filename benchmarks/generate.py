"""Write a deterministic N-slide benchmark deck that both deckwright and pandoc read.

    python benchmarks/generate.py N OUT_DIR [--marp]

OUT_DIR becomes a deckwright project folder:

    OUT_DIR/slides/deck.md      the deck: YAML front matter (title, author, slide_level: 2),
                                one `## Title` heading per slide (pandoc: --slide-level=2)
    OUT_DIR/assets/chart.png    a small PNG, written once, referenced as ../assets/chart.png
    OUT_DIR/marp/deck.md        (with --marp) the same deck for Marp CLI: `marp: true`, `---`
                                breaks, notes as HTML comments, fragments as `*` lists

Slides cycle deterministically through seven kinds of content, so every size has the same mix:
bullets with bold/code/links, a nested list, a 6-line code block (python/bash/dockerfile), a 4x4 GFM
table, an image with alt text, an incremental list (`::: incremental`), and a `. . .` pause. Every
slide has speaker notes in `::: notes` (pandoc reads these too). The same N gives byte-identical files.
"""

from __future__ import annotations

import argparse
import struct
import zlib
from pathlib import Path

KINDS = ("bullets", "nested", "code", "table", "image", "incremental", "pause")

CODE = {
    "python": [
        "def build(deck: Deck) -> list[Path]:",
        "    written = []",
        "    for fmt in (\"html\", \"pptx\"):",
        "        path = WRITERS[fmt](deck)",
        "        written.append(path)",
        "    return written",
    ],
    "bash": [
        "set -euo pipefail",
        "docker build -t web:1.0 .",
        "docker run -d --name web -p 8080:80 web:1.0",
        "curl -fsS http://localhost:8080/health",
        "docker logs --tail 20 web",
        "docker rm -f web",
    ],
    "dockerfile": [
        "FROM python:3.12-slim",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "COPY . .",
        "CMD [\"python\", \"-m\", \"app\"]",
    ],
}
LANGS = tuple(CODE)


def png_bytes(width: int = 64, height: int = 40) -> bytes:
    """A small deterministic RGB PNG (a colour gradient with a bar), written with the stdlib only."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            bar = 8 <= y < 32 and x % 16 < 10 and (height - y) * 2 > (x // 16 + 1) * 12
            rows += bytes((30, 99, 235) if bar else (240 - y * 2, 244 - x, 250))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + chunk(b"IEND", b""))


def _body(i: int, kind: str, marp: bool) -> list[str]:
    n = i + 1
    if kind == "bullets":
        return [
            f"- Containers share the **host kernel** (slide {n})",
            "- An image is a stack of read-only `layers`",
            "- Read the [Docker docs](https://docs.docker.com/get-started/) for more",
            f"- Tag images with a *version*, not `latest` ({n % 7 + 1}.0)",
        ]
    if kind == "nested":
        return [
            "- Build",
            "  - `docker build -t app .`",
            "  - cache layers by ordering **COPY** late",
            "- Run",
            "  - `docker run --rm app`",
            f"  - publish ports with `-p {8000 + n}:80`",
        ]
    if kind == "code":
        lang = LANGS[(i // len(KINDS)) % len(LANGS)]
        return [f"```{lang}", *CODE[lang], "```"]
    if kind == "table":
        return [
            "| Tool | Start-up | Image size | Notes |",
            "| --- | ---: | ---: | --- |",
            f"| Docker | {n % 5 + 1} s | 120 MB | daemon |",
            "| Podman | 2 s | 118 MB | daemonless |",
            "| nerdctl | 3 s | 121 MB | containerd |",
        ]
    if kind == "image":
        return [f"![Bar chart of image sizes, slide {n}](../assets/chart.png)"]
    if kind == "incremental":
        items = ["- Pull the image", "- Start a container", "- Check the logs", "- Clean up"]
        if marp:
            return [item.replace("- ", "* ", 1) for item in items]
        return ["::: incremental", *items, ":::"]
    if kind == "pause":
        first = f"Volumes keep data when a container is removed (slide {n})."
        second = "Bind mounts map a **host folder** into the container."
        if marp:  # Marp has no paragraph pauses: plain paragraphs
            return [first, "", second]
        return [first, "", ". . .", "", second]
    raise ValueError(kind)


def _notes(i: int, marp: bool) -> list[str]:
    text = (f"Speaker notes for slide {i + 1}: explain the example, then ask the room "
            "which part they would change first.")
    if marp:
        return [f"<!-- {text} -->"]
    return ["::: notes", text, ":::"]


def deck_markdown(n: int, marp: bool = False) -> str:
    """The whole deck as one Markdown string (deterministic for a given n)."""
    head = ["---", f"title: Benchmark deck ({n} slides)", "author: deckwright benchmarks"]
    head += ["marp: true", "paginate: true"] if marp else ["slide_level: 2"]
    lines = [*head, "---", ""]
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        if marp and i:
            lines += ["---", ""]
        lines += [f"## {i + 1}. {kind.capitalize()} slide", ""]
        lines += _body(i, kind, marp)
        lines += [""]
        lines += _notes(i, marp)
        lines += [""]
    return "\n".join(lines)


def generate(n: int, out: Path, marp: bool = False) -> Path:
    """Write the project folder; return the path of slides/deck.md."""
    if n < 1:
        raise ValueError("N must be at least 1")
    (out / "slides").mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(parents=True, exist_ok=True)
    png = out / "assets" / "chart.png"
    data = png_bytes()
    if not png.is_file() or png.read_bytes() != data:
        png.write_bytes(data)
    deck = out / "slides" / "deck.md"
    deck.write_text(deck_markdown(n), encoding="utf-8")
    if marp:
        (out / "marp").mkdir(exist_ok=True)
        (out / "marp" / "deck.md").write_text(deck_markdown(n, marp=True), encoding="utf-8")
    return deck


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic N-slide benchmark deck project.")
    parser.add_argument("n", type=int, help="number of slides")
    parser.add_argument("out", type=Path, help="project folder to write (slides/deck.md, assets/)")
    parser.add_argument("--marp", action="store_true", help="also write marp/deck.md for Marp CLI")
    args = parser.parse_args(argv)
    deck = generate(args.n, args.out, marp=args.marp)
    print(f"wrote {deck} ({args.n} slides)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
