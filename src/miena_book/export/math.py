"""Math for print: every ``$…$`` and ``$$…$$`` of the AST drawn as an SVG image.

WeasyPrint has no math engine, so the PDF gets pictures of the formulas, drawn by
ziamath (TeX → MathML → SVG with its own STIX Two Math font; pure Python, no TeX
installation, no network). Inline formulas sit on the text's baseline; display formulas
are centred on their own line. The EPUB and the HTML get MathML from pandoc instead.
A formula ziamath cannot read stays as its TeX source, in code style, with a warning.
"""

from __future__ import annotations

import base64
import re

from ..diagnostics import Diagnostic, warning
from .ast import rewrite

FONT_PX = 14  # the body text is 10.5 pt, i.e. 14 CSS px
_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')


def formulas_as_svg(ast: dict, diagnostics: list[Diagnostic], locate=lambda text: (None, None)) -> dict:
    """A copy of ``ast`` with each Math node replaced by an image of it. ``locate`` gives the
    note and line where a text is written, for the diagnostics."""
    return {**ast, "blocks": rewrite(ast["blocks"], math_pictures(diagnostics, locate))}


def math_pictures(diagnostics: list[Diagnostic], locate=lambda text: (None, None)):
    """The replacement function (``ast.rewrite``) that gives a Math node its image, and
    nothing else: the print pass makes it part of its own walk (``pdf.for_print``)."""
    cache: dict[tuple[str, str], dict] = {}

    def picture(node: dict):
        if node.get("t") != "Math":
            return None
        kind, tex = node["c"][0]["t"], node["c"][1]
        if (kind, tex) not in cache:
            cache[(kind, tex)] = _picture(kind, tex, diagnostics, locate)
        return cache[(kind, tex)]

    return picture


MAX_TEX_LENGTH = 4000
MAX_GROUP_DEPTH = 40
_MACRO_DEFINITION = re.compile(r"\\(?:def|edef|gdef|xdef|newcommand|renewcommand|providecommand|let)\b")


def _too_complex(tex: str) -> str | None:
    """Why a formula is refused before it reaches the engine, or None."""
    if len(tex) > MAX_TEX_LENGTH:
        return f"longer than {MAX_TEX_LENGTH} characters"
    if _MACRO_DEFINITION.search(tex):
        return "it defines macros"  # \def\y{\y} would expand forever
    depth = deepest = 0
    for character in tex:
        depth += {"{": 1, "}": -1}.get(character, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_GROUP_DEPTH or tex.count("\\sqrt") + tex.count("\\frac") > MAX_GROUP_DEPTH:
        return f"nested more than {MAX_GROUP_DEPTH} levels deep"
    return None


def _shown(tex: str) -> str:
    return tex if len(tex) <= 60 else tex[:57] + "…"


def _picture(kind: str, tex: str, diagnostics: list[Diagnostic], locate) -> dict:
    display = kind == "DisplayMath"
    problem = _too_complex(tex)
    if problem is None:
        try:
            import ziamath

            svg = ziamath.Latex(tex, size=FONT_PX * (1.1 if display else 1), inline=not display,
                                title=tex).svg()
        except Exception as failure:  # ziamath reports bad TeX with bare assertions
            problem = _first_line(failure) or type(failure).__name__
    if problem is not None:
        diagnostics.append(warning("math.invalid", f"cannot typeset the formula {_shown(tex)!r} ({problem}); "
                                                   "printed as its TeX source", *locate(tex)))
        return {"t": "Code", "c": [["", ["math-source"], []], tex]}
    box = _VIEWBOX.search(svg)
    style = ""
    if box:
        top, height = float(box.group(2)), float(box.group(4))
        descent = height + top  # the baseline is at y = 0; below it, the descent
        style = f"width:{float(box.group(3)):.2f}px;height:{height:.2f}px;vertical-align:{-descent:.2f}px"
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    image = {"t": "Image", "c": [["", ["math", "display" if display else "inline"], [["style", style]]],
                                 [{"t": "Str", "c": tex}], [uri, ""]]}
    if display:
        return {"t": "Span", "c": [["", ["math-display"], []], [image]]}
    return image


def _first_line(failure: Exception) -> str:
    text = str(failure).strip()
    return text.splitlines()[0][:120] if text else ""
