"""Safe YAML: line numbers kept, and no text that hangs a build or breaks it with a traceback."""

from __future__ import annotations

import time

from deckwright.support.yamlsafe import MAX_YAML_VALUES, YamlMap, load_yaml

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
