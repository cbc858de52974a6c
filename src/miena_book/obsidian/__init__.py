"""Obsidian\x27s Markdown: the structure of notes, callouts and inline fields."""
