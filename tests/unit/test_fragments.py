"""export.fragments: pieces of a book written by pandoc in bounded batches, and cached."""

from miena_book.cache import Cache
from miena_book.export import fragments, pandoc


def piece(text: str) -> list:
    return [{"t": "Para", "c": [{"t": "Str", "c": text}]}]


def test_batches_are_bounded_in_order_and_keep_both_processes_busy(monkeypatch):
    monkeypatch.setattr(fragments, "BATCH_BYTES", 25)
    assert fragments._batches([0, 1, 2, 3], [10, 10, 10, 10]) == [[0, 1], [2, 3]]
    assert fragments._batches([4, 7, 9], [100, 1, 1]) == [[4], [7, 9]]  # a large piece alone
    assert fragments._batches([3], [100]) == [[3]]
    assert fragments._batches(list(range(5)), [20] * 5) == [[0], [1], [2], [3], [4]]


def test_pieces_written_in_small_batches_or_from_the_cache_are_the_same(tmp_path, monkeypatch):
    api = pandoc.read_markdown("x")["pandoc-api-version"]  # the pandoc installed
    pieces = [piece(f"Morceau {n} <é>") for n in range(7)]
    whole = fragments.write_pieces(api, pieces, [], "test")
    assert whole == [f"<p>Morceau {n} &lt;é&gt;</p>" for n in range(7)]
    monkeypatch.setattr(fragments, "BATCH_BYTES", 1)
    cache = Cache(str(tmp_path / "cache"))
    assert fragments.write_pieces(api, pieces, [], "test", cache) == whole
    monkeypatch.setattr(fragments.pandoc, "write", lambda *args, **kwargs: 1 / 0)  # all from the cache now
    assert fragments.write_pieces(api, pieces, [], "test", cache) == whole


def test_a_piece_that_writes_nothing_keeps_its_place():
    api = pandoc.read_markdown("x")["pandoc-api-version"]
    nothing = [{"t": "RawBlock", "c": ["latex", "\\relax"]}]  # the HTML writer leaves it out
    pieces = [nothing, piece("Un"), [], piece("Deux"), nothing]
    assert fragments.write_pieces(api, pieces, [], "test") == ["", "<p>Un</p>", "", "<p>Deux</p>", ""]
