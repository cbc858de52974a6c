"""The output intent of a PDF/X book: the ICC profile of its printing condition, read here.

The config's ``output_profile`` names a file inside the vault (the profile a printer gives,
FOGRA39 or GRACoL for instance); without one, the system's CMYK profile is used
(Ghostscript's, from Debian's libgs-common, a common offset condition). A book of another
``pdf_standard`` needs none. The config and the vault in; the profile's bytes (or nothing)
and the diagnostics out. The exporters never open a file themselves.
"""

from __future__ import annotations

import os

from ..diagnostics import Diagnostic, error
from .paths import vault_file

SYSTEM_CMYK_PROFILES = ("/usr/share/color/icc/ghostscript/default_cmyk.icc",)
MAX_PROFILE_BYTES = 16 * 1024 * 1024
_ICC_SIGNATURE = b"acsp"  # bytes 36-39 of every ICC profile


def read_output_profile(vault_dir: str, config) -> tuple[bytes | None, list[Diagnostic]]:
    if not config.pdf_standard.startswith("pdf/x"):
        return None, []
    if config.output_profile:
        path, why = vault_file(vault_dir, config.output_profile, MAX_PROFILE_BYTES)
        if path is None:
            return None, [error("pdf.profile", f"output_profile '{config.output_profile}' {why}; a "
                                f"{config.pdf_standard} book needs the ICC profile of its printing condition",
                                "book.yml")]
        with open(path, "rb") as handle:
            data = handle.read()
        if data[36:40] != _ICC_SIGNATURE:
            return None, [error("pdf.profile", f"output_profile '{config.output_profile}' is not an ICC profile",
                                "book.yml")]
        return data, []
    for candidate in SYSTEM_CMYK_PROFILES:
        if os.path.isfile(candidate):
            with open(candidate, "rb") as handle:
                return handle.read(), []
    return None, [error("pdf.profile", f"a {config.pdf_standard} book needs the ICC profile of its printing "
                        "condition: set output_profile to the .icc file your printer gives (in the vault), or "
                        "install Debian's libgs-common for a default one", "book.yml")]
