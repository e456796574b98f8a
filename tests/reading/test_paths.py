"""The path policy: images are read from the project (and --allow-dir folders) only."""

from __future__ import annotations

from pathlib import Path

from reading_helpers import FIXTURES, read
from testkit import messages

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Image, Paragraph
from deckwright.reading.paths import PathPolicy, project_file
from deckwright.support.paths import inside


def test_missing_image_is_an_error_and_the_image_is_left_out(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\ntext\n\n![Gone](img/gone.png)\n")
    assert messages(diags) == ["slides/test.md:5: error: image not found: img/gone.png"]
    assert [type(b) for b in slides[0].blocks] == [Paragraph]


def test_image_outside_the_project_is_refused(root: Path) -> None:
    (root.parent / "secret.png").write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    _, _, diags = read(root, "![Secret](../../secret.png)\n")
    assert messages(diags) == ["slides/test.md:1: error: image is outside the project: ../../secret.png "
                               "(use --allow-dir to allow a folder)"]


def test_image_symlink_escaping_the_project_is_refused(root: Path) -> None:
    outside = root.parent / "secret.png"
    outside.write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    (root / "slides" / "img" / "link.png").symlink_to(outside)
    _, _, diags = read(root, "text\n\n![Linked](img/link.png)\n")
    assert messages(diags) == ["slides/test.md:3: error: image is outside the project through a symlink: "
                               "img/link.png (use --allow-dir to allow a folder)"]


def test_allowed_directory_outside_the_project(root: Path) -> None:
    shared = root.parent / "shared"
    shared.mkdir()
    (shared / "logo.png").write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    slides, _, diags = read(root, "![Logo](../../shared/logo.png)\n", allow_dirs=(shared,))
    assert diags == []
    image = slides[0].blocks[0]
    assert isinstance(image, Image) and image.path == (shared / "logo.png").resolve()


def test_image_path_from_project_root_with_leading_slash(root: Path) -> None:
    slides, _, diags = read(root, "![Whale](/slides/img/whale.png)\n")
    assert diags == []
    assert isinstance(slides[0].blocks[0], Image)


# --------------------------------------------------------------------------- the policy on its own


def test_the_policy_reads_only_from_its_folders(tmp_path: Path) -> None:
    project, shared = tmp_path / "project", tmp_path / "shared"
    (project / "slides").mkdir(parents=True)
    shared.mkdir()
    (project / "slides" / "a.png").write_bytes(b"x")
    (shared / "b.png").write_bytes(b"x")
    ref = SourceRef("slides/s.md", 4)
    policy = PathPolicy.for_file(project, "slides/s.md")
    a_png = (project / "slides" / "a.png").resolve()
    assert project_file(policy, "a.png?v=2#top", ref, "image") == (a_png, [])
    assert project_file(policy, "/slides/a%2Epng", ref, "image")[0] == a_png
    path, diags = project_file(policy, "../../shared/b.png", ref, "image")
    assert path is None and [str(d) for d in diags] == [
        "slides/s.md:4: error: image is outside the project: ../../shared/b.png "
        "(use --allow-dir to allow a folder)"]
    allowed = PathPolicy.for_file(project, "slides/s.md", (shared,))
    assert project_file(allowed, "../../shared/b.png", ref, "image")[0] == (shared / "b.png").resolve()
    assert inside(project / "slides" / "a.png", project.resolve())
    assert not inside(shared / "b.png", project.resolve()) and inside(shared / "b.png", project.resolve(),
                                                                       shared.resolve())


def test_remote_files_are_an_error_and_for_other_tools_decks_a_warning(tmp_path: Path) -> None:
    ref = SourceRef("slides/s.md", 1)
    own = PathPolicy.for_file(tmp_path, "slides/s.md")
    foreign = PathPolicy.for_file(tmp_path, "slides/s.md", remote_is_warning=True)
    _, diags = project_file(own, "https://x.org/a.png", ref, "image")
    assert [d.is_error for d in diags] == [True] and "not a local file" in diags[0].message
    _, diags = project_file(foreign, "//x.org/a.png", ref, "background image")
    assert [d.is_error for d in diags] == [False] and "is not downloaded" in diags[0].message
    # A drive letter is a path, not a URL scheme.
    _, diags = project_file(own, "C:/pictures/a.png", ref, "image")
    assert "not a local file" not in diags[0].message
    assert project_file(own, "#top", ref, "image")[1][0].message == "image has no path"
