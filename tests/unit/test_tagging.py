"""The WeasyPrint functions export.tagging wraps are there in the installed version."""

from miena_book.export.tagging import patched_names


def test_weasyprint_still_has_what_the_tagging_wraps():
    assert patched_names() == []
