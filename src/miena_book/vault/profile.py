"""The output intent of a PDF/X book: the ICC profile of its printing condition, read here.

The config's ``output_profile`` names a file inside the vault (the profile a printer gives,
FOGRA39 or GRACoL for instance); without one, the system's CMYK profile is used
(Ghostscript's, from Debian's libgs-common, a common offset condition). A book of another
``pdf_standard`` needs none. The config and the vault in; the profile's bytes (or nothing)
and the diagnostics out: ``check`` reports them, and ``build`` then writes no PDF rather
than one a press would refuse. The exporters never open a file themselves.
"""

from __future__ import annotations

import os

from ..diagnostics import Diagnostic, error, warning
from .paths import vault_file

SYSTEM_CMYK_PROFILES = ("/usr/share/color/icc/ghostscript/default_cmyk.icc",)
MAX_PROFILE_BYTES = 16 * 1024 * 1024
_ICC_SIGNATURE = b"acsp"  # bytes 36-39 of every ICC profile
# what a PDF/X output intent describes: an output device (class "prtr") printing in CMYK
_PRINTER_CLASS, _CMYK = b"prtr", b"CMYK"


def profile_problem(data: bytes) -> str | None:
    """Why ``data`` cannot be a PDF/X output intent, or None."""
    if len(data) < 128 or data[36:40] != _ICC_SIGNATURE:
        return "is not an ICC profile"
    if data[16:20] != _CMYK or data[12:16] != _PRINTER_CLASS:
        space, device = data[16:20].decode("ascii", "replace").strip(), data[12:16].decode("ascii", "replace")
        return (f"describes a '{device}' device in {space}, not a printing condition in CMYK (class "
                "'prtr'): ask the printer for the profile of their press")
    return None


def read_output_profile(vault_dir: str, config) -> tuple[bytes | None, list[Diagnostic]]:
    """The profile's bytes, or None and why. A book of another standard needs none (a profile
    named for it is said to be unused)."""
    if not config.pdf_standard.startswith("pdf/x"):
        if config.output_profile:
            return None, [warning("pdf.profile", f"output_profile is used by a pdf/x-4 book only; this book is "
                                  f"{config.pdf_standard}, the profile is not used", "book.yml")]
        return None, []
    if config.output_profile:
        path, why = vault_file(vault_dir, config.output_profile, MAX_PROFILE_BYTES)
        if path is None:
            return None, [error("pdf.profile", f"output_profile '{config.output_profile}' {why}; a "
                                f"{config.pdf_standard} book needs the ICC profile of its printing condition",
                                "book.yml")]
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as failure:
            return None, [error("pdf.profile", f"output_profile '{config.output_profile}' cannot be read: "
                                f"{failure.strerror}", "book.yml")]
        problem = profile_problem(data)
        if problem:
            return None, [error("pdf.profile", f"output_profile '{config.output_profile}' {problem}; no PDF is "
                                "written", "book.yml")]
        return data, []
    for candidate in SYSTEM_CMYK_PROFILES:
        if os.path.isfile(candidate):
            with open(candidate, "rb") as handle:
                return handle.read(), []
    return None, [error("pdf.profile", f"a {config.pdf_standard} book needs the ICC profile of its printing "
                        "condition: set output_profile to the .icc file your printer gives (in the vault), or "
                        "install Debian's libgs-common for a default one; no PDF is written", "book.yml")]
