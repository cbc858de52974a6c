"""Output formats: pandoc runs (HTML, EPUB) and WeasyPrint (PDF)."""
