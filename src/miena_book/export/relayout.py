"""Relayout: a unit laid out again from the boxes of its last layout, in the same worker.

A unit is laid out twice on a first build (``export.layout``): once to learn where its
pages break and its anchors land, with guessed page numbers, then with the book's real
numbers, to be written. Between the two, its text, its styles and its structure are the
same; only the numbers change (each link's ``data-page``, which the stylesheet prints
after it), the number of its first page and the side it starts on. WeasyPrint lays a
document out from a tree of boxes built from the HTML and its computed styles, and lays it
out again from the same tree when page-based counters ask for it; here the tree of the
first layout is kept, its numbers written in where the stylesheet put them, its page
styles computed again, and the second layout starts from there: a quarter of a unit's
work (parsing, the cascade, building the boxes) is not done twice. The bytes are those
of a layout from scratch (tested).

Only a layout whose input differs from the kept one in those values starts from it (the
HTML compared with every ``data-page`` value blanked, the stylesheets with the first page's
number and side blanked), and only where the stylesheets print ``data-page`` in generated
text and nowhere else (`numbers_only_after_links`); any other goes from scratch. This uses WeasyPrint's internal
steps (``Document._build_layout_context``, ``build_formatting_structure``,
``layout_document``); where this WeasyPrint has them otherwise, nothing is kept and every
layout goes from scratch (``available``).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

# A worker keeps the boxes of at most this many characters of HTML (about 200 bytes of
# memory each: some 300 MB), the oldest let go first
KEPT_CHARACTERS = 1_500_000

_DATA_PAGE = re.compile(r'data-page="([^"]*)"')
_FIRST_NUMBER = re.compile(r"counter-reset: page -?\d+;")
_FIRST_SIDE = re.compile(r"break-before: (right|left);")

_available: list[bool] = []


def available() -> bool:
    """Whether this WeasyPrint has the internal steps a kept layout needs (checked once:
    importing them imports WeasyPrint, which the build's own process does not need)."""
    if not _available:
        try:
            from weasyprint.document import Document
            from weasyprint.formatting_structure.build import build_formatting_structure  # noqa: F401
            from weasyprint.layout import LayoutContext, layout_document  # noqa: F401
            from weasyprint.layout.page import PageType  # noqa: F401
            from weasyprint.pdf import VARIANTS  # noqa: F401

            _available.append(hasattr(Document, "_build_layout_context"))
        except ImportError:  # another WeasyPrint: every layout from scratch
            _available.append(False)
    return _available[0]


@dataclass
class KeptLayout:
    """What a unit's layout leaves to lay it out again: its input and its boxes."""

    html_text: str
    stylesheets: list[str]
    sheets: list  # the stylesheets parsed, in the order given
    document: object  # weasyprint.HTML
    context: object  # the layout's LayoutContext (its computed styles)
    root: object  # the root box
    footnotes: list  # the footnotes the boxes hold, before a layout places them
    font_config: object
    counter_style: object
    options: dict


class KeptLayouts:
    """The worker's kept layouts by key, bounded in characters, the oldest let go first.

    Python's collector of reference cycles walks every object alive each time it runs a
    full pass: with a dozen units' boxes and styles kept (some 700,000 objects), a
    counting layout took a sixth longer. So what is kept is set aside from it
    (``gc.freeze``) after each job (`after_job`); the styles of a layout let go are cycles,
    freed only once the frozen objects are given back to the collector, which is done
    when half the bound has been let go."""

    def __init__(self, characters: int = KEPT_CHARACTERS):
        self.characters = characters
        self._kept: OrderedDict[str, KeptLayout] = OrderedDict()
        self._let_go = 0  # characters of layouts let go since the frozen objects were collected
        self._taken: KeptLayout | None = None

    def take(self, key: str | None) -> KeptLayout | None:
        kept = self._kept.pop(key, None) if key else None
        if kept is not None:  # let go after its job, unless kept again
            self._let_go += len(kept.html_text)
            self._taken = kept
        return kept

    def keep(self, key: str, kept: KeptLayout) -> None:
        self._kept[key] = kept
        if kept is self._taken:
            self._let_go -= len(kept.html_text)
        held = sum(len(layout.html_text) for layout in self._kept.values())
        while held > self.characters and self._kept:
            _, oldest = self._kept.popitem(last=False)
            held -= len(oldest.html_text)
            self._let_go += len(oldest.html_text)

    def keys(self) -> list[str]:
        return list(self._kept)

    def after_job(self) -> None:
        """The job's own cycles collected, and what is kept now frozen (see the class)."""
        import gc

        self._taken = None
        if self._let_go > self.characters // 2:
            gc.unfreeze()
            self._let_go = 0
        gc.collect()
        if self._kept:
            gc.freeze()


def _options(sheets: list, variant: str) -> dict:
    """The options ``HTML.render`` would lay out with (its defaults, then the variant's)."""
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.pdf import VARIANTS

    options = DEFAULT_OPTIONS.copy()
    options.update(stylesheets=sheets, presentational_hints=True, pdf_variant=variant, pdf_tags=True)
    if variant:
        _, properties = VARIANTS[variant]
        for key, value in tuple(options.items()):
            if value is None and key in properties:
                options[key] = properties[key]
    return options


def lay_out(html_text: str, stylesheets: list[str], sheets: list, fetcher, variant: str, color_profiles):
    """A layout from scratch, as ``HTML.render`` makes it: (the Document, what to keep)."""
    from weasyprint import HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.document import Document
    from weasyprint.formatting_structure.build import build_formatting_structure
    from weasyprint.text.fonts import FontConfiguration

    document = HTML(string=html_text, url_fetcher=fetcher, base_url="data:,")
    font_config, counter_style = FontConfiguration(), CounterStyle()
    options = _options(sheets, variant)
    context = Document._build_layout_context(document, font_config, counter_style, color_profiles, options)
    root = build_formatting_structure(document.etree_element, context.style_for, context.get_image_from_uri,
                                      document.base_url, context.target_collector, counter_style, context.footnotes)
    kept = KeptLayout(html_text, list(stylesheets), list(sheets), document, context, root, list(context.footnotes),
                      font_config, counter_style, options)
    return _paginate(kept, context, color_profiles), kept


def _paginate(kept: KeptLayout, context, color_profiles):
    from weasyprint.document import Document, DocumentMetadata, Page
    from weasyprint.html import get_html_metadata
    from weasyprint.layout import layout_document

    pages = [Page(page_box) for page_box in layout_document(kept.document, kept.root, context)]
    rendering = Document(pages, DocumentMetadata(**get_html_metadata(kept.document)), kept.document.url_fetcher,
                         kept.font_config, color_profiles, kept.options["output_intent"])
    rendering._html = kept.document
    return rendering


def lay_out_again(kept: KeptLayout, html_text: str, stylesheets: list[str], parse_sheet, color_profiles):
    """The unit laid out from ``kept`` with this input, or None when the input differs from
    the kept one in more than its page numbers, first number and side."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import LayoutContext
    from weasyprint.layout.page import PageType

    new_side = _side_change(kept.stylesheets, stylesheets)
    if new_side is None or not numbers_only_after_links(tuple(stylesheets)):
        return None
    if _DATA_PAGE.sub('data-page=""', html_text) != _DATA_PAGE.sub('data-page=""', kept.html_text):
        return None
    old_values = _DATA_PAGE.findall(kept.html_text)
    new_values = _DATA_PAGE.findall(html_text)
    elements = [element for element in kept.document.etree_element.iter() if element.get("data-page") is not None]
    # each value written in the text is the attribute of an element, in order; where it is
    # not so (the text of a page naming data-page="…" itself), nothing is patched
    if len(elements) != len(old_values) or any(e.get("data-page") != v for e, v in zip(elements, old_values)):
        return None
    generated: dict[object, list] = {}
    for box in kept.root.descendants():
        if isinstance(box, boxes.TextBox) and box.element is not None and \
                box.element_tag.endswith(("::after", "::before")):
            generated.setdefault(box.element, []).append(box)
    # the value as attr() wrote it into the generated text of its element (a leader before
    # it is a box of its own), or nowhere (a link the stylesheet gives no number); where it
    # stands more than once, it cannot be told apart: nothing is patched
    patches = []
    for element, old, new in zip(elements, old_values, new_values):
        if old == new:
            continue
        holding = [box for box in generated.get(element, ()) if old in box.text]
        if len(holding) > 1 or holding and holding[0].text.count(old) != 1:
            return None
        patches.append((element, holding[0] if holding else None, old, new))
    for element, box, old, new in patches:
        element.set("data-page", new)
        if box is not None:
            at = box.text.index(old)
            box.text = box.text[:at] + new + box.text[at + len(old):]
    # the unit's own stylesheet (the last) is the new one; the page styles, computed as
    # pages were made, are computed again from it
    unit_sheet = parse_sheet(stylesheets[-1])
    style_for = kept.context.style_for
    last = kept.sheets[-1]
    style_for._sheets = [(unit_sheet if sheet is last else sheet, origin, specificity)
                         for sheet, origin, specificity in style_for._sheets]
    for store in (style_for._cascaded_styles, style_for._computed_styles):
        for key in [key for key in store if isinstance(key[0], PageType)]:
            del store[key]
    if new_side:
        kept.root.style["break_before"] = new_side
    kept.sheets[-1] = unit_sheet
    kept.html_text, kept.stylesheets = html_text, list(stylesheets)
    context = LayoutContext(style_for, kept.context.get_image_from_uri.func, kept.font_config, kept.counter_style,
                            kept.context.target_collector)
    context.footnotes = list(kept.footnotes)
    kept.context = context
    return _paginate(kept, context, color_profiles)


def _side_change(kept: list[str], new: list[str]) -> str | None:
    """The side the unit's first page takes in ``new`` ("" when the same) if the stylesheets
    differ at most in the unit's first page number and side; else None."""
    if len(kept) != len(new) or kept[:-1] != new[:-1]:
        return None

    def blanked(sheet: str) -> str:
        return _FIRST_SIDE.sub("", _FIRST_NUMBER.sub("", sheet))

    if blanked(kept[-1]) != blanked(new[-1]):
        return None
    old_side, new_side = _FIRST_SIDE.search(kept[-1]), _FIRST_SIDE.search(new[-1])
    if (old_side is None) != (new_side is None):
        return None
    return new_side.group(1) if new_side and new_side.group(1) != old_side.group(1) else ""


@lru_cache(maxsize=8)
def numbers_only_after_links(stylesheets: tuple[str, ...]) -> bool:
    """Whether the stylesheets use ``data-page`` only to print it, in the ``content`` of a
    ``::before`` or ``::after`` rule: then a number changes the text generated there and
    nothing else. A selector on it, a running head or a rule nested in an at-rule that
    reads it (an overridden ``print.css`` may) is not patched: that layout goes from
    scratch. Read with tinycss2, the parser WeasyPrint's own CSS goes through."""
    import tinycss2

    for sheet in stylesheets:
        if "data-page" not in sheet:
            continue
        for rule in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
            if "data-page" not in tinycss2.serialize([rule]):
                continue
            if rule.type != "qualified-rule":
                return False
            prelude = tinycss2.serialize(rule.prelude)
            if "data-page" in prelude or not all(
                    selector.strip().endswith(("::after", "::before", ":after", ":before"))
                    for selector in prelude.split(",")):
                return False
            for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                                skip_whitespace=True):
                if "data-page" in tinycss2.serialize([declaration]) and \
                        getattr(declaration, "lower_name", None) != "content":
                    return False
    return True
