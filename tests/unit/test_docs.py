"""The README documents every diagnostic code the code can emit."""

import re

from conftest import REPO

SOURCE = REPO / "src" / "miena_book"


def emitted_codes() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.py"))
    codes = set(re.findall(r'"((?:encoding|read|frontmatter|config|scan|outline|link|embed|pdf)\.[a-z0-9-]+)"', text))
    suffixes = set(re.findall(r'f"\{what\}\.([a-z-]+)"', text)) | set(
        re.findall(r'self\.findings\.append\(\("([a-z-]+)"', text))
    codes |= {f"{what}.{suffix}" for what in ("frontmatter", "config") for suffix in suffixes}
    return codes


def test_every_code_is_documented():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    codes = emitted_codes()
    assert len(codes) > 30
    missing = sorted(code for code in codes if f"`{code}`" not in readme)
    assert missing == []


def test_quick_start_has_exactly_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make example", "make test"]
