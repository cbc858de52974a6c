"""The bibliography: source notes and bibliography files as entries; citations in the text."""
