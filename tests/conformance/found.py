"""Conformance cases found by the fuzz run (``tests/fuzz``), each shrunk to its smallest note.

Every case here was a failure of an invariant on a generated vault; the comment above it
says which one and what the book did wrong before the fix. They are written the way
``cases.py`` writes its own.
"""

from __future__ import annotations

from cases import Case

FOUND: list[Case] = [
    # nothing lost: "<!--" first on a line opens an HTML block, and the book dropped the
    # whole block as a comment, the text after the comment with it
    Case("found", "text after a comment that opens a line is shown",
         "<!-- caché un --> visible après\n\n> <!-- caché deux --> visible cité\n\n1. <!-- caché trois --> visible listé",
         html=("visible après", "visible cité", "visible listé"), absent=("caché",),
         pdf=("visible après", "visible cité", "visible listé")),
    # nothing leaked: a comment inside a raw HTML block was shown with the block's text
    Case("found", "a comment inside an HTML block stays hidden", "<div>\navant <!-- caché quatre --> après\n</div>",
         html=("après",), absent=("caché",)),
    # nothing leaked: a heading's id was made from its source, comment included
    Case("found", "a comment in a heading stays out of its id", "## Titre %%caché cinq%% fin\n\nTexte.",
         html=('--titre-fin"',), absent=("cache-cinq", "caché")),
    # EPUB well-formed: a kept tag without its pair (<u> never closed), or <br> written as
    # HTML, made the chapter malformed XML; and <b>, <i>, <em>… were shown as text
    Case("found", "an inline tag without its pair is text, pairs are kept",
         "Un <u>souligné sans fin, </kbd> seul, <b>gras</b>, <SUP>2</SUP> et <i>x *y</i>* puis<BR>fin.",
         html=("&lt;u&gt;souligné sans fin", "&lt;/kbd&gt; seul", "<b>gras</b>", "<sup>2</sup>", "&lt;i&gt;x",
               "puis<br />fin"), absent=("<u>", "<i>")),
    # nothing lost: "Plan", "Plan" and "Plan 2" got the ids plan, plan-2 and plan-2, so a
    # link to the third went to the second
    Case("found", "headings of the same words get different ids",
         "## Plan\n\nUn.\n\n## Plan\n\nDeux.\n\n## Plan 2\n\nTrois.\n\nVoir [[#Plan 2]].",
         html=('--plan"', '--plan-2"', '--plan-2-2"', '--plan-2-2" class="xref">'),
         absent=('--plan-2" class="xref">',)),
    # code the same in every format: a fence's trailing blank line was kept in plain code
    # but dropped by pandoc's highlighter; the book now drops trailing blank lines always
    Case("found", "a code block's trailing blank lines are dropped, highlighted or not",
         "```\nfin de bloc\n\n\n```\n\n```yaml\nclé: valeur\n\n```",
         html=('<pre tabindex="0"><code>fin de bloc</code></pre>', "valeur</span></span></code>")),
    # code never altered: inline code in a narrow table cell was hyphenated in the PDF
    # ("x == yz‐" then "q02008w"), so a reader copying it got a hyphen that is not there
    Case("found", "code in a table cell is never hyphenated",
         "| #miena/modèle #pédagogie zq02005w | $\\frac{a}{b}$ zq02006w | ==zq02007w surligné== `x == yzq02008w` "
         "zq02009w |\n|:--|--:|:-:|\n| a | b | c |",
         html=("<code>x == yzq02008w</code>",), pdf=("yzq02008w",)),
]
