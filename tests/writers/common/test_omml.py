"""MathML to Office Math: the structures PowerPoint edits as equations, text kept, schema-valid."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import latex2mathml.converter as latex2mathml
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from testkit import require

from deckwright.writers.common.math.omml import mathml_to_omml

NS_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_A14 = "http://schemas.microsoft.com/office/drawing/2010/main"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NSMAP = {"m": NS_M, "a": NS_A}

# TeX, the m: structures it must have (XPath from the m:oMath), and its text in reading order.
CASES: list[tuple[str, list[str], str]] = [
    (r"E=mc^2", ["m:r[m:t='E']", "m:sSup[m:e/m:r/m:t='c'][m:sup/m:r/m:t='2']"], "E=mc2"),
    (r"\frac{a}{b}", ["m:f[m:num/m:r/m:t='a'][m:den/m:r/m:t='b']"], "ab"),
    (r"\sum_{i=1}^n i^2",
     ["m:nary[m:naryPr/m:chr/@m:val='∑'][m:sub//m:t='i'][m:sup//m:t='n'][m:e/m:sSup]"], "i=1ni2"),
    (r"\begin{pmatrix}a&b\\c&d\end{pmatrix}",
     ["m:d[m:dPr/m:begChr/@m:val='('][m:dPr/m:endChr/@m:val=')'][m:dPr/m:grow]"
      "/m:e/m:m[count(m:mr)=2][m:mr[1]/m:e[2]//m:t='b']",
      "m:d/m:e/m:m/m:mPr/m:mcs/m:mc/m:mcPr[m:count/@m:val='2']"], "abcd"),
    (r"\lim_{x\to 0}\frac{\sin x}{x}=1",
     ["m:func/m:fName/m:limLow[m:e//m:t='lim'][m:lim//m:t='→']",
      "m:func/m:e/m:f/m:num/m:func[m:fName//m:t='sin'][m:e//m:t='x']",
      "m:r[m:t='=']"], "limx→0sinxx=1"),
    (r"\alpha+\beta", ["m:r[m:t='α']", "m:r[m:t='+']", "m:r[m:t='β']"], "α+β"),
    (r"\sqrt{x^2+1}",
     ["m:rad[m:radPr/m:degHide/@m:val='1'][m:deg[not(*)]][m:e/m:sSup][m:e/m:r/m:t='+']"], "x2+1"),
    (r"\sqrt[3]{x}", ["m:rad[not(m:radPr/m:degHide)][m:deg//m:t='3'][m:e//m:t='x']"], "3x"),
    (r"\int_0^1 f(x)\,dx",
     ["m:nary[m:naryPr/m:chr/@m:val='∫'][m:naryPr/m:limLoc/@m:val='subSup']"
      "[m:sub//m:t='0'][m:sup//m:t='1'][m:e//m:t='f'][m:e//m:t='d']"], "01f(x)\u2009dx"),
    (r"\hat{x}", ["m:acc[m:accPr/m:chr/@m:val='\u0302'][m:e//m:t='x']"], "x"),
    (r"\overline{AB}", ["m:bar[m:barPr/m:pos/@m:val='top'][m:e//m:t='A'][m:e//m:t='B']"], "AB"),
    (r"x_i^2", ["m:sSubSup[m:e//m:t='x'][m:sub//m:t='i'][m:sup//m:t='2']"], "xi2"),
    (r"\begin{bmatrix}1&2&3&4\\5&6&7&8\end{bmatrix}",
     ["m:d[m:dPr/m:begChr/@m:val='[']/m:e/m:m[count(m:mr)=2][count(m:mr[2]/m:e)=4]",
      "m:d/m:e/m:m/m:mPr/m:mcs/m:mc/m:mcPr[m:count/@m:val='4'][m:mcJc/@m:val='center']"],
     "12345678"),
]
TEXES = [tex for tex, _, _ in CASES]


def omml_tree(omml: str) -> etree._Element:
    """The result as the slide sees it: inside a14:m, where a: is the slide's prefix."""
    wrapped = f'<a14:m xmlns:a14="{NS_A14}" xmlns:a="{NS_A}">{omml}</a14:m>'
    return etree.fromstring(wrapped.encode())[0]


def convert(tex: str, *, display: bool = True, **kwargs: str) -> etree._Element:
    return omml_tree(mathml_to_omml(latex2mathml.convert(tex), display=display, **kwargs))


def math(tree: etree._Element) -> etree._Element:
    return tree if tree.tag == f"{{{NS_M}}}oMath" else tree.find("m:oMath", NSMAP)


def text(tree: etree._Element) -> str:
    return "".join(t.text or "" for t in tree.iter(f"{{{NS_M}}}t"))


@pytest.mark.parametrize(("tex", "paths", "expected"), CASES, ids=TEXES)
def test_each_formula_has_the_office_math_structures_and_keeps_its_text(
        tex: str, paths: list[str], expected: str) -> None:
    for display in (True, False):
        body = math(convert(tex, display=display))
        for path in paths:
            assert body.xpath(path, namespaces=NSMAP), (tex, path)
        assert text(body) == expected


def test_display_math_is_a_centred_math_paragraph_and_inline_math_a_bare_omath() -> None:
    display = mathml_to_omml(latex2mathml.convert("x"), display=True)
    assert display.startswith(f'<m:oMathPara xmlns:m="{NS_M}"><m:oMathParaPr><m:jc m:val="centerGroup"/>'
                              f'</m:oMathParaPr><m:oMath xmlns:m="{NS_M}">')
    inline = mathml_to_omml(latex2mathml.convert("x"), display=False)
    assert inline.startswith(f'<m:oMath xmlns:m="{NS_M}"><m:r>')
    assert "xmlns:a=" not in inline  # the slide declares a:, as in PowerPoint's files


def test_runs_carry_drawingml_properties_italic_only_for_single_letter_variables() -> None:
    body = math(convert(r"\sin x + 12 + \Gamma + \text{if}", font="STIX Two Math"))
    runs = {r.findtext("m:t", namespaces=NSMAP): r for r in body.iter(f"{{{NS_M}}}r")}
    for value in ("sin", "+", "12", "Γ"):
        assert runs[value].xpath("string(m:rPr/m:sty/@m:val)", namespaces=NSMAP) == "p"
        assert runs[value].find("a:rPr", NSMAP).get("i") == "0"
    assert runs["x"].find("m:rPr", NSMAP) is None
    assert runs["x"].find("a:rPr", NSMAP).get("i") == "1"
    assert runs["if"].find("m:rPr/m:nor", NSMAP) is not None
    for run in runs.values():
        rpr = run.find("a:rPr", NSMAP)
        assert [child.tag.split("}")[1] for child in rpr] == ["latin", "cs"]
        assert {child.get("typeface") for child in rpr} == {"STIX Two Math"}
        assert rpr.get("lang") == "en-US"
        assert not run.xpath(".//*[namespace-uri()='http://schemas.openxmlformats.org/"
                             "wordprocessingml/2006/main']")


def test_colour_reaches_every_run_and_every_structure_so_bars_and_radicals_follow_the_text() -> None:
    tree = convert(r"\frac{\sqrt{a}}{b}", color="#1f2d3d")
    rprs = tree.xpath("//m:r/a:rPr | //m:ctrlPr/a:rPr", namespaces=NSMAP)
    assert len(tree.xpath("//m:ctrlPr", namespaces=NSMAP)) == 2  # the fraction and the radical
    assert rprs and all(r.xpath("string(a:solidFill/a:srgbClr/@val)", namespaces=NSMAP) == "1F2D3D"
                        for r in rprs)
    assert [c.tag.split("}")[1] for c in rprs[0]] == ["solidFill", "latin", "cs"]  # DrawingML's order
    assert not convert("a").xpath("//a:solidFill", namespaces=NSMAP)


def test_limits_read_as_lim_whether_latex2mathml_wrote_msub_or_the_fixup_wrote_munder() -> None:
    raw = latex2mathml.convert(r"\lim_{n\to\infty} a_n")
    fixed = raw.replace("<msub><mo>lim</mo>", "<munder><mo>lim</mo>").replace("</mrow></msub><msub>",
                                                                          "</mrow></munder><msub>")
    assert "<munder>" in fixed
    for mathml in (raw, fixed):
        body = math(omml_tree(mathml_to_omml(mathml, display=True)))
        assert body.xpath("m:func[m:fName/m:limLow[m:e//m:t='lim'][m:lim//m:t='∞']]"
                          "/m:e/m:sSub[m:e//m:t='a']", namespaces=NSMAP)


def test_function_application_from_the_fixup_makes_a_function_with_its_fenced_argument() -> None:
    mathml = ('<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><mi>sin</mi><mo>&#x2061;</mo>'
              '<mspace width="0.1667em"/><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo>'
              "<mo>+</mo><mn>1</mn></mrow></math>")
    body = math(omml_tree(mathml_to_omml(mathml, display=False)))
    assert body.xpath("m:func[m:fName//m:t='sin']/m:e/m:d[m:dPr/m:begChr/@m:val='('][m:e//m:t='x']",
                      namespaces=NSMAP)
    assert text(body) == "sinx+1"  # no invisible operator and no extra space in the text


@pytest.mark.parametrize(("tex", "chars", "loc"), [
    (r"\sum_{i} x", "∑", "undOvr"), (r"\prod_{k=1}^{n} k", "∏", "undOvr"),
    (r"\oint_C F", "∮", "subSup"), (r"\bigcup_i A_i", "⋃", "undOvr"), (r"\int f", "∫", "subSup")])
def test_large_operators_are_nary_with_hidden_missing_limits(tex: str, chars: str, loc: str) -> None:
    nary = math(convert(tex)).find("m:nary", NSMAP)
    assert nary is not None
    pr = nary.find("m:naryPr", NSMAP)
    assert pr.xpath("string(m:chr/@m:val)", namespaces=NSMAP) == chars
    assert pr.xpath("string(m:limLoc/@m:val)", namespaces=NSMAP) == loc
    sub, sup = nary.find("m:sub", NSMAP), nary.find("m:sup", NSMAP)
    assert (pr.find("m:subHide", NSMAP) is not None) == (len(sub) == 0)
    assert (pr.find("m:supHide", NSMAP) is not None) == (len(sup) == 0)
    assert len(nary.find("m:e", NSMAP))  # the operand is inside the operator


def test_inline_sums_keep_their_limits_beside_the_sign_as_tex_does() -> None:
    body = math(convert(r"\sum_{i=1}^n i", display=False))
    assert body.xpath("string(m:nary/m:naryPr/m:limLoc/@m:val)", namespaces=NSMAP) == "subSup"


def test_an_operand_stops_at_the_next_relation_or_sign() -> None:
    body = math(convert(r"\int_0^1 f(x)\,dx = F(1) - F(0)"))
    assert text(body.find("m:nary/m:e", NSMAP)) == "f(x)\u2009dx"
    assert body.xpath("m:nary/following-sibling::m:r[1]/m:t='='", namespaces=NSMAP)


@pytest.mark.parametrize(("tex", "path"), [
    (r"\tilde{a}", "m:acc/m:accPr/m:chr[@m:val='\u0303']"),
    (r"\vec{v}", "m:acc/m:accPr/m:chr[@m:val='\u20d7']"),
    (r"\dot{x}", "m:acc/m:accPr/m:chr[@m:val='\u0307']"),
    (r"\bar{y}", "m:acc/m:accPr/m:chr[@m:val='\u0305']"),
    (r"\underline{x}", "m:bar[not(m:barPr/m:pos)][m:e//m:t='x']"),
    (r"\binom{n}{k}", "m:d/m:e/m:f[m:fPr/m:type/@m:val='noBar']"),
    (r"\left(\frac{a}{b}\right)", "m:d[m:dPr/m:grow]/m:e/m:f"),
    (r"\max_{x} f", "m:func[m:fName/m:limLow[m:e//m:t='max']][m:e//m:t='f']"),
    (r"\underbrace{a+b}_{n}", "m:limLow[m:e/m:groupChr/m:groupChrPr/m:chr/@m:val='⏟'][m:lim//m:t='n']"),
])
def test_accents_bars_binomials_fences_and_limits(tex: str, path: str) -> None:
    assert math(convert(tex)).xpath(path, namespaces=NSMAP), path


@pytest.mark.parametrize(("tex", "path"), [
    (r"\left. \frac{df}{dx} \right|_{x=0}",
     "m:sSub[m:sub//m:t='=']/m:e/m:d[m:dPr/m:begChr/@m:val=''][m:dPr/m:endChr/@m:val='|']/m:e/m:f"),
    (r"\begin{cases} 1 & x>0 \\ 0 & \text{otherwise} \end{cases}",
     "m:d[m:dPr/m:begChr/@m:val='{'][m:dPr/m:endChr/@m:val='']/m:e/m:m[count(m:mr)=2]"),
    (r"\left( a \right) + \left[ b \right]", "m:d[m:dPr/m:endChr/@m:val=')']/following-sibling::m:d"),
    (r"\langle u, v \rangle", "m:d[m:dPr/m:begChr/@m:val='⟨'][m:dPr/m:endChr/@m:val='⟩']"),
    (r"\log_2 n", "m:func[m:fName/m:sSub[m:e//m:t='log'][m:sub//m:t='2']][m:e//m:t='n']"),
    (r"\limsup_{n\to\infty} x_n", "m:func[m:fName/m:limLow/m:e//m:t='lim\u2006sup']/m:e/m:sSub"),
    (r"\operatorname{sgn}(x)", "m:func[m:fName//m:t='sgn']/m:e/m:d"),
    (r"\sin + 1", "m:r[m:t='sin']/following-sibling::m:r[m:t='+']"),
])
def test_left_right_cases_and_function_names(tex: str, path: str) -> None:
    assert math(convert(tex)).xpath(path, namespaces=NSMAP), path


def test_fences_that_do_not_enclose_the_row_stay_text() -> None:
    body = math(convert(r"(a)+(b)"))
    assert body.find("m:d", NSMAP) is None
    assert text(body) == "(a)+(b)"


def test_matrix_columns_follow_the_widest_row_and_their_alignment() -> None:
    mathml = ('<math xmlns="http://www.w3.org/1998/Math/MathML"><mtable columnalign="left right">'
              "<mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd><mtd><mi>c</mi></mtd></mtr>"
              "<mtr><mtd><mi>d</mi></mtd></mtr></mtable></math>")
    body = math(omml_tree(mathml_to_omml(mathml, display=True)))
    mcs = body.xpath("m:m/m:mPr/m:mcs/m:mc/m:mcPr", namespaces=NSMAP)
    assert [(pr.xpath("string(m:count/@m:val)", namespaces=NSMAP),
             pr.xpath("string(m:mcJc/@m:val)", namespaces=NSMAP)) for pr in mcs] == [("1", "left"),
                                                                                   ("2", "right")]
    assert [child.tag.split("}")[1] for child in mcs[0]] == ["count", "mcJc"]  # schema order
    assert body.xpath("count(m:m/m:mr[2]/m:e)", namespaces=NSMAP) == 3


def test_unknown_elements_and_broken_input_keep_their_text() -> None:
    mathml = ('<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><mi>a</mi>'
              "<mmultiscripts><mi>F</mi><mi>b</mi><none/></mmultiscripts><mfrac><mi>c</mi></mfrac>"
              "<blink>z</blink><mspace width='-0.167em'/></mrow></math>")
    assert text(math(omml_tree(mathml_to_omml(mathml, display=False)))) == "aFbcz"
    broken = mathml_to_omml("<math><mi>x</mi><mo>&lt;</mo>&#1;", display=False)
    assert text(omml_tree(broken)) == "x<"  # and what XML cannot hold is dropped


def test_spaces_become_unicode_spaces_of_about_their_width() -> None:
    assert text(math(convert(r"a\,b\;c\quad d\qquad e"))) == "a\u2009b\u2004c\u2003d\u2003\u2003e"


_TOKEN_TEXT = st.sampled_from(["x", "y", "12", "+", "=", "(", ")", "[", "|", "∑", "∫", "lim", "sin",
                                "&", "<", "α", "\u2061", "{", "}", "⟨", "⟩", "¯", "^"])


def _mathml_trees() -> st.SearchStrategy[str]:
    token = st.builds(lambda tag, text: f"<{tag}>{escape_xml(text)}</{tag}>",
                      st.sampled_from(["mi", "mn", "mo", "mtext"]), _TOKEN_TEXT)
    space = st.sampled_from(['<mspace width="0.167em"/>', '<mspace width="-1em"/>', "<none/>"])

    def grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        # Any element with any number of children, including the wrong number for its kind.
        tags = st.sampled_from(["mrow", "msub", "msup", "msubsup", "munder", "mover", "munderover",
                                "mfrac", "msqrt", "mroot", "mstyle", "mtd", "mtr", "mtable", "mfenced",
                                "menclose", "unknown"])
        return st.builds(lambda tag, kids: f"<{tag}>{''.join(kids)}</{tag}>", tags,
                         st.lists(children, max_size=4))
    body = st.recursive(st.one_of(token, space), grow, max_leaves=12)
    return body.map(lambda b: f'<math xmlns="http://www.w3.org/1998/Math/MathML">{b}</math>')


def escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_mathml_trees(), st.booleans())
def test_any_mathml_tree_gives_well_formed_omml_that_keeps_every_visible_character(
        mathml: str, display: bool) -> None:
    tree = omml_tree(mathml_to_omml(mathml, display=display, color="102030"))
    source = etree.fromstring(mathml.encode())
    wanted = "".join(el.text or "" for el in source.iter()
                     if isinstance(el.tag, str) and el.tag.split("}")[-1] in ("mi", "mn", "mo", "mtext"))
    shown = text(tree) + "".join(tree.xpath("//m:chr/@m:val | //m:begChr/@m:val | //m:endChr/@m:val",
                                            namespaces=NSMAP))
    for char in set(wanted) - {"\u2061", "¯", "^"}:  # accents are shown as their combining forms
        assert wanted.count(char) <= shown.count(char), (char, mathml)


# --------------------------------------------------------------------------- the OOXML validator


def _slide_shape(omml: str, display: bool, sid: int) -> str:
    """One formula in a text box the way PowerPoint writes it: the shape inside an a14 Choice."""
    lead = "" if display else '<a:r><a:rPr lang="en-US"/><a:t>so </a:t></a:r>'
    nv = f'<p:nvSpPr><p:cNvPr id="{sid}" name="Math {sid}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
    box = ('<p:spPr><a:xfrm><a:off x="914400" y="914400"/><a:ext cx="3657600" cy="1371600"/></a:xfrm>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>')
    return (f'<mc:AlternateContent xmlns:mc="{NS_MC}" xmlns:a="{NS_A}" xmlns:p="{NS_P}">'
            f'<mc:Choice xmlns:a14="{NS_A14}" Requires="a14"><p:sp>{nv}{box}<p:txBody>'
            f'<a:bodyPr wrap="none"/><a:lstStyle/><a:p>{lead}<a14:m>{omml}</a14:m></a:p>'
            "</p:txBody></p:sp></mc:Choice>"
            f"<mc:Fallback><p:sp>{nv}{box}<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r>"
            '<a:rPr lang="en-US"/><a:t>formula</a:t></a:r></a:p></p:txBody></p:sp></mc:Fallback>'
            "</mc:AlternateContent>")


def _relocate_run_properties(omml: str) -> tuple[str, str]:
    """The OMML without its a:rPr, and those a:rPr as runs of a plain paragraph.

    openxml-audit checks OMML against the ECMA math schema, which is Word's: it has no place for the
    DrawingML run properties that PowerPoint writes in every m:r and m:ctrlPr (and that carry colour
    and font). So the math is validated without them, and each distinct a:rPr is validated where the
    DrawingML schema does apply, in an a:r.
    """
    tree = omml_tree(omml)
    found: dict[str, None] = {}
    for rpr in tree.xpath("//m:r/a:rPr | //m:ctrlPr/a:rPr", namespaces=NSMAP):
        found[etree.tostring(rpr, encoding="unicode")] = None
        parent = rpr.getparent()
        parent.remove(rpr)
        if parent.tag == f"{{{NS_M}}}ctrlPr" and len(parent) == 0:
            parent.getparent().remove(parent)
    declared = f' xmlns:a="{NS_A}"'
    runs = "".join("<a:r>" + r.replace(declared, "") + "<a:t>x</a:t></a:r>" for r in found)
    bare = etree.tostring(tree, encoding="unicode").replace(declared, "")
    return bare, f"<a:p>{runs}</a:p>"


def _audit(path: Path) -> list[str]:
    import openxml_audit

    validator = openxml_audit.OpenXmlValidator(file_format=openxml_audit.FileFormat.MICROSOFT_365)
    return [f"{e.part_uri} {e.path}: {e.description}" for e in validator.validate(path).errors]


@pytest.fixture
def validate(tmp_path: Path) -> Callable[..., list[str]]:
    """Audits formulas, one slide each, in a PowerPoint-shaped shape; returns the validator's errors."""
    try:
        import openxml_audit  # noqa: F401
    except ImportError:
        require(False, "openxml-audit")

    def run(ommls: list[tuple[str, bool]], *, relocate: bool = True) -> list[str]:
        from pptx import Presentation

        presentation = Presentation()
        for omml, display in ommls:
            extra = ""
            if relocate:
                omml, extra = _relocate_run_properties(omml)
            shape = _slide_shape(omml, display, 2).replace(
                "</a:p></p:txBody></p:sp></mc:Choice>", f"</a:p>{extra}</p:txBody></p:sp></mc:Choice>")
            slide = presentation.slides.add_slide(presentation.slide_layouts[6])
            slide.shapes._spTree.append(etree.fromstring(shape))
        path = tmp_path / f"deck{len(list(tmp_path.glob('*.pptx')))}.pptx"
        presentation.save(str(path))
        return _audit(path)
    return run


def _slide_of(error: str) -> int:
    found = re.search(r"slide(\d+)", error)
    return int(found.group(1)) - 1 if found else -1


def _test_set() -> tuple[list[tuple[str, bool]], list[str]]:
    ommls, names = [], []
    for tex in TEXES:
        for display, color in ((True, None), (False, "1F2D3D")):
            ommls.append((mathml_to_omml(latex2mathml.convert(tex), display=display, color=color), display))
            names.append(f"{tex} display={display}")
    return ommls, names


def test_every_formula_passes_the_ooxml_validator_in_a_powerpoint_shaped_slide(
        validate: Callable[..., list[str]]) -> None:
    ommls, names = _test_set()
    errors = validate(ommls)
    assert errors == [], [(names[_slide_of(e)], e) for e in errors[:10]]


def test_the_validators_only_complaint_about_powerpoints_own_markup_is_drawingml_in_math(
        validate: Callable[..., list[str]]) -> None:
    errors = validate(_test_set()[0], relocate=False)
    assert errors
    others = [e for e in errors if not re.search(r"/(r|ctrlPr)\[\d+\]: (Unexpected element 'rPr' found"
                                                 r"|Element 'rPr' is not a valid choice)", e)]
    assert others == []


def test_any_mathml_tree_gives_schema_valid_omml(validate: Callable[..., list[str]]) -> None:
    samples: list[str] = []

    @settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @given(_mathml_trees())
    def collect(mathml: str) -> None:
        samples.append(mathml)

    collect()
    errors = validate([(mathml_to_omml(m, display=i % 2 == 0, color="102030"), i % 2 == 0)
                       for i, m in enumerate(samples)])
    assert errors == [], [(samples[_slide_of(e)], e) for e in errors[:5]]


def test_the_validator_catches_the_mistakes_of_pandoc_and_mathml2omml(
        validate: Callable[..., list[str]]) -> None:
    good = mathml_to_omml(latex2mathml.convert(r"\begin{pmatrix}a&b\end{pmatrix}+\sqrt{x}"), display=True)
    pandoc = re.sub(r'(<m:count m:val="\d+"/>)(<m:mcJc m:val="\w+"/>)', r"\2\1", good)
    mathml2omml = good.replace("<m:deg/>", "")
    assert validate([(good, True)]) == []
    errors = validate([(pandoc, True), (mathml2omml, True)])
    assert any("mcPr[1]: Unexpected element 'count'" in e for e in errors)
    assert any("rad[1]: Required element 'deg' is missing" in e for e in errors)
