"""Characters no slide can hold: what XML 1.0 forbids, and the C1 controls it discourages."""

from __future__ import annotations

import re

# C0 controls but tab and line ends, U+FFFE/U+FFFF, lone surrogates (no UTF-8 for them), and the C1
# controls (U+0080-U+009F, NEL among them): none can be written to PPTX, none is ever meant in a slide.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
