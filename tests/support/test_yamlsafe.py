"""Safe YAML: line numbers kept, and no text that hangs a build or breaks it with a traceback."""

from __future__ import annotations

import datetime
import shutil
import sys
import time
from pathlib import Path

import pytest
from testkit import messages as shown

from deckwright.diagnostics import Diagnostic, SourceRef
from deckwright.model.theme import load_theme
from deckwright.reading.datatables.fences import expand_fence
from deckwright.reading.datatables.schema import parse_table
from deckwright.reading.project import load_project
from deckwright.reading.reader import parse_file
from deckwright.reading.source import quick_front_matter
from deckwright.support.packaged import THEMES_DIR
from deckwright.support.yamlsafe import MAX_INT_DIGITS, MAX_YAML_DEPTH, MAX_YAML_VALUES, YamlMap, load_yaml

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


def test_aliases_that_expand_past_the_limit_are_refused_at_once() -> None:
    start = time.perf_counter()
    data, diags = load_yaml(LAUGHS, "slides/01.md", first_line=2)
    assert time.perf_counter() - start < 20
    assert data is None
    assert [str(d) for d in diags] == [f"slides/01.md:2: error: YAML refused: its aliases expand it to more "
                                       f"than {MAX_YAML_VALUES:,} values (anchors used inside anchors)"]


def test_a_few_aliases_are_fine_and_shared_values_keep_their_lines() -> None:
    data, diags = load_yaml("base: &b\n  x: 1\none: *b\ntwo: *b\n", "d.yaml", first_line=10)
    assert diags == [] and isinstance(data, YamlMap)
    # The anchored value starts on line 1 of the text, line 10 of the file: shifted once, not per use.
    assert data["one"] is data["two"] and data["base"].line == 10


def test_an_alias_inside_itself_is_an_error() -> None:
    data, diags = load_yaml("a: &a\n  - *a\n", "d.yaml")
    assert data is None and "refers to the value that holds it" in diags[0].message


def test_yaml_nested_thousands_deep_is_an_error_not_a_traceback() -> None:
    data, diags = load_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n", "d.yaml")
    assert data is None and len(diags) == 1 and diags[0].is_error
    data, diags = load_yaml("".join("  " * i + f"k{i}:\n" for i in range(3000)), "d.yaml")
    assert data is None and diags[0].is_error


# --------------------------------------------------------------------------- dates

def test_real_dates_are_dates_and_quoted_impossible_ones_are_text() -> None:
    data, diags = load_yaml('a: 2026-02-28\nb: "2026-02-30"\n', "d.yaml")
    assert diags == [] and data == {"a": datetime.date(2026, 2, 28), "b": "2026-02-30"}


def test_an_impossible_date_is_an_error_at_its_line_not_a_traceback() -> None:
    data, diags = load_yaml("title: T\ndates:\n  - 2026-02-30\n", "slides/01.md", first_line=2)
    assert data is None
    assert shown(diags) == ["slides/01.md:4: error: '2026-02-30' is not a real date (day is out of range for "
                            "month); quote it to keep it as text"]


# --------------------------------------------------------------------------- integers

def test_integers_up_to_4300_digits_are_read() -> None:
    data, diags = load_yaml(f"n: {'9' * MAX_INT_DIGITS}\nm: -0x{'f' * 100}\n", "d.yaml")
    assert diags == [] and len(str(data["n"])) == MAX_INT_DIGITS and data["m"] == -(16**100 - 1)


def test_an_integer_python_could_not_print_is_refused_also_as_a_key() -> None:
    for text in (f"n: -{'1' * 4301}\n", f"? 0x{'f' * 4000}\n: n\n", f"- {'1:' * 3000}0\n"):
        data, diags = load_yaml(text, "d.yaml")
        assert data is None and shown(diags) == [f"d.yaml:1: error: {DIGITS}"]
    # Quoted, it is text of any length.
    data, diags = load_yaml(f"n: '{'9' * 5000}'\n", "d.yaml")
    assert diags == [] and data["n"] == "9" * 5000


# --------------------------------------------------------------------------- nesting

def test_yaml_100_levels_deep_loads_and_101_is_refused_naming_the_limit() -> None:
    data, diags = load_yaml("[" * 100 + "]" * 100, "d.yaml")
    assert diags == [] and data is not None
    data, diags = load_yaml("a:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, 60)), "d.yaml")
    assert data is None and shown(diags) == [f"d.yaml:51: error: {DEEP}"]


def test_aliases_that_nest_past_the_limit_are_refused_before_they_are_built() -> None:
    # Each is at most 61 levels deep as written; with the aliases in them built, `c` is 121 deep.
    text = f"a: &a {'[' * 60}{']' * 60}\nb: &b {'[' * 30}*a{']' * 30}\nc: {'[' * 30}*b{']' * 30}\n"
    data, diags = load_yaml(text, "d.yaml")
    assert data is None and shown(diags) == [f"d.yaml:3: error: {DEEP} (aliases followed)"]


def test_yaml_loaded_with_little_stack_left_is_an_error_not_a_traceback() -> None:
    def nested(levels: int) -> tuple[object, list[Diagnostic]]:
        return nested(levels - 1) if levels else load_yaml("[" * 100 + "]" * 100, "d.yaml")

    data, diags = nested(sys.getrecursionlimit() - 150)
    assert data is None and shown(diags) == [f"d.yaml:1: error: {DEEP}"]


# --------------------------------------------------------------------------- characters

def test_lone_surrogates_and_controls_from_escapes_are_removed_with_a_warning() -> None:
    data, diags = load_yaml('a: "x\\ud800y"\nb: "bell\\x07 nul\\0 nel\\x85"\nc: "\\udc00\\x01"\n',
                            "slides/01.md", first_line=2)
    assert data == {"a": "xy", "b": "bell nul nel", "c": ""}
    assert shown(diags) == [
        "slides/01.md:2: warning: removed 1 lone surrogate(s) (U+D800) that slides cannot hold",
        "slides/01.md:3: warning: removed 3 control character(s) (U+0007, U+0000, U+0085) that slides "
        "cannot hold",
        "slides/01.md:4: warning: removed 2 character(s) (U+DC00, U+0001) that slides cannot hold",
    ]


def test_a_surrogate_pair_is_the_character_it_stands_for() -> None:
    # JSON writes characters past U+FFFF as two escapes: the emoji, not two removed halves.
    data, diags = load_yaml('a: "\\ud83d\\ude00 and \\U0001F600"\n', "d.yaml")
    assert diags == [] and data == {"a": "\U0001f600 and \U0001f600"}


def test_line_and_paragraph_separators_are_spaces_and_do_not_count_as_lines() -> None:
    text = 'a: "one\\u2028two\\u2029three"\nb: x\u2028y\n# note\u2029more\nc: |\n  p\u2029q\nd: 1\n'
    data, diags = load_yaml(text, "d.yaml")
    assert diags == [] and data == {"a": "one two three", "b": "x y", "c": "p q\n", "d": 1}
    assert data.key_lines == {"a": 1, "b": 2, "c": 4, "d": 6}


def test_a_literal_nel_is_removed_with_a_warning_and_does_not_end_the_line() -> None:
    # U+0085 in a file is "…" gone wrong (cp1252): YAML 1.1 would end the line there.
    data, diags = load_yaml("a: wait\x85 what\nb: 2\n", "deck.yaml")
    assert data == {"a": "wait what", "b": 2} and data.key_lines == {"a": 1, "b": 2}
    assert shown(diags) == ["deck.yaml:1: warning: removed 1 control character(s) (U+0085) that slides "
                            "cannot hold"]


def test_an_unacceptable_character_is_reported_at_its_line() -> None:
    data, diags = load_yaml("a: 1\nb: x\x07\n", "deck.yaml")
    assert data is None
    assert shown(diags) == ["deck.yaml:2: error: invalid YAML: unacceptable character #x0007: special "
                            "characters are not allowed"]


# --------------------------------------------------------------------------- duplicate keys

def test_a_duplicate_key_keeps_the_last_value_with_a_warning_at_its_line() -> None:
    data, diags = load_yaml("theme: corp\nsize:\n  width: 1\n  width: 2\ntheme: default\n", "deck.yaml",
                            first_line=10)
    assert data == {"theme": "default", "size": {"width": 2}} and data.key_lines["theme"] == 14
    assert shown(diags) == [
        "deck.yaml:13: warning: duplicate key 'width' (first at line 12); the last one is used",
        "deck.yaml:14: warning: duplicate key 'theme' (first at line 10); the last one is used",
    ]


def test_keys_equal_as_text_are_duplicates_but_merged_keys_are_not() -> None:
    data, diags = load_yaml('1: a\n"1": b\n', "d.yaml")
    assert data == {"1": "b"}
    assert shown(diags) == ["d.yaml:2: warning: duplicate key '1' (first at line 1); the last one is used"]
    # `<<:` merges defaults that the mapping's own keys override: what merging is for.
    data, diags = load_yaml("base: &b {x: 1, y: 2}\nuse:\n  <<: [*b, {x: 3}]\n  y: 4\n", "d.yaml")
    assert diags == [] and data["use"] == {"x": 1, "y": 4}


# --------------------------------------------------------------------------- every entry point

def _entry_front_matter(yaml_text: str, root: Path) -> tuple[list[Diagnostic], str, int]:
    return parse_file(f"---\n{yaml_text}\n---\n\n## Slide\n", "slides/01.md", root).diags, "slides/01.md", 2


def _entry_deck_yaml(yaml_text: str, root: Path) -> tuple[list[Diagnostic], str, int]:
    (root / "slides").mkdir(parents=True, exist_ok=True)
    (root / "slides" / "01.md").write_text("## Slide\n", encoding="utf-8")
    (root / "deck.yaml").write_text(yaml_text + "\n", encoding="utf-8")
    return load_project(root)[1], "deck.yaml", 1


def _entry_data_file(yaml_text: str, root: Path) -> tuple[list[Diagnostic], str, int]:
    return parse_table("t", yaml_text + "\n" + TABLE, "slides/data/t.yaml")[1], "slides/data/t.yaml", 1


def _entry_table_fence(yaml_text: str, root: Path) -> tuple[list[Diagnostic], str, int]:
    table, diags = parse_table("t", TABLE, "slides/data/t.yaml")
    assert diags == []
    diags = expand_fence("table", "t", yaml_text, SourceRef("slides/01.md", 5), {"t": table})[1]
    return diags, "slides/01.md", 6


def _entry_theme(yaml_text: str, root: Path) -> tuple[list[Diagnostic], str, int]:
    default = (THEMES_DIR / "default" / "theme.yaml").read_text(encoding="utf-8")
    shutil.copytree(THEMES_DIR / "default", root / "themes" / "corp")  # with its fonts
    # The YAML under test comes first: a `name:` in it is then the only one.
    body = "\n".join(line for line in default.split("\n") if not line.startswith("name:"))
    (root / "themes" / "corp" / "theme.yaml").write_text(f"{yaml_text}\n{body}", encoding="utf-8")
    return load_theme(root, "corp", None)[1], "themes/corp/theme.yaml", 1


ENTRY_POINTS = {"front matter": _entry_front_matter, "deck.yaml": _entry_deck_yaml,
                "data file": _entry_data_file, "table fence": _entry_table_fence, "theme.yaml": _entry_theme}
# A key each entry point takes as text, so that a value it loads is also accepted.
TEXT_KEY = {"front matter": "title", "deck.yaml": "title", "data file": "title", "table fence": "caption",
            "theme.yaml": "name"}
TABLE = "columns:\n  - {id: a, label: A}\nrows:\n  - id: r\n    label: R\n    values: {a: x}\n"

DIGITS = f"a number of more than {MAX_INT_DIGITS:,} digits is refused (quote it to keep it as text)"
DEEP = f"YAML refused: lists and mappings nested more than {MAX_YAML_DEPTH} levels deep"
HOSTILE = {
    "impossible day": ("when: 2026-02-30", "'2026-02-30' is not a real date (day is out of range for month); "
                                           "quote it to keep it as text"),
    "year zero": ("when: 0000-00-00", "'0000-00-00' is not a real date (year 0 is out of range); "
                                      "quote it to keep it as text"),
    "month 13": ("when: 2026-13-01", "'2026-13-01' is not a real date (month must be in 1..12); "
                                     "quote it to keep it as text"),
    "time zone 99 hours off": ("when: 2026-01-01 10:00:00 +99:00",
                               "'2026-01-01 10:00:00 +99:00' is not a real date (its time zone is 24 "
                               "hours or more from UTC); quote it to keep it as text"),
    "4,301 decimal digits": ("n: " + "9" * 4301, DIGITS),
    "hex that prints as 4,800 digits": ("n: 0x" + "f" * 4000, DIGITS),
    "binary that prints as 4,301 digits": ("n: 0b1" + "0" * 14285, DIGITS),
    "nested 5,000 deep in flow style": ("n: " + "[" * 5000 + "]" * 5000, DEEP),
    "nested 101 deep": ("n: " + "[" * 100 + "]" * 100, DEEP),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("case", HOSTILE)
def test_every_entry_point_reports_hostile_yaml_at_its_line(entry: str, case: str, tmp_path: Path) -> None:
    yaml_text, message = HOSTILE[case]
    diags, path, first = ENTRY_POINTS[entry](f"# a comment line first\n{yaml_text}", tmp_path)
    assert shown(diags) == [f"{path}:{first + 1}: error: {message}"]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_warns_of_a_duplicate_key_and_keeps_the_last(entry: str, tmp_path: Path) -> None:
    key = TEXT_KEY[entry]
    diags, path, first = ENTRY_POINTS[entry](f"{key}: first\n{key}: second", tmp_path)
    assert shown(diags) == [f"{path}:{first + 1}: warning: duplicate key '{key}' (first at line {first}); "
                            "the last one is used"]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_removes_lone_surrogates_with_a_warning(entry: str, tmp_path: Path) -> None:
    key = TEXT_KEY[entry]
    diags, path, first = ENTRY_POINTS[entry](f'{key}: "half \\ud800 an emoji"', tmp_path)
    assert shown(diags) == [f"{path}:{first}: warning: removed 1 lone surrogate(s) (U+D800) that slides "
                            "cannot hold"]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_counts_lines_by_newlines_only(entry: str, tmp_path: Path) -> None:
    # U+2028 and U+2029 end lines for YAML 1.1 (PyYAML), not in an editor: the duplicate is on line 3.
    key = TEXT_KEY[entry]
    text = f"{key}: one\u2028two\u2029three\n# a note\u2028that goes on\n{key}: again"
    diags, path, first = ENTRY_POINTS[entry](text, tmp_path)
    assert shown(diags) == [f"{path}:{first + 2}: warning: duplicate key '{key}' (first at line {first}); "
                            "the last one is used"]


def test_the_front_matter_read_for_detection_is_as_safe() -> None:
    # The dialect is detected from the front matter before it is read for its values.
    for hostile in ("date: 2026-02-30", "n: " + "[" * 2000 + "]" * 2000, "n: 0x" + "f" * 4000):
        assert quick_front_matter(f"---\n{hostile}\n---\n\n## Slide\n") == {}
    assert quick_front_matter("---\ndialect: marp\n---\n") == {"dialect": "marp"}
