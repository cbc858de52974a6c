"""Every text colour the stylesheets declare reads at 4.5:1 (WCAG AA) on what it may sit on.

The check covers the three formats as they are styled: ``blocks.css`` followed by the
format's own sheet (``print.css`` for the PDF, ``epub.css``, ``screen.css``), read with
tinycss2 (WeasyPrint's own CSS parser). A rule that sets its own background (a tag) is
checked against that background; any other text colour may sit on every surface the
sheets declare (white page, code background, callout tints, highlight yellow: a link in a
callout, a code block in a callout, a highlighted field), and is checked against each.
Contrast is the WCAG 2 ratio of relative luminances.

Pandoc writes its own colours for highlighted code into the HTML and the EPUB;
``blocks.css`` must give every one of those token classes a colour of its own, else
pandoc's paler theme shows through.
"""

from __future__ import annotations

import re

import pytest
import tinycss2
import tinycss2.color3
from conftest import REPO

STYLES = REPO / "styles"
FORMATS = {"pdf": "print.css", "epub": "epub.css", "html": "screen.css"}
AA_TEXT = 4.5
WHITE = (1.0, 1.0, 1.0)


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2's relative luminance of an sRGB colour given as three numbers from 0 to 1."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _rules(css: str, source: str):
    """(source, selector, {property: value}) for every block of declarations, at any depth
    (inside @media, @page and its margin boxes)."""
    def walk(nodes, prelude):
        for node in nodes:
            if node.type == "qualified-rule":
                selector = tinycss2.serialize(node.prelude).strip()
                yield from block(node.content, selector)
            elif node.type == "at-rule" and node.content is not None:
                name = f"@{node.lower_at_keyword} {tinycss2.serialize(node.prelude).strip()}".strip()
                yield from block(node.content, f"{prelude} {name}".strip())

    def block(content, selector):
        items = tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)
        declarations = {item.lower_name: item.value for item in items if item.type == "declaration"}
        if declarations:
            yield source, selector, declarations
        yield from walk([item for item in items if item.type != "declaration"], selector)

    yield from walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), "")


def _colour(tokens) -> tuple[float, float, float] | None:
    """The opaque colour a declaration's value names, or None (inherit, transparent, none).
    The first colour of a shorthand (``background: #fff3a3``) is taken."""
    for token in tokens:
        if token.type in ("whitespace", "comment"):
            continue
        parsed = tinycss2.color3.parse_color(token)
        if parsed is None or parsed == "currentColor":
            continue
        assert parsed.alpha == 1.0, f"translucent colour {tinycss2.serialize([token])}: blend it by hand"
        return (parsed.red, parsed.green, parsed.blue)
    return None


def low_contrast_pairs(sheets: dict[str, str]) -> list[str]:
    """Every text colour below 4.5:1 on a background it may sit on, as readable lines.
    ``sheets``: {file name: CSS text}, in cascade order."""
    rules = [rule for name, css in sheets.items() for rule in _rules(css, name)]
    surfaces = {WHITE: "the page"}
    for source, selector, declarations in rules:
        for prop in ("background", "background-color"):
            if prop in declarations and (found := _colour(declarations[prop])) is not None:
                surfaces.setdefault(found, f"{selector} ({source})")
    failures = []
    for source, selector, declarations in rules:
        if "color" not in declarations or (text := _colour(declarations["color"])) is None:
            continue
        own = next((c for p in ("background", "background-color") if p in declarations
                    for c in [_colour(declarations[p])] if c is not None), None)
        for background, where in ({own: "its own background"} if own else surfaces).items():
            ratio = contrast(text, background)
            if ratio < AA_TEXT:
                failures.append(f"{source}: {selector} {{ color: {_hex(text)} }} on {_hex(background)} "
                                f"({where}): {ratio:.2f}:1")
    return failures


def _shipped(fmt: str) -> dict[str, str]:
    return {name: (STYLES / name).read_text(encoding="utf-8") for name in ("blocks.css", FORMATS[fmt])}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_text_colour_meets_wcag_aa(fmt):
    sheets = _shipped(fmt)
    checked = [rule for name, css in sheets.items() for rule in _rules(css, name) if "color" in rule[2]]
    assert len(checked) >= 20  # the callout titles and the code tokens at least were read
    assert low_contrast_pairs(sheets) == []


def test_a_pale_colour_is_caught():
    planted = {"blocks.css": ".callout-tip { background-color: #e6f4f2; }\n"
                             ".callout-tip > .callout-title { color: #00897b; }\n"
                             ".tag { color: #999999; background: #f2eef8; }\n"
                             "mark { background: #fff3a3; color: inherit; }\n"
                             "@page { @top-center { color: #aaa; } }\n"}
    failures = low_contrast_pairs(planted)
    assert any(".callout-tip > .callout-title { color: #00897b } on #e6f4f2" in f and "3.82:1" in f  # as axe measures it
               for f in failures), failures
    assert any(".tag { color: #999999 } on #f2eef8 (its own background)" in f for f in failures), failures
    assert any("@top-center" in f and "#aaaaaa" in f for f in failures), failures
    assert not any("mark" in f.split("{")[0] for f in failures)  # inherit is no colour of its own


def test_the_luminance_formula_on_known_pairs():
    assert contrast((0, 0, 0), WHITE) == pytest.approx(21.0)
    assert contrast(WHITE, WHITE) == pytest.approx(1.0)
    grey = (0x76 / 255,) * 3  # #767676: the palest grey that passes on white
    assert contrast(grey, WHITE) == pytest.approx(4.54, abs=0.01)


def _pandoc_highlight_classes() -> set[str]:
    """The token classes pandoc's default highlighting theme colours, from its own CSS."""
    import pypandoc

    page = pypandoc.convert_text("```python\nx = 1\n```\n", "html5", format="markdown",
                                 extra_args=["--standalone", "--metadata", "title=t"])
    classes = set()
    sheet = "".join(part.split("</style>")[0] for part in page.split("<style>")[1:])
    for node in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
        if node.type != "qualified-rule":
            continue
        selector = tinycss2.serialize(node.prelude).strip()
        declarations = tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
        if re.fullmatch(r"code span\.[a-z]{2}", selector) and any(
                d.type == "declaration" and d.lower_name == "color" for d in declarations):
            classes.add(selector.rsplit(".", 1)[1])
    return classes


def test_blocks_css_colours_every_token_class_pandoc_colours():
    pandoc_classes = _pandoc_highlight_classes()
    assert {"kw", "st", "co", "at"} <= pandoc_classes
    ours = {selector for _, selector, declarations in _rules(_shipped("html")["blocks.css"], "blocks.css")
            if "color" in declarations}
    declared = {part.strip().rsplit(".", 1)[1] for selector in ours for part in selector.split(",")
                if re.fullmatch(r"code span\.[a-z]{2}", part.strip())}
    assert sorted(pandoc_classes - declared) == []
