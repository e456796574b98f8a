"""Front matter in every dialect: values YAML empties are explained."""

from __future__ import annotations

from pathlib import Path

from reading_helpers import read
from testkit import messages

from deckwright.reading.dialects import Options
from deckwright.reading.dialects.frontmatter import translate
from deckwright.support.yamlsafe import YamlMap, load_yaml


def test_unquoted_hex_colour_elsewhere_is_explained(root: Path) -> None:
    _, meta, diags = read(root, "---\ntitle: #ccc\n---\n\n## A\n")
    assert messages(diags) == ["slides/test.md:2: warning: `title` is empty: `#` starts a YAML comment; "
                               "quote the value (e.g. title: '#ccc')"]
    assert meta == {}


# --------------------------------------------------------------------------- translate on its own


def yaml_map(text: str) -> YamlMap:
    data, diags = load_yaml(text, "s.md", 2)
    assert diags == [] and isinstance(data, YamlMap)
    return data


def test_each_dialect_takes_its_own_keys_out_of_the_metadata() -> None:
    marp = translate(yaml_map("marp: true\nheadingDivider: 2\npaginate: true\ntitle: T\n"), "marp",
                     "s.md", [])
    assert dict(marp.meta) == {"title": "T"} and marp.diags == []
    assert (marp.options.slide_level, marp.options.title_slide, marp.options.breaks) == (2, False, True)
    assert marp.options.marp_locals == {"paginate": (True, 4)}
    reveal = translate(yaml_map("separator: '^--$'\ntheme: black\n"), "reveal", "s.md", [])
    assert reveal.separators == {"separator": ("^--$", 2)} and not reveal.options.hr_breaks
    assert [d.message for d in reveal.diags] == [
        "theme 'black' is a reveal.js theme, not a deckwright theme: the default theme is used"]
    pandoc = translate(yaml_map("author: [{name: A}, B]\nslide-level: 3\ninstitute: I\ntoc: true\n"),
                       "pandoc", "s.md", [])
    assert dict(pandoc.meta) == {"author": "A, B", "slide_level": 3, "subtitle": "I"}
    assert pandoc.meta.key_lines == {"author": 2, "slide_level": 3, "subtitle": 4}
    assert pandoc.options.auto_slide_level
    assert [str(d) for d in pandoc.diags] == ["s.md:5: warning: pandoc settings ignored by deckwright: `toc`"]


def test_deckwright_keeps_every_key_for_the_metadata_check() -> None:
    own = translate(yaml_map("title: T\npaginate: true\ntheme: gaia\n"), "deckwright", "s.md", [])
    assert dict(own.meta) == {"title": "T", "paginate": True, "theme": "gaia"} and own.diags == []
    assert own.options == Options()
