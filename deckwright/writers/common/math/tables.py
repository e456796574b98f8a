"""The characters Office Math treats specially: large operators, fences, accents, limits, function names."""

from __future__ import annotations

NS_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"

# Operators written as m:nary (their limits become m:sub/m:sup, the next operand m:e).
NARY = frozenset("∑∏∐∫∬∭∮∯∰∱∲∳⋃⋂⋁⋀⨀⨁⨂⨄⨆⨌")
# Integrals keep their limits beside the sign even in display math, as TeX does.
INTEGRALS = frozenset("∫∬∭∮∯∰∱∲∳⨌")

OPENERS = frozenset("([{⟨〈⌊⌈⟦")
CLOSERS = frozenset(")]}⟩〉⌋⌉⟧")
# Bars open and close with the same character: they pair only with themselves.
SYMMETRIC = frozenset("|‖∣∥")

# Where an n-ary operand ends: a relation, a sum's sign or a separator at the operand's own level.
OPERAND_STOPS = frozenset("=+−-<>≤≥≠≈≡∼≃≅∝,;:→←↔⇒⇐⇔±∓∈∉⊂⊃⊆⊇")

# lim-like names whose script goes under them (m:func with an m:limLow name).
LIMIT_NAMES = frozenset({"lim", "max", "min", "sup", "inf", "limsup", "liminf", "lim sup", "lim inf",
                         "det", "gcd", "Pr", "argmax", "argmin", "arg max", "arg min"})
# Function names that take the next operand as their argument (m:func), as \sin x does.
FUNCTION_NAMES = frozenset({
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "coth", "log", "ln", "lg", "exp", "dim", "ker", "deg", "hom", "arg", "lcm", "sgn", "tr"})
FUNCTION_APPLY = "\u2061"

# Accents over a base (MathML's mover character → the combining character m:acc wants).
ACCENTS = {
    "^": "\u0302", "ˆ": "\u0302", "\u0302": "\u0302",
    "~": "\u0303", "˜": "\u0303", "\u0303": "\u0303",
    "→": "\u20d7", "⃗": "\u20d7",
    "¯": "\u0305", "\u0304": "\u0305", "\u0305": "\u0305",
    "˙": "\u0307", "\u0307": "\u0307", "¨": "\u0308", "\u0308": "\u0308",
    "ˇ": "\u030c", "\u030c": "\u030c", "˘": "\u0306", "\u0306": "\u0306",
    "´": "\u0301", "\u0301": "\u0301", "`": "\u0300", "\u0300": "\u0300",
    "←": "\u20d6", "↔": "\u20e1", "˚": "\u030a", "\u20db": "\u20db",
}
# A line over or under the whole base (\overline, \underline) is m:bar, not an accent.
BARS = frozenset("―‾_\u0332\u203e\u2014\u2500")
# Braces over or under a base (\overbrace, \underbrace) are m:groupChr.
GROUP_CHARS = frozenset("⏞⏟⏜⏝⎴⎵")

# MathML's named widths, in em.
NAMED_SPACES = {
    "veryverythinmathspace": 1 / 18, "verythinmathspace": 2 / 18, "thinmathspace": 3 / 18,
    "mediummathspace": 4 / 18, "thickmathspace": 5 / 18, "verythickmathspace": 6 / 18,
    "veryverythickmathspace": 7 / 18,
}
# Unicode spaces of roughly each TeX width (\, \: \; \quad), widest last: (up to em, character).
SPACES = ((0.2, "\u2009"), (0.25, "\u205f"), (0.4, "\u2004"), (0.75, "\u2002"))
EM_SPACE = "\u2003"

# Cambria Math's PANOSE, written with its name as PowerPoint does.
PANOSE = {"Cambria Math": 'panose="02040503050406030204" pitchFamily="18" charset="0"'}
