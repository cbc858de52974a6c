"""HTML fragments: pandoc's ``html5`` of a book's pieces (the PDF's units, the page's
chapters), each piece cached under a key of its own blocks.

A long book's HTML takes pandoc seconds to write, on one core, and an edit changes one
piece of it: the pieces found in the cache are taken from it, the others are written by
two pandoc processes at once, each given a batch of pieces as one document with a marker
(a raw HTML comment) between them, and its output cut at the markers. A batch holds at
most ``BATCH_BYTES`` of the AST's JSON (or one piece larger than that): pandoc holds about
fifty times its input in memory, and a 10,000-note book is hundreds of megabytes of JSON.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from ..cache import key_of
from . import pandoc

PIECE_MARK = "<!--miena-book:piece-->"
BATCH_BYTES = 4_000_000


def write_pieces(api_version, pieces: list[list], options: list[str], label: str, cache=None) -> list[str]:
    """The HTML of each piece (a list of blocks), in order. ``label`` names the writing in
    the cache keys: the same blocks written for another format have another key."""
    keys = [key_of(label, api_version, options, piece) for piece in pieces] if cache else []
    written: list[str | None] = [None] * len(pieces)
    for index, key in enumerate(keys):
        found = cache.get("html", key)
        if found is not None:
            written[index] = found[1].decode("utf-8")
    missing = [index for index, html in enumerate(written) if html is None]
    if missing:
        batches = _batches(missing, [len(json.dumps(pieces[index])) for index in missing])
        with ThreadPoolExecutor(min(2, len(batches))) as pool:
            for batch, htmls in zip(batches, pool.map(lambda batch: _write_batch(
                    api_version, [pieces[index] for index in batch], options), batches)):
                for index, html in zip(batch, htmls):
                    written[index] = html
                    if cache:
                        cache.put("html", keys[index], {}, html.encode("utf-8"))
    return written  # type: ignore[return-value]


def _write_batch(api_version, pieces: list[list], options: list[str]) -> list[str]:
    """The pieces written by one pandoc run, as one document cut at the markers."""
    mark = {"t": "RawBlock", "c": ["html", PIECE_MARK]}
    blocks = [block for number, piece in enumerate(pieces) for block in ([mark] if number else []) + piece]
    document = {"pandoc-api-version": api_version, "meta": {}, "blocks": blocks}
    html = pandoc.write(document, "html5", options).decode("utf-8")
    # each marker stands on a line of its own; a piece that writes nothing leaves two
    written_pieces = [part.removeprefix("\n").removesuffix("\n") for part in html.split(PIECE_MARK)]
    if len(written_pieces) != len(pieces):  # a piece's own HTML holds the marker: never cut it there
        raise ValueError("piece marker in a piece's HTML")
    return written_pieces


def write_walked_pieces(api_version, pieces: list[list], walk: "PieceWalk", make_ready, options: list[str],
                        label: str, cache=None, key_parts=lambda index: ()) -> tuple[list[bytes], list[list]]:
    """The HTML of each piece (in order, UTF-8: a large book's pieces held as text would take
    two or four times their bytes) that a walk over the pieces makes ready, and the samples
    each one holds (``[name, blocks]`` pairs: what makes pandoc add styles).

    A piece is keyed by its blocks, by where the walk before it ended (``walk.state()``) and
    by ``key_parts(index)`` (called before each piece, in order); one found in the cache is
    neither walked nor written (the walk resumes from the state kept with it). The others
    are made ready by ``make_ready(piece, samples)`` and written in batches by two pandoc
    processes while the walk goes on: at most ``2 * BATCH_BYTES`` of ready pieces wait, so
    a large book's pieces are never all held made ready at once. A book that fits is
    written in two batches of half of it each (both processes work)."""
    htmls: list[bytes | None] = [None] * len(pieces)
    samples_of: list[list] = [[] for _ in pieces]
    waiting: list[tuple[int, str | None, list, list, int]] = []  # (index, key, ready, state, size)
    held = 0
    running: list = []  # (batch, future), oldest first

    def collect(batch, future) -> None:
        for (index, key, _, state, _), html in zip(batch, future.result()):
            htmls[index] = html.encode("utf-8")
            if key:
                cache.put("html", key, {"state": state, "samples": samples_of[index]}, htmls[index])

    def submit(batch) -> None:
        running.append((batch, pool.submit(_write_batch, api_version, [ready for _, _, ready, _, _ in batch],
                                           options)))
        while len(running) > 2:  # two at work, the walk making the next one ready
            collect(*running.pop(0))

    with ThreadPoolExecutor(2) as pool:
        try:
            for index, piece in enumerate(pieces):
                extra = key_parts(index)
                key = key_of(label, api_version, options, piece, walk.state(), *extra) if cache else None
                found = cache.get("html", key) if key else None
                if found is not None and {"state", "samples"} <= set(found[0]):
                    facts, payload = found
                    walk.resume(facts["state"])
                    samples_of[index] = facts["samples"]
                    htmls[index] = payload
                    continue
                own: dict = {}
                ready = make_ready(piece, own)
                samples_of[index] = [[name, sample] for name, sample in own.items()]
                size = len(json.dumps(ready))
                waiting.append((index, key, ready, walk.state(), size))
                held += size
                while held > 2 * BATCH_BYTES:  # the first batch's worth goes to pandoc
                    count, taken = 0, 0
                    while count < len(waiting) and (count == 0 or taken + waiting[count][4] <= BATCH_BYTES):
                        taken += waiting[count][4]
                        count += 1
                    submit(waiting[:count])
                    del waiting[:count]
                    held -= taken
            if waiting:
                for batch in pandoc.batches([item[4] for item in waiting], BATCH_BYTES):
                    submit([waiting[number] for number in batch])
            while running:
                collect(*running.pop(0))
        finally:
            for _, future in running:
                future.cancel()
    return htmls, samples_of  # type: ignore[return-value]


def _batches(indices: list[int], sizes: list[int]) -> list[list[int]]:
    """``indices`` in batches of at most ``BATCH_BYTES`` of JSON (``pandoc.batches``)."""
    return [[indices[position] for position in batch] for batch in pandoc.batches(sizes, BATCH_BYTES)]


class PieceWalk:
    """What a walk over a book's pieces carries from one piece to the next, for the screen's
    writers (``export.html``, ``export.epub``): the footnotes numbered so far, and the note
    whose code blocks are being named. pandoc would number code blocks (``cb1``, ``cb2``…,
    for their lines' anchors) in each piece it writes, ids that clash once the pieces are
    put together: each one with a language is named after its note and its rank in it.

    ``state()`` is kept with a piece's cached HTML and ``resume(state)`` takes it back, so
    that a piece found in the cache is not walked."""

    def __init__(self):
        self.footnotes = 0
        self.note = ""
        self.code = 0

    def state(self) -> list:
        return [self.footnotes, self.note, self.code]

    def resume(self, state: list) -> None:
        self.footnotes, self.note, self.code = state

    def entered_note(self, node: dict) -> bool:
        """Whether ``node`` is a note's heading (the code blocks after it are named after it)."""
        if node.get("t") == "Header" and "note" in node["c"][1][1]:
            self.note, self.code = node["c"][1][0], 0
            return True
        return False

    def named_code(self, node: dict, samples: dict, attr=lambda attr: attr) -> dict:
        """The code block ``node`` with its id (``attr`` may change its attributes further),
        added to ``samples`` as the sample of its language."""
        (identifier, classes, pairs), text = node["c"]
        if classes and not identifier:
            self.code += 1
            identifier = f"{self.note}--code-{self.code}"
        made = {"t": "CodeBlock", "c": [attr([identifier, classes, pairs]), text]}
        if classes:
            samples.setdefault("code " + " ".join(classes), made)
        return made
