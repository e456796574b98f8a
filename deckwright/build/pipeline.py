"""The build pipeline: project → deck model → fit → writers, collecting diagnostics."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from deckwright.diagnostics import Diagnostic, Severity, error, has_errors, sort_key, warning
from deckwright.layout.plan import Plan
from deckwright.model.deck import Deck, first_math
from deckwright.model.theme import Theme


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    formats: tuple[str, ...] = ("html",)
    out: Path | None = None
    strict: bool = False
    # Force a Markdown dialect ("deckwright", "marp", "reveal", "pandoc"); None = detect.
    dialect: str | None = None
    # Folders outside the project that files may be read from (images, backgrounds, slide and data
    # files, a theme and its files): `--allow-dir`.
    allow_dirs: tuple[Path, ...] = ()
    # Run writers in forked worker processes when several formats are built. Only the CLI's
    # one-shot `build` sets it: forking a process that runs other threads (watch, tests) is unsafe.
    parallel: bool = False
    # Markdown files named on the command line: the deck, instead of <root>/slides/*.md.
    sources: tuple[Path, ...] = ()

    @property
    def out_dir(self) -> Path:
        return self.out if self.out is not None else self.root / "dist"


@dataclass
class BuildResult:
    deck: Deck | None = None
    theme: Theme | None = None
    # fit's plan of the deck, which every writer translates.
    plan: Plan | None = None
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0

    def failed(self, strict: bool) -> bool:
        if strict:
            return bool(self.diagnostics)
        return has_errors(self.diagnostics)


def _promote(diags: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    """Under --strict every warning is an error."""
    if not strict:
        return diags
    return [Diagnostic(d.ref, Severity.ERROR, d.message) for d in diags]


MATH_AS_TEX = ("math is shown as its TeX source in a code span in PPTX, PDF and HTML for now: "
               "deckwright does not typeset formulas yet")


def prepare(options: BuildOptions) -> BuildResult:
    """Read and check everything up to the writers (what `check` runs)."""
    from deckwright.layout.fit import fit_deck, prime_deck
    from deckwright.layout.split import fix_column_widths, split_tables
    from deckwright.model.theme import load_theme
    from deckwright.reading.project import load_project

    result = BuildResult()
    deck, diags = load_project(options.root, dialect=options.dialect, sources=options.sources,
                               allow_dirs=options.allow_dirs)
    result.diagnostics.extend(diags)
    if deck is None:
        return result
    math_at = first_math(deck)
    if math_at is not None:  # until the outputs typeset math (issue 15), once per deck
        result.diagnostics.append(warning(math_at, MATH_AS_TEX))
    theme_ref = deck.meta.theme_ref or (deck.slides[0].ref if deck.slides else None)
    theme, tdiags = load_theme(options.root, deck.meta.theme, theme_ref, options.allow_dirs)
    result.diagnostics.extend(tdiags)
    if theme is None:
        return result
    result.diagnostics.extend(prime_deck(deck, theme))
    # Tall tables become continuation slides before fit measures each slide.
    deck, sdiags = split_tables(deck, theme)
    result.diagnostics.extend(sdiags)
    # Every output then draws the same columns (fit, PPTX and PDF; HTML via <colgroup>).
    deck = fix_column_widths(deck, theme)
    deck, plan, fdiags = fit_deck(deck, theme)
    result.diagnostics.extend(fdiags)
    result.deck, result.theme, result.plan = deck, theme, plan
    return result


def check(options: BuildOptions) -> BuildResult:
    """Read, lay out and check all a build would, writing nothing (what `deckwright check` runs)."""
    result = prepare(options)
    result.diagnostics = _promote(result.diagnostics, options.strict)
    return result


def build(options: BuildOptions, on_wait: Callable[[str], None] | None = None) -> BuildResult:
    """Prepare the deck and, if it has no errors, run each writer asked for.

    While another build is putting its outputs into the same folder this one waits; `on_wait` is
    given a message to show if that takes longer than a moment.
    """
    from deckwright.build.outputs import check_destination
    from deckwright.writers import FORMATS, output_names

    start = time.perf_counter()
    result = prepare(options)
    result.diagnostics = _promote(result.diagnostics, options.strict)
    if result.deck is None or result.theme is None or result.plan is None or has_errors(result.diagnostics):
        result.seconds = time.perf_counter() - start
        result.diagnostics.sort(key=sort_key)
        return result
    formats = sorted(set(options.formats), key=list(FORMATS).index)
    names = {fmt: output_names(fmt, result.deck.meta.slug) for fmt in formats}
    refused = check_destination(options.out_dir, options.root, options.sources,
                                [n for fmt in formats for n in names[fmt]])
    if refused:
        result.diagnostics.extend(refused)
        result.seconds = time.perf_counter() - start
        return result
    _write_all(result, formats, names, options, on_wait)
    result.diagnostics.sort(key=sort_key)
    result.seconds = time.perf_counter() - start
    return result


def _write_all(result: BuildResult, formats: list[str], names: dict[str, tuple[str, ...]],
               options: BuildOptions, on_wait: Callable[[str], None] | None) -> None:
    """Every writer writes into one staging folder; only when all succeeded is each output moved
    into place. A failed build (a writer's error, a full disk) changes nothing already there.

    Builds into the same folder at once each write their own staging folder and take turns to
    put their outputs in place, so the folder ends up as one of them left it, never a mix.
    """
    from deckwright.build.outputs import commit, remove_if_empty, staging_folder
    from deckwright.support.locking import Busy

    assert result.deck is not None and result.plan is not None and result.theme is not None
    out = options.out_dir
    made_out = not out.exists()
    every = [n for fmt in formats for n in names[fmt]]
    try:
        with staging_folder(out, on_wait) as staging:
            job = Job(result.deck, result.plan, result.theme, staging)
            staged: list[Path] = []
            for written, wdiags in _run_writers(formats, job, options.parallel):
                staged.extend(written)
                result.diagnostics.extend(_promote(wdiags, options.strict))
            if has_errors(result.diagnostics):
                return
            try:
                refused = commit(staging, out, every, options.root, options.sources, on_wait)
            except OSError as exc:
                result.diagnostics.append(error(None, f"cannot put the outputs into {out}: "
                                                      f"{exc.strerror or exc}"))
                return
            if refused:
                result.diagnostics.extend(refused)
                return
            result.written.extend(out / path.relative_to(staging) for path in staged)
    except Busy as exc:
        result.diagnostics.append(error(None, f"another build into {out} has not finished in "
                                              f"{exc.seconds:.0f} s: nothing was written (try again when "
                                              "it has, or choose another --out)"))
    except OSError as exc:
        result.diagnostics.append(error(None, f"cannot write into {out}: {exc.strerror or exc}"))
    finally:
        if made_out and not result.written:
            # The folder this failed build made for its outputs goes too: nothing changed.
            remove_if_empty(out)


WriterOutput = tuple[list[Path], list[Diagnostic]]


@dataclass(frozen=True)
class Job:
    """What every writer is given: the fitted deck, fit's plan of it, the theme, where to write."""

    deck: Deck
    plan: Plan
    theme: Theme
    out_dir: Path

    def write(self, fmt: str) -> WriterOutput:
        from deckwright.writers import get_writer

        try:
            return get_writer(fmt)(self.deck, self.theme, self.out_dir, plan=self.plan)
        except OSError as exc:  # a full disk, a folder made read-only: an error, never a traceback
            return [], [error(None, f"cannot write the {fmt} output: {exc.strerror or exc}")]


# The job handed to forked workers: set just before they fork, so nothing is pickled on the way in.
_SHARED: Job | None = None


def _write_shared(fmt: str) -> WriterOutput:
    assert _SHARED is not None
    return _SHARED.write(fmt)


def _run_writers(formats: list[str], job: Job, parallel: bool) -> list[WriterOutput]:
    """Run each writer; with `parallel`, the costliest formats go to forked workers.

    The writers are independent and CPU-bound (the GIL rules out threads), so on a
    multi-core machine the PDF and PPTX writers overlap; results come back in format order.
    """
    from deckwright.support.workers import cpu_workers

    global _SHARED
    cores = cpu_workers()
    if not parallel or len(formats) < 2 or cores < 2:
        return [job.write(fmt) for fmt in formats]
    from deckwright.support.workers import forked_pool

    # Costliest first: PDF (layout + fonts), then PPTX; HTML stays in this process.
    by_cost = sorted(formats, key=("pdf", "pptx", "html").index)
    workers = by_cost[: min(cores, len(formats)) - 1]
    _SHARED = job
    try:
        with forked_pool(len(workers)) as pool:
            futures = {fmt: pool.submit(_write_shared, fmt) for fmt in workers}
            local = {fmt: job.write(fmt) for fmt in formats if fmt not in futures}
            remote = {fmt: future.result() for fmt, future in futures.items()}
    finally:
        _SHARED = None
    return [local[fmt] if fmt in local else remote[fmt] for fmt in formats]
