"""The command line: ``miena-book check | tree | init``.

Parses options, calls the pipeline and prints. Expected problems (a bad config, a
vault that does not exist) end with a message and exit status 2, never a traceback.
Exit status: 0 when the vault has no errors, 1 when it has some (or any warning under
``--strict``), 2 for bad usage or an unusable config.
"""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .config import CONFIG_FILE_NAME, BookConfig, ConfigError, load_config, render_default_config
from .diagnostics import exit_status, format_github, format_json, format_text, summary_line
from .pipeline import CheckResult, check_vault
from .report import format_tree

USAGE_ERROR = 2

vault_argument = click.argument(
    "vault", default=".", type=click.Path(exists=True, file_okay=False, dir_okay=True))
config_option = click.option(
    "--config", "config_file", type=click.Path(exists=True, dir_okay=False),
    help=f"Config file to use instead of VAULT/{CONFIG_FILE_NAME}.")


def units_line(report) -> str:
    """How the PDF's units were made: « pdf units: 12, 2 laid out (1: its text changed; 1:
    its page numbers moved), 10 from the cache »."""
    from collections import Counter

    reasons = Counter(report.laid_out.values())
    why = "; ".join(f"{count}: {reason}" for reason, count in sorted(reasons.items(), key=lambda x: (-x[1], x[0])))
    line = f"pdf units: {report.units}, {len(report.laid_out)} laid out"
    if why:
        line += f" ({why})"
    if report.from_cache:
        line += f", {report.from_cache} from the cache"
    if report.layouts > len(report.laid_out):
        line += f"; {report.layouts} layouts in {report.passes} passes"
        if report.relaid:
            line += f", {report.relaid} from their first layout's boxes"
    return line


def _path_for_humans(vault: str):
    """Print paths relative to the current folder, so editors and CI can open them."""
    def rebase(path: str) -> str:
        full = os.path.join(vault, *path.split("/"))
        rel = os.path.relpath(full)
        return (full if rel.startswith("..") else rel).replace(os.sep, "/")
    return rebase


def _load(vault: str, config_file: str | None) -> tuple[BookConfig, tuple]:
    try:
        config, warnings = load_config(vault, config_file)
    except ConfigError as problem:
        click.echo(format_text(problem.diagnostics, _path_for_humans(vault)), err=True)
        click.echo("miena-book: the config cannot be used; nothing was checked.", err=True)
        sys.exit(USAGE_ERROR)
    return config, tuple(warnings)


def _run(vault: str, config_file: str | None) -> CheckResult:
    config, config_warnings = _load(vault, config_file)
    return check_vault(vault, config, config_warnings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="miena-book")
def main() -> None:
    """Compile an Obsidian vault written with the MIENA method into one handbook."""


@main.command()
@vault_argument
@config_option
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="How to print the diagnostics.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
def check(vault: str, config_file: str | None, output_format: str, strict: bool) -> None:
    """Read VAULT (default: the current folder) and report every problem found.

    Diagnostics read `path:line: level: message [code]`. Exit status: 0 no errors,
    1 errors (or warnings with --strict), 2 bad usage or config.
    """
    result = _run(vault, config_file)
    diagnostics = result.diagnostics
    if output_format == "json":
        click.echo(format_json(diagnostics))
    elif output_format == "github":
        if diagnostics:
            click.echo(format_github(diagnostics, _path_for_humans(vault)))
    else:
        if diagnostics:
            click.echo(format_text(diagnostics, _path_for_humans(vault)))
        placed = len(result.vault.notes) - len(result.outline.excluded)
        click.echo(f"{len(result.vault.notes)} notes read, {placed} in the book, "
                   f"{len(result.outline.excluded)} left out; {summary_line(diagnostics)}.", err=True)
    sys.exit(exit_status(diagnostics, strict))


@main.command()
@vault_argument
@config_option
@click.option("--paths", is_flag=True, help="Show each note's file path after its title.")
def tree(vault: str, config_file: str | None, paths: bool) -> None:
    """Print the book's outline for VAULT, in book order, with the notes left out.

    Diagnostics go to standard error; the exit status is the same as `check`'s.
    """
    result = _run(vault, config_file)
    click.echo(format_tree(result.outline, show_paths=paths))
    if result.diagnostics:
        click.echo(format_text(result.diagnostics, _path_for_humans(vault)), err=True)
    sys.exit(exit_status(result.diagnostics))


@main.command()
@vault_argument
@config_option
@click.option("-o", "--output", "out_dir", default="build", show_default=True, type=click.Path(file_okay=False),
              help="Folder the handbook is written to.")
@click.option("--format", "formats", default="pdf,epub,html", show_default=True,
              help="Comma-separated outputs: pdf, epub, html.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only diagnostics.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="WeasyPrint workers laying out the PDF's chapters at once.  [default: one per core]")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="The cache's folder.  [default: .miena-cache in the vault]")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache: compute everything.")
def build(vault: str, config_file: str | None, out_dir: str, formats: str, strict: bool, quiet: bool,
          jobs: int | None, cache_dir: str | None, no_cache: bool) -> None:
    """Compile VAULT into the handbook: OUT/<slug>.pdf, .epub and .html.

    Each file is written to a temporary name and moved into place, so a failed build
    leaves the previous artifacts untouched. What a build computes is kept in a cache,
    under a key of everything that shaped it: a build after an edit redoes only what the
    edit reaches, and gives the same bytes as a build from scratch.
    """
    from .pipeline import FORMATS, BuildError, build_stages
    from .pipeline import build as build_book
    from .progress import TerminalProgress, wants_progress

    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(f"choose among {', '.join(FORMATS)}", param_hint="--format")
    config, config_warnings = _load(vault, config_file)
    progress = TerminalProgress(build_stages(wanted)) if wants_progress(sys.stderr, quiet) else None
    try:
        result = build_book(vault, config, out_dir, wanted, config_warnings, progress=progress or (lambda _: None),
                            jobs=jobs, cache_dir=cache_dir, use_cache=not no_cache)
    except BuildError as failure:
        click.echo(f"miena-book: build failed at {failure}; the previous artifacts are untouched.", err=True)
        sys.exit(1)
    finally:
        if progress:
            progress.close()
    if result.diagnostics:
        click.echo(format_text(result.diagnostics, _path_for_humans(vault)), err=True)
    if not quiet:
        for stage, seconds in result.timings:
            click.echo(f"{stage:>12}  {seconds:6.2f} s", err=True)
        if result.pdf:
            faces = ", ".join(f"{family} ({count} character{'s' * (count != 1)})"
                              for family, count in result.pdf["fonts"].items())
            click.echo(f"pdf: {result.pdf['pages']} pages, {result.pdf['standard']}, set in {faces}", err=True)
        if result.from_cache:
            click.echo("nothing changed since the last build: the artifacts come from the cache", err=True)
        elif result.units is not None:
            click.echo(units_line(result.units), err=True)
        click.echo(f"{summary_line(result.diagnostics)}.", err=True)
        for path in result.written:
            click.echo(f"wrote {path}")
    sys.exit(exit_status(result.diagnostics, strict))


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, dir_okay=True))
@click.option("--force", is_flag=True, help=f"Overwrite an existing {CONFIG_FILE_NAME}.")
def init(directory: str, force: bool) -> None:
    """Write DIRECTORY/book.yml listing every setting, commented, with its default."""
    target = os.path.join(directory, CONFIG_FILE_NAME)
    if os.path.exists(target) and not force:
        click.echo(f"miena-book: {target} already exists; use --force to overwrite it.", err=True)
        sys.exit(USAGE_ERROR)
    os.makedirs(directory, exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(render_default_config())
    click.echo(f"Wrote {target}")


if __name__ == "__main__":  # pragma: no cover
    main()
