"""Every file a build reads passes one rule: inside the project or an --allow-dir, regular, within a size."""

from __future__ import annotations

import os
import shutil
import signal
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pptx import Presentation
from testkit import PNG, REPO

from deckwright.cli import main

DEFAULT_THEME = REPO / "deckwright" / "themes" / "default"
FONT = DEFAULT_THEME / "fonts" / "LiberationSans-Regular.ttf"
TABLE = textwrap.dedent("""\
    columns:
      - {id: a, label: Alpha}
    rows:
      - id: one
        label: One
        values: {a: x}
    """)


@dataclass(frozen=True)
class Kind:
    """One kind of file a deck refers to: where it lives, what a good one holds, how it is named."""

    name: str
    path: str  # where the project's own file goes (relative to the root)
    content: Callable[[Path], None]  # writes a good file of this kind
    # Writes the file that refers to `ref` (a path string) and returns that file (relative to root).
    refer: Callable[[Path, str], str]
    base: str = "slides"  # the folder a relative path starts from
    # The file is found by its place (slides/*.md, slides/data/*.yaml), not named by a path: the
    # error is at its own first line, and "outside" is the folder holding it linked out of the project.
    found_by_place: bool = False


def _theme(root: Path, edit: Callable[[str], str]) -> str:
    theme = root / "themes" / "mine"
    if not theme.exists():
        shutil.copytree(DEFAULT_THEME, theme)
    path = theme / "theme.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    (root / "slides" / "01.md").write_text("---\ntitle: T\ntheme: mine\n---\n\n## One\n\ntext\n",
                                           encoding="utf-8")
    return "themes/mine/theme.yaml"


def _markdown(markdown: str) -> Callable[[Path, str], str]:
    def refer(root: Path, ref: str) -> str:
        (root / "slides" / "01.md").write_text(markdown.replace("REF", ref), encoding="utf-8")
        return "slides/01.md"
    return refer


def _write(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _pptx(path: Path) -> None:
    Presentation().save(str(path))


def _deck_yaml(root: Path, ref: str) -> str:
    (root / "deck.yaml").write_text(f"title: T\nslides: [01.md, {ref}]\n", encoding="utf-8")
    return "deck.yaml"


def _table_fence(root: Path, _ref: str) -> str:
    (root / "slides" / "01.md").write_text("## One\n\n```table t\n```\n", encoding="utf-8")
    return "slides/data/t.yaml"


KINDS = [
    Kind("font", "themes/mine/fonts/x.ttf", lambda p: shutil.copyfile(FONT, p),
         lambda root, ref: _theme(root, lambda y: y.replace("fonts/LiberationSans-Regular.ttf", ref, 1)),
         base="themes/mine"),
    Kind("logo", "themes/mine/logo.png", _write(PNG),
         lambda root, ref: _theme(root, lambda y: y.replace('logo: ""', f"logo: {ref}")), base="themes/mine"),
    Kind("reference deck", "themes/mine/corporate.pptx", _pptx,
         lambda root, ref: _theme(root, lambda y: f"{y}reference_pptx: {ref}\n"), base="themes/mine"),
    Kind("image", "slides/x.png", _write(PNG), _markdown("## One\n\ntext\n\n![a picture](REF)\n")),
    Kind("background", "slides/bg.png", _write(PNG),
         _markdown("## One\n\n<!-- backgroundImage: REF -->\n\ntext\n")),
    Kind("reveal background", "slides/bg.png", _write(PNG),
         _markdown('<!-- .slide: data-background-image="REF" -->\n\n## One\n\ntext\n')),
    Kind("Marp background", "slides/bg.png", _write(PNG),
         _markdown("---\nmarp: true\n---\n\n# One\n\n![bg](REF)\n")),
    Kind("slide file in deck.yaml", "slides/02.md", _write(b"## Two\n"), _deck_yaml),
    Kind("slide file", "slides/02.md", _write(b"## Two\n"), lambda root, ref: "slides/02.md",
         found_by_place=True),
    Kind("data file", "slides/data/t.yaml", _write(TABLE.encode()), _table_fence, found_by_place=True),
]
# What makes each variant unreadable, and the words its error says it with.
VARIANTS = {
    "outside": "outside the project",
    "symlink": "outside the project",
    "fifo": "not a regular file",
    "device": "not a regular file",
    "sparse": "is 1.0 GB, more than the",
}


@pytest.fixture
def deadline() -> Iterator[None]:
    """A read that blocks (a pipe) or never ends (a device) fails the test instead of hanging it."""

    def expire(*_: Any) -> None:
        raise TimeoutError("the build hung reading a file")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def setup(tmp_path: Path, kind: Kind, variant: str) -> tuple[Path, Path, str, list[str]]:
    """The project, the outside folder, where the error must point, and extra CLI arguments."""
    root, outside = tmp_path / "p", tmp_path / "outside"
    (root / "slides").mkdir(parents=True)
    (root / "slides" / "01.md").write_text("## One\n\ntext\n", encoding="utf-8")
    outside.mkdir()
    name = Path(kind.path).name
    kind.content(outside / name)
    inner = root / kind.path
    target = outside / name if variant == "outside" and not kind.found_by_place else inner
    ref = os.path.relpath(target, root / kind.base)
    referrer = kind.refer(root, ref)  # a theme is copied into the project by it
    inner.parent.mkdir(parents=True, exist_ok=True)
    args: list[str] = []
    if variant == "outside" and kind.found_by_place:
        shutil.rmtree(inner.parent)
        inner.parent.symlink_to(outside, target_is_directory=True)
    elif variant == "symlink":
        inner.symlink_to(outside / name)
    elif variant == "fifo":
        os.mkfifo(inner)
    elif variant == "device":
        inner.symlink_to("/dev/zero")
        args = ["--allow-dir", "/dev"]  # allowed, so the device itself is what is refused
    elif variant == "sparse":
        with inner.open("wb") as handle:
            handle.truncate(2**30)  # sparse: a gigabyte that takes no disk
    line = 1
    if not kind.found_by_place:
        rows = (root / referrer).read_text(encoding="utf-8").splitlines()
        line = next(n for n, row in enumerate(rows, 1) if ref in row)
    return root, outside, f"{referrer}:{line}: error:", args


def build(root: Path, *args: str) -> tuple[int, str, float]:
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["build", "--root", str(root), *args])
    return result.exit_code, result.stderr, time.perf_counter() - start


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kind_of_file_is_refused_at_its_line_quickly_and_nothing_is_copied(
        tmp_path: Path, kind: Kind, variant: str, deadline: None) -> None:
    root, _, where, args = setup(tmp_path, kind, variant)
    # HTML alone: its writer copies files beside the page (a gigabyte would be read and copied).
    code, err, seconds = build(root, "-f", "html", *args)
    lines = [row for row in err.splitlines() if row.startswith(where)]
    assert code == 1 and any(VARIANTS[variant] in row for row in lines), err
    assert "Traceback" not in err and seconds < 20
    assert not (root / "dist").exists()


@pytest.mark.parametrize("variant", ["outside", "symlink"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_file_outside_the_project_is_read_from_an_allowed_folder(
        tmp_path: Path, kind: Kind, variant: str, deadline: None) -> None:
    root, outside, _, _ = setup(tmp_path, kind, variant)
    code, err, _ = build(root, "-f", "html", "--allow-dir", str(outside))
    assert code == 0 and "error" not in err, err
    assert (root / "dist").is_dir()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_sparse_gigabyte_is_refused_by_every_format(tmp_path: Path, kind: Kind, deadline: None) -> None:
    root, _, where, args = setup(tmp_path, kind, "sparse")
    code, err, seconds = build(root, "-f", "all", *args)
    assert code == 1 and any(row.startswith(where) and "1.0 GB" in row for row in err.splitlines()), err
    assert seconds < 20 and not (root / "dist").exists()


# --------------------------------------------------------------------------- the theme folder itself


def _theme_project(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "p", tmp_path / "outside"
    (root / "slides").mkdir(parents=True)
    (root / "themes").mkdir()
    (root / "slides" / "01.md").write_text("---\ntitle: T\ntheme: mine\n---\n\n## One\n", encoding="utf-8")
    shutil.copytree(DEFAULT_THEME, outside / "mine")
    return root, outside


def test_a_theme_folder_linked_out_of_the_project_is_refused_unless_allowed(tmp_path: Path,
                                                                           deadline: None) -> None:
    root, outside = _theme_project(tmp_path)
    (root / "themes" / "mine").symlink_to(outside / "mine", target_is_directory=True)
    code, err, _ = build(root, "-f", "html")
    assert code == 1 and "themes/mine/theme.yaml:1: error: the theme folder is a symlink to outside the " \
                         "project (use --allow-dir to allow a folder)" in err, err
    assert not (root / "dist").exists()
    code, err, _ = build(root, "-f", "html", "--allow-dir", str(outside))
    assert code == 0 and "error" not in err, err


@pytest.mark.parametrize(("make", "message"), [
    (lambda p, o: p.symlink_to(o / "mine" / "theme.yaml"), "the theme.yaml is a symlink to outside"),
    (lambda p, o: os.mkfifo(p), "cannot read theme: it is not a regular file"),
    (lambda p, o: p.symlink_to("/dev/zero"), "the theme.yaml is a symlink to outside"),
    (lambda p, o: p.open("wb").truncate(2**30), "cannot read theme: it is 1.0 GB, more than the 16 MB"),
])
def test_a_theme_yaml_that_is_no_readable_file_is_an_error_not_another_theme(
        tmp_path: Path, make: Callable[[Path, Path], Any], message: str, deadline: None) -> None:
    root, outside = _theme_project(tmp_path)
    (root / "themes" / "mine").mkdir()
    make(root / "themes" / "mine" / "theme.yaml", outside)
    code, err, seconds = build(root, "-f", "html")
    assert code == 1 and f"themes/mine/theme.yaml:1: error: {message}" in err, err
    assert seconds < 20 and not (root / "dist").exists()


@pytest.mark.parametrize("name", ["../../etc", "..", "/etc", "mine/../../x", ".hidden"])
def test_a_theme_name_that_is_a_path_is_refused(tmp_path: Path, name: str, deadline: None) -> None:
    root, _ = _theme_project(tmp_path)
    (root / "slides" / "01.md").write_text(f"---\ntitle: T\ntheme: '{name}'\n---\n\n## One\n",
                                           encoding="utf-8")
    code, err, _ = build(root, "-f", "html")
    assert code == 1 and f"slides/01.md:3: error: invalid theme name {name!r}" in err, err
