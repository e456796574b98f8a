"""Click animations (timing.py): fragments appear click by click."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx_sample import NS

from deckwright.writers.pptx.timing import Clicks, Target, para_ranges, timing_xml


def test_fragments_become_click_animations(built: Path) -> None:
    prs = Presentation(str(built))
    slide = prs.slides[2]
    timing = slide._element.find("p:timing", NS)
    assert timing is not None
    clicks = timing.findall(".//p:cTn[@nodeType='mainSeq']/p:childTnLst/p:par", NS)
    assert len(clicks) == 2  # slide.steps
    body = next(s for s in slide.placeholders if s.placeholder_format.idx == 1)
    ranges = [[(t.get("spid"), r.get("st"), r.get("end")) for t in click.iterfind(".//p:spTgt", NS)
               for r in t.iterfind(".//p:pRg", NS)] for click in clicks]
    spid = str(body.shape_id)
    # Click 1: "isolation" and its nested item (paragraphs 1-2); click 2: paragraph 3.
    assert ranges == [[(spid, "1", "2")], [(spid, "3", "3")]]
    effects = timing.findall(".//p:cTn[@presetClass='entr']", NS)
    assert {e.get("nodeType") for e in effects} == {"clickEffect"}
    build_p = timing.find("p:bldLst/p:bldP", NS)
    assert build_p is not None and build_p.get("spid") == spid and build_p.get("build") == "p"
    # A block with a step animates its whole shape.
    code_slide = prs.slides[3]
    code = next(s for s in code_slide.shapes if s.name.startswith("Code"))
    target = code_slide._element.find(".//p:timing//p:spTgt", NS)
    assert target is not None and target.get("spid") == str(code.shape_id) and len(target) == 0
    assert prs.slides[4]._element.find("p:timing", NS) is None


def test_runs_of_paragraphs_with_one_step_appear_together() -> None:
    assert para_ranges([0, 1, 1, 2, 0, 2, 2]) == [(1, 1, 2), (2, 3, 3), (2, 5, 6)]
    assert para_ranges([0, 0]) == []


def test_a_step_nothing_appears_at_is_no_click() -> None:
    clicks = Clicks()
    assert clicks.xml() == ""
    clicks.appear(0, Target(2))  # there from the start
    clicks.appear(3, Target(4))
    clicks.appear(1, Target(3, 0, 1))
    assert clicks.xml() == timing_xml([[Target(3, 0, 1)], [Target(4)]])
    assert clicks.xml().count('presetClass="entr"') == 2
