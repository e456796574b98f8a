"""The deckwright command line: build, check, watch and serve (work is imported lazily)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from deckwright import __version__

if TYPE_CHECKING:
    from deckwright.build.pipeline import BuildOptions, BuildResult

FORMAT_CHOICES = ("html", "pptx", "pdf")
# Set by `entry()` (a real process, not a test runner): a one-shot build then freezes what it made
# before the interpreter exits, so the exit does not walk every object the build made.
_PROCESS_ENTRY = False
DIALECTS = ("auto", "deckwright", "marp", "reveal", "pandoc")


class DeckFailed(click.ClickException):
    """The deck has errors: they were printed already; exit with status 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"deckwright: {self.message}", err=True)


F = TypeVar("F", bound=Callable[..., Any])


def _remember_sources(ctx: click.Context, _param: click.Parameter, value: tuple[Path, ...]) -> None:
    ctx.meta["deckwright.sources"] = value


def _project_options(f: F) -> F:
    f = click.argument("sources", nargs=-1, expose_value=False, callback=_remember_sources,
                       type=click.Path(exists=True, dir_okay=False, path_type=Path))(f)
    f = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Project directory (holds slides/; default: the current directory, or the "
                          "folder of the first Markdown file given).")(f)
    f = click.option("--dialect", type=click.Choice(DIALECTS), default="auto", show_default=True,
                     help="Markdown dialect of the slides (default: detect per file).")(f)
    f = click.option("--allow-dir", "allow_dirs", multiple=True,
                     type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Also read files (images, backgrounds, slide and data files, a theme) from this "
                          "directory outside the project (repeatable).")(f)
    f = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(f)
    return f


def _output_options(formats_help: str) -> Callable[[F], F]:
    """--format (repeatable, or 'all') and --out, shared by build, watch and serve."""

    def decorate(f: F) -> F:
        f = click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path),
                         help="Output directory (default: <root>/dist).")(f)
        return click.option("--format", "-f", "formats", multiple=True,
                            type=click.Choice((*FORMAT_CHOICES, "all")), help=formats_help)(f)

    return decorate


def _options(root: Path | None, formats: tuple[str, ...], out: Path | None, strict: bool,
             dialect: str, allow_dirs: tuple[Path, ...]) -> BuildOptions:
    """Build options from the command line; Markdown files given as arguments form the deck."""
    from deckwright.build.pipeline import BuildOptions

    sources: tuple[Path, ...] = click.get_current_context().meta.get("deckwright.sources", ())
    sources = tuple(p.resolve() for p in sources)
    root = (root or (sources[0].parent if sources else Path("."))).resolve()
    if not sources and not (root / "slides").is_dir():
        raise click.UsageError(f"no slides/ directory in {root} (or name the Markdown files to build)")
    from deckwright.support.diskcache import cache_problem

    refused = cache_problem(root)
    if refused is not None:
        raise click.ClickException(refused)
    return BuildOptions(root=root, formats=formats or ("html",), sources=sources,
                        out=out.resolve() if out else None, strict=strict,
                        dialect=None if dialect == "auto" else dialect,
                        allow_dirs=tuple(d.resolve() for d in allow_dirs))


def report(result: BuildResult) -> None:
    """Print every diagnostic once, errors and warnings alike, to stderr."""
    for diag in result.diagnostics:
        click.echo(str(diag), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deckwright")
def main() -> None:
    """Build slide decks from Markdown and YAML data: PowerPoint, reveal.js HTML and PDF."""


@main.command()
@_output_options("Output format (repeatable; default html; 'all' for every format).")
@_project_options
def build(formats: tuple[str, ...], out: Path | None, root: Path | None, dialect: str,
          allow_dirs: tuple[Path, ...], strict: bool) -> None:
    """Build the deck into dist/ (or --out)."""
    from deckwright.build.pipeline import build as run_build

    if "all" in formats:
        formats = FORMAT_CHOICES
    from dataclasses import replace

    options = replace(_options(root, formats, out, strict, dialect, allow_dirs), parallel=True)
    result = run_build(options, on_wait=_echo)
    report(result)
    if result.failed(strict) or not result.written:
        raise DeckFailed(f"build failed ({_counts(result)}); previous outputs left untouched")
    shown = ", ".join(_shown(p, options.root) for p in result.written)
    click.echo(f"deckwright: wrote {shown} ({len(result.deck.slides) if result.deck else 0} slides, "
               f"{result.seconds:.2f} s{', ' + _counts(result) if result.diagnostics else ''})")
    if _PROCESS_ENTRY:
        # The exit's garbage collections would walk every object of the deck, which costs about
        # as much as a small deck's build: frozen objects are left out. The process still exits
        # normally (atexit handlers run, files are flushed and closed).
        import gc

        gc.freeze()


@main.command()
@_project_options
def check(root: Path | None, dialect: str, allow_dirs: tuple[Path, ...], strict: bool) -> None:
    """Parse and validate the deck; write nothing."""
    from deckwright.build.pipeline import check as run_check

    result = run_check(_options(root, (), None, strict, dialect, allow_dirs))
    report(result)
    if result.failed(strict) or result.deck is None:
        raise DeckFailed(f"check failed ({_counts(result)})")
    click.echo(f"deckwright: ok, {len(result.deck.slides)} slides ({_counts(result)})")


@main.command()
@_output_options("Formats to rebuild (default all; HTML is always rebuilt first).")
@_project_options
def watch(formats: tuple[str, ...], out: Path | None, root: Path | None, dialect: str,
          allow_dirs: tuple[Path, ...], strict: bool) -> None:
    """Rebuild after every saved change (HTML first, then the other formats)."""
    from deckwright.serve.watch import run_watch

    run_watch(_watch_options(formats, out, root, strict, dialect, allow_dirs), echo=_echo)


@main.command()
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@_output_options("Formats to rebuild besides HTML (default html only).")
@_project_options
def serve(port: int, formats: tuple[str, ...], out: Path | None, root: Path | None, dialect: str,
          allow_dirs: tuple[Path, ...], strict: bool) -> None:
    """Watch, rebuild and serve the HTML deck on 127.0.0.1; the open page reloads itself."""
    from deckwright.serve.http import ServeError, run_serve

    formats = formats or ("html",)
    try:
        run_serve(_watch_options(formats, out, root, strict, dialect, allow_dirs), port, echo=_echo)
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None


def _watch_options(formats: tuple[str, ...], out: Path | None, root: Path | None, strict: bool,
                   dialect: str, allow_dirs: tuple[Path, ...]) -> BuildOptions:
    if not formats or "all" in formats:
        formats = FORMAT_CHOICES
    return _options(root, tuple(dict.fromkeys(("html", *formats))), out, strict, dialect, allow_dirs)


def _echo(text: str) -> None:
    click.echo(text, err=True)


def _counts(result: BuildResult) -> str:
    errors = sum(1 for d in result.diagnostics if d.is_error)
    warnings = len(result.diagnostics) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def entry(args: list[str] | None = None) -> None:
    """The `deckwright` console script (and `python -m deckwright.cli`, `python build.py`)."""
    import gc

    global _PROCESS_ENTRY
    _PROCESS_ENTRY = True
    # A build makes many long-lived objects and few cycles: collect far less often.
    gc.set_threshold(100_000, 50, 100)
    main(args)


if __name__ == "__main__":
    entry()
