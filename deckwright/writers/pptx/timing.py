"""Click animations: what appears at each click of a slide, and the slide's timing XML for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Target:
    """What appears at a click: a whole shape, or paragraphs first..last of a text shape."""

    shape_id: int
    first: int | None = None
    last: int | None = None
    kind: str = "sp"  # "sp" (text shape), "pic", "graphic"


@dataclass
class Clicks:
    """The targets shown at each click of one slide (click k: step k of the model)."""

    steps: dict[int, list[Target]] = field(default_factory=dict)

    def appear(self, step: int, target: Target) -> None:
        """`target` appears at click `step`; at 0 it is there from the start."""
        if step > 0:
            self.steps.setdefault(step, []).append(target)

    def xml(self) -> str:
        """The slide's <p:timing> (empty without clicks); a step nothing appears at is skipped."""
        return timing_xml([self.steps.get(k, []) for k in range(1, max(self.steps, default=0) + 1)])


def para_ranges(steps: Sequence[int]) -> list[tuple[int, int, int]]:
    """(step, first, last) for each run of consecutive paragraphs with the same step > 0."""
    out: list[tuple[int, int, int]] = []
    for i, step in enumerate(steps):
        if step <= 0:
            continue
        if out and out[-1][0] == step and out[-1][2] == i - 1:
            out[-1] = (step, out[-1][1], i)
        else:
            out.append((step, i, i))
    return out


def _appear(ctn: int, target: Target, click: bool) -> tuple[str, int]:
    """One 'Appear' entrance effect (preset 1): set visibility to visible at once."""
    txel = (f'<p:txEl><p:pRg st="{target.first}" end="{target.last}"/></p:txEl>'
            if target.first is not None else "")
    node = "clickEffect" if click else "withEffect"
    xml = (f'<p:par><p:cTn id="{ctn}" presetID="1" presetClass="entr" presetSubtype="0" '
           f'fill="hold" grpId="0" nodeType="{node}"><p:stCondLst><p:cond delay="0"/></p:stCondLst>'
           f'<p:childTnLst><p:set><p:cBhvr><p:cTn id="{ctn + 1}" dur="1" fill="hold"><p:stCondLst>'
           '<p:cond delay="0"/></p:stCondLst></p:cTn>'
           f'<p:tgtEl><p:spTgt spid="{target.shape_id}">{txel}</p:spTgt></p:tgtEl>'
           "<p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr>"
           '<p:to><p:strVal val="visible"/></p:to></p:set></p:childTnLst></p:cTn></p:par>')
    return xml, ctn + 2


def timing_xml(clicks: Sequence[Sequence[Target]]) -> str:
    """The slide's main sequence: click k shows every target of clicks[k-1] at once."""
    clicks = [c for c in clicks if c]
    if not clicks:
        return ""
    return ('<p:timing><p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot">'
            '<p:childTnLst><p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" '
            f'nodeType="mainSeq"><p:childTnLst>{_click_pars(clicks)}</p:childTnLst></p:cTn>'
            '<p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond>'
            '</p:prevCondLst><p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/>'
            "</p:tgtEl></p:cond></p:nextCondLst></p:seq></p:childTnLst></p:cTn></p:par></p:tnLst>"
            f"{_build_list(clicks)}</p:timing>")


def _click_pars(clicks: Sequence[Sequence[Target]]) -> str:
    """One <p:par> per click, its effects numbered on from the main sequence's (ids 1 and 2)."""
    ctn = 3
    pars: list[str] = []
    for targets in clicks:
        outer, inner = ctn, ctn + 1
        ctn += 2
        effects: list[str] = []
        for i, target in enumerate(targets):
            xml, ctn = _appear(ctn, target, click=i == 0)
            effects.append(xml)
        pars.append(f'<p:par><p:cTn id="{outer}" fill="hold"><p:stCondLst><p:cond delay="indefinite"/>'
                    f'</p:stCondLst><p:childTnLst><p:par><p:cTn id="{inner}" fill="hold"><p:stCondLst>'
                    f'<p:cond delay="0"/></p:stCondLst><p:childTnLst>{"".join(effects)}</p:childTnLst>'
                    "</p:cTn></p:par></p:childTnLst></p:cTn></p:par>")
    return "".join(pars)


def _build_list(clicks: Sequence[Sequence[Target]]) -> str:
    """How each animated shape builds: a table as one, a text shape by paragraph or whole."""
    builds: dict[int, str] = {}
    for targets in clicks:
        for t in targets:
            if t.kind == "graphic":
                builds[t.shape_id] = (f'<p:bldGraphic spid="{t.shape_id}" grpId="0"><p:bldAsOne/>'
                                      "</p:bldGraphic>")
            elif t.kind == "sp":
                by_para = t.first is not None or 'build="p"' in builds.get(t.shape_id, "")
                builds[t.shape_id] = (f'<p:bldP spid="{t.shape_id}" grpId="0" build="p"/>' if by_para
                                      else f'<p:bldP spid="{t.shape_id}" grpId="0" animBg="1"/>')
    return f"<p:bldLst>{''.join(builds[k] for k in sorted(builds))}</p:bldLst>" if builds else ""
