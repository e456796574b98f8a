"""Time deckwright side by side with other slide tools on the same generated decks.

    python benchmarks/run.py [--sizes 40,400[,workshop]] [--workshop] [--scaling] [--repeat 5]
                             [--formats html,pptx,pdf] [--tools deckwright,pandoc[,marp,libreoffice]]
                             [--skip NAME[@SIZE],...] [--anchors-max 400] [--write-docs] [--json FILE]

For each deck size, benchmarks/generate.py writes a project; every command in TOOLS whose family and
format were asked for then runs once as a warm-up (discarded) and --repeat times more, interleaved
round-robin so that background load hits every tool alike. Reported: median wall time, min-max, and
peak RSS (ru_maxrss from os.wait4: the largest single process of the command's process tree), plus the
ratios ours/theirs and the project's targets. A command that fails prints "failed: <stderr line>" and
the run goes on with the others. `deckwright --help` is timed as well.

"workshop" (or --workshop) adds this repository's own deck as a size: a copy of slides/ and assets/
(and deck.yaml; its theme is deckwright's packaged default) is built by deckwright; pandoc reads the
slide files concatenated into one file (front matter of the first only; our ```table fences stay code
blocks there); Marp is skipped, since its dialect has no fenced divs, notes, pauses or heading-split
slides. --scaling adds 2000 to the sizes (deckwright's cold html/pptx/pdf rows only there, as at any
size above --anchors-max) and reports time growth 40 -> 400 -> 2000 and peak RSS at 2000. --skip leaves
out commands, at every size (marp-pptx) or one (marp-pptx@400).

deckwright's own rows are cold builds (its project cache, .deckwright-cache/, deleted before every
run); the -warm rows rebuild a second copy whose cache is kept. --json FILE keeps every run;
--from-json FILE [--write-docs] re-renders the report from such a file without measuring again.
docs/benchmarks.md sections between <!-- name:start --> and <!-- name:end --> markers (written by
benchmarks/latency.py) are kept when this script rewrites the page.

Anchors are installed where missing, with a message: pandoc from PyPI (pypandoc-binary, with pip),
Marp CLI from npm into a cache folder (~/.cache/deckwright-bench/marp), LibreOffice is only looked up.
To add a tool, add a Tool row to TOOLS (and a Compare/Target row if it has a counterpart).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "deckwright-bench"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
FORMATS = ("html", "pptx", "pdf")
WORKSHOP = -1          # the "size" of this repository's own deck (its slide count is read from our stdout)
SCALING = (40, 400, 2000)
WORKSHOP_FILES = ("slides", "assets", "deck.yaml")


def size_label(size: int) -> str:
    return "workshop" if size == WORKSHOP else str(size) if size else "-"


def parse_size(text: str) -> int:
    return WORKSHOP if text.strip().lower() == "workshop" else int(text)


# --------------------------------------------------------------------------------------------------
# Context: resolved binaries, filled lazily by the families that are asked for
# --------------------------------------------------------------------------------------------------

@dataclass
class Ctx:
    python: str
    formats: tuple[str, ...]
    pandoc: str | None = None
    marp: str | None = None
    soffice: str | None = None
    problems: dict[str, str] = field(default_factory=dict)   # family -> why it is unavailable
    prereq: dict[str, Path] = field(default_factory=dict)     # per-size inputs made by other tools
    prereq_error: dict[str, str] = field(default_factory=dict)
    workshop_slides: int = 0   # as our build reports it


@dataclass(frozen=True)
class Tool:
    """One named command. `argv(ctx, deck_root, out_dir)` builds the command line."""

    name: str
    family: str                  # deckwright | pandoc | marp | libreoffice
    fmt: str                     # html | pptx | pdf | all | help
    argv: Callable[[Ctx, Path, Path], list[str]]
    output: str = ""             # glob (recursive) that must match in out_dir after a successful run
    cwd: str = "root"            # root | slides | marp | repo: where the command runs
    env: tuple[tuple[str, str], ...] = ()
    needs: str = ""              # key of ctx.prereq this command reads (e.g. our pptx)
    counts: bool = False         # stdout says "(K slides": K must be N or N + 1 (title slide)
    cache: str = ""              # deckwright's project cache: "cold" = removed before every run,
                                 # "warm" = a second copy of the deck whose cache is kept


def _ours(fmts: Callable[[Ctx], tuple[str, ...]]) -> Callable[[Ctx, Path, Path], list[str]]:
    def argv(ctx: Ctx, root: Path, out: Path) -> list[str]:
        cmd = [ctx.python, "-m", "deckwright.cli", "build"]
        for f in fmts(ctx):
            cmd += ["--format", f]
        return [*cmd, "--root", str(root), "--out", str(out)]
    return argv


def _soffice_pdf(ctx: Ctx, root: Path, out: Path) -> list[str]:
    profile = (CACHE / "lo-profile").as_uri()  # own profile: no clash with a running LibreOffice
    return [str(ctx.soffice), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
            "--outdir", str(out), str(ctx.prereq["deckwright-pptx"])]


MARP_ENV = (("CHROME_PATH", CHROME),)

# The table of named commands. Order = run order within a round.
TOOLS: list[Tool] = [
    Tool("deckwright-html", "deckwright", "html", _ours(lambda c: ("html",)), "*.html", counts=True,
         cache="cold"),
    Tool("deckwright-pptx", "deckwright", "pptx", _ours(lambda c: ("pptx",)), "*.pptx", counts=True,
         cache="cold"),
    Tool("deckwright-pdf", "deckwright", "pdf", _ours(lambda c: ("pdf",)), "*.pdf", counts=True,
         cache="cold"),
    Tool("deckwright-all", "deckwright", "all", _ours(lambda c: c.formats), "*", counts=True, cache="cold"),
    Tool("deckwright-html-warm", "deckwright", "html", _ours(lambda c: ("html",)), "*.html", counts=True,
         cache="warm"),
    Tool("deckwright-pptx-warm", "deckwright", "pptx", _ours(lambda c: ("pptx",)), "*.pptx", counts=True,
         cache="warm"),
    Tool("deckwright-pdf-warm", "deckwright", "pdf", _ours(lambda c: ("pdf",)), "*.pdf", counts=True,
         cache="warm"),
    Tool("pandoc-html", "pandoc", "html",
         lambda c, r, o: [str(c.pandoc), "deck.md", "--slide-level=2", "-t", "revealjs", "-s",
                          "-o", str(o / "deck.html")], "*.html", cwd="slides"),
    Tool("pandoc-pptx", "pandoc", "pptx",
         lambda c, r, o: [str(c.pandoc), "deck.md", "--slide-level=2", "-o", str(o / "deck.pptx")],
         "*.pptx", cwd="slides"),
    Tool("marp-html", "marp", "html",
         lambda c, r, o: [str(c.marp), "--no-stdin", "--html", "deck.md", "-o", str(o / "deck.html")],
         "*.html", cwd="marp", env=MARP_ENV),
    Tool("marp-pptx", "marp", "pptx",
         lambda c, r, o: [str(c.marp), "--no-stdin", "--pptx", "--allow-local-files", "deck.md",
                          "-o", str(o / "deck.pptx")], "*.pptx", cwd="marp", env=MARP_ENV),
    Tool("marp-pdf", "marp", "pdf",
         lambda c, r, o: [str(c.marp), "--no-stdin", "--pdf", "--allow-local-files", "deck.md",
                          "-o", str(o / "deck.pdf")], "*.pdf", cwd="marp", env=MARP_ENV),
    Tool("libreoffice-pdf", "libreoffice", "pdf", _soffice_pdf, "*.pdf", needs="deckwright-pptx"),
]
HELP = Tool("deckwright --help", "deckwright", "help", lambda c, r, o: [*_help_cmd(c), "--help"], cwd="repo")


@dataclass(frozen=True)
class Compare:
    ours: str
    theirs: str


COMPARES = [
    Compare("deckwright-html", "pandoc-html"), Compare("deckwright-html", "marp-html"),
    Compare("deckwright-pptx", "pandoc-pptx"), Compare("deckwright-pptx", "marp-pptx"),
    Compare("deckwright-pdf", "marp-pdf"), Compare("deckwright-pdf", "libreoffice-pdf"),
    Compare("deckwright-html-warm", "pandoc-html"), Compare("deckwright-pptx-warm", "pandoc-pptx"),
]


@dataclass(frozen=True)
class Target:
    """kind "ratio": ours / theirs (theirs = one name, or several "name@size" summed) <= limit;
    "abs": ours <= limit seconds; "scale": time(ours@size) / time(ours@base) <= limit;
    "rss": peak RSS of ours@size <= limit MB (10^6 bytes)."""

    label: str
    ours: str
    theirs: tuple[str, ...]  # names, or "name@size" when not at `size`
    size: int                # 0 = any size (help)
    limit: float
    kind: str = "ratio"
    base: int = 0            # "scale": the smaller size


def _sum3(size: int, marp_size: int) -> tuple[str, ...]:
    return ("pandoc-pptx", "pandoc-html", f"marp-pdf@{marp_size}") if marp_size != size else \
        ("pandoc-pptx", "pandoc-html", "marp-pdf")


TARGETS = [
    Target("HTML <= 1.0x pandoc -t revealjs -s at 400 slides", "deckwright-html", ("pandoc-html",), 400, 1.0),
    Target("PPTX <= 1.0x pandoc at 40 slides", "deckwright-pptx", ("pandoc-pptx",), 40, 1.0),
    Target("PPTX <= 0.2x pandoc at 400 slides", "deckwright-pptx", ("pandoc-pptx",), 400, 0.2),
    Target("PDF <= 0.5x Marp at 40 slides", "deckwright-pdf", ("marp-pdf",), 40, 0.5),
    Target("PDF <= 0.5x Marp at 400 slides", "deckwright-pdf", ("marp-pdf",), 400, 0.5),
    Target("`deckwright --help` <= 0.15 s", "deckwright --help", (), 0, 0.15, "abs"),
    Target("All three formats in one command <= 0.5x (pandoc pptx + pandoc html + Marp pdf), "
           "workshop deck; Marp pdf from the generated 40-slide deck (the workshop is not Marp Markdown)",
           "deckwright-all", _sum3(WORKSHOP, 40), WORKSHOP, 0.5),
    Target("All three formats in one command <= 0.5x (pandoc pptx + pandoc html + Marp pdf), "
           "generated 40-slide deck (all four from that deck)", "deckwright-all", _sum3(40, 40), 40, 0.5),
    *[Target(f"{f.upper()} scaling 40 -> 400 slides (10x): time <= 11x", f"deckwright-{f}", (), 400, 11.0,
             "scale", 40) for f in FORMATS],
    *[Target(f"{f.upper()} scaling 400 -> 2000 slides (5x): time <= 5.5x", f"deckwright-{f}", (), 2000, 5.5,
             "scale", 400) for f in FORMATS],
    *[Target(f"{f.upper()} peak RSS at 2000 slides <= 500 MB", f"deckwright-{f}", (), 2000, 500.0, "rss")
      for f in FORMATS],
]


# --------------------------------------------------------------------------------------------------
# Finding and installing the anchors
# --------------------------------------------------------------------------------------------------

def say(msg: str) -> None:
    print(f"benchmarks: {msg}", file=sys.stderr, flush=True)


def _help_cmd(ctx: Ctx) -> list[str]:
    script = Path(ctx.python).parent / "deckwright"
    return [str(script)] if script.is_file() else [ctx.python, "-m", "deckwright.cli"]


def find_pandoc(install: bool) -> str | None:
    probe = "import pypandoc; print(pypandoc.get_pandoc_path())"
    for attempt in range(2):
        got = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        if got.returncode == 0 and got.stdout.strip():
            return got.stdout.strip()
        if shutil.which("pandoc"):
            return shutil.which("pandoc")
        if attempt or not install:
            return None
        say("pandoc not found: installing pypandoc-binary with pip (the pandoc anchor) ...")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pypandoc-binary"], check=False)
    return None


def find_marp(install: bool) -> tuple[str | None, str]:
    marp = CACHE / "marp" / "node_modules" / ".bin" / "marp"
    if marp.is_file():
        return str(marp), ""
    if not install:
        return None, f"not installed in {marp.parent.parent.parent} (run without --no-install)"
    if not shutil.which("npm"):
        return None, "npm not found (Marp CLI is installed with npm)"
    say(f"Marp CLI not found: npm install @marp-team/marp-cli into {CACHE / 'marp'} (once) ...")
    (CACHE / "marp").mkdir(parents=True, exist_ok=True)
    got = subprocess.run(["npm", "install", "--prefix", str(CACHE / "marp"), "--no-audit", "--no-fund",
                          "--loglevel=error", "@marp-team/marp-cli"], capture_output=True, text=True)
    if got.returncode or not marp.is_file():
        return None, "npm install failed: " + first_line(got.stderr)
    return str(marp), ""


def resolve(ctx: Ctx, families: set[str], install: bool) -> None:
    if "pandoc" in families:
        ctx.pandoc = find_pandoc(install)
        if not ctx.pandoc:
            ctx.problems["pandoc"] = "pandoc not found (pip install pypandoc-binary)"
    if "marp" in families:
        ctx.marp, why = find_marp(install)
        if not ctx.marp:
            ctx.problems["marp"] = why
        elif not Path(CHROME).is_file():
            ctx.problems["marp"] = f"Chromium not found at {CHROME} (set CHROME_PATH)"
    if "libreoffice" in families:
        ctx.soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not ctx.soffice:
            ctx.problems["libreoffice"] = "soffice not found (apt-get install libreoffice-impress)"


def version(argv: list[str], pick: Callable[[str], str] = lambda s: s.strip().splitlines()[0]) -> str:
    try:
        got = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return pick(got.stdout or got.stderr) if (got.stdout or got.stderr).strip() else "?"
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "?"


def git_state() -> str:
    """The checkout's commit (read-only git), and whether files differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return f" (git {head}{', with uncommitted changes' if dirty else ''})" if head else ""


def versions(ctx: Ctx, families: set[str]) -> dict[str, str]:
    out = {"python": f"Python {platform.python_version()} ({ctx.python})",
           "deckwright": version([ctx.python, "-m", "deckwright.cli", "--version"]) + git_state()}
    if ctx.pandoc:
        out["pandoc"] = version([ctx.pandoc, "--version"])
    if ctx.marp:
        out["marp"] = version([ctx.marp, "--version"], lambda s: " ".join(s.split()))
        out["chromium"] = version([CHROME, "--version"])
    if ctx.soffice:
        out["libreoffice"] = version([ctx.soffice, "--version"])
    return out


def machine() -> dict[str, str]:
    cpu, mem = platform.processor() or "?", "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": mem,
            "os": f"{platform.system()} {platform.release()} {platform.machine()}", "load": load}


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    rss_mib: float
    error: str = ""
    stdout: str = ""
    cpu: float = 0.0   # user + system seconds of the process tree (what was waited for)


def first_line(text: str) -> str:
    """The informative line of stderr: the first, or for a Python traceback the last."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return "(no stderr)"
    if lines[0].startswith("Traceback"):
        return lines[-1][:200]
    return lines[0][:200]


def run_once(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Run:
    """Run argv; wall time and the peak RSS of the largest process in its tree (os.wait4)."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, start_new_session=True)
        except OSError as exc:
            return Run(0.0, 0.0, f"cannot start: {exc}")
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss / 1024  # KiB on Linux
        cpu = usage.ru_utime + usage.ru_stime
        if timed_out.is_set():
            return Run(seconds, rss, f"timed out after {timeout:.0f} s", cpu=cpu)
        if proc.returncode:
            err.seek(0)
            text = err.read().decode("utf-8", "replace")
            return Run(seconds, rss, f"exit {proc.returncode}: {first_line(text)}", cpu=cpu)
        out.seek(0)
        return Run(seconds, rss, stdout=out.read(20000).decode("utf-8", "replace"), cpu=cpu)


@dataclass
class Result:
    tool: str
    size: int
    runs: list[Run] = field(default_factory=list)
    error: str = ""
    argv: list[str] = field(default_factory=list)
    note: str = ""   # e.g. which later run (--from-json A B) this row came from

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss(self) -> float:
        return statistics.median(r.rss_mib for r in self.runs)


PROJECT_CACHE = ".deckwright-cache"  # deckwright/diskcache.py: CACHE_DIR


def _root(tool: Tool, root: Path) -> Path:
    return root.with_name(root.name + "-warm") if tool.cache == "warm" else root


def _cwd(tool: Tool, root: Path) -> Path:
    # The workshop's pandoc input is one concatenated file in pandoc/ (slides/ is read by deckwright).
    slides = root / "pandoc" if (root / "pandoc" / "deck.md").is_file() else root / "slides"
    return {"root": root, "slides": slides, "marp": root / "marp", "repo": REPO}[tool.cwd]


FRONT = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.S)


def copy_workshop(root: Path) -> None:
    """This repository's deck, copied (so the cold runs can delete its cache), plus pandoc/deck.md:
    slides/*.md in file-name order, the front matter of the first file only. pandoc cannot read
    deckwright's ```table fences (data from slides/data/*.yaml): they stay code blocks there."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in WORKSHOP_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns(PROJECT_CACHE, "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, root / name)
    parts = []
    for i, md in enumerate(sorted((root / "slides").glob("*.md"), key=lambda x: x.name)):
        text = md.read_text(encoding="utf-8")
        parts.append(text if i == 0 else FRONT.sub("", text, count=1))
    (root / "pandoc").mkdir()
    (root / "pandoc" / "deck.md").write_text("\n\n".join(p.rstrip("\n") for p in parts) + "\n",
                                             encoding="utf-8")


def runs_at(tool: Tool, size: int, anchors_max: int, skip: set[str]) -> bool:
    """Whether `tool` runs at `size`: not skipped; Marp not on the workshop; above --anchors-max
    only deckwright's cold single-format rows (the scaling series)."""
    if tool.name in skip or f"{tool.name}@{size_label(size)}" in skip:
        return False
    if size == WORKSHOP:
        return tool.family != "marp"
    if size > anchors_max:
        return tool.family == "deckwright" and tool.cache == "cold" and tool.fmt in FORMATS
    return True


def ours_env() -> dict[str, str]:
    """Environment for deckwright: this checkout first on the path, and byte-code cached as after an
    install (PYTHONDONTWRITEBYTECODE would recompile every module on every run), outside the tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    return env


def measure_size(ctx: Ctx, tools: list[Tool], size: int, work: Path, repeat: int,
                 timeout: float) -> dict[str, Result]:
    root = work / f"deck-{size_label(size)}"
    warm = any(t.cache == "warm" for t in tools)
    if size == WORKSHOP:
        copy_workshop(root)
        if warm:
            copy_workshop(root.with_name(root.name + "-warm"))
    else:
        generate(size, root, marp=any(t.family == "marp" for t in tools))
        if warm:
            generate(size, root.with_name(root.name + "-warm"))
    results = {t.name: Result(t.name, size) for t in tools}
    base_env = ours_env()

    # Inputs that some anchors read from our own output (LibreOffice converts our PPTX).
    for key in {t.needs for t in tools if t.needs}:
        src = next(t for t in TOOLS if t.name == key)
        out = work / f"prereq-{size_label(size)}-{key}"
        shutil.rmtree(out, ignore_errors=True)
        run = run_once(src.argv(ctx, root, out), _cwd(src, root), base_env, timeout)
        found = sorted(out.rglob(src.output)) if not run.error else []
        if found:
            ctx.prereq[key] = found[0]
        else:
            ctx.prereq_error[key] = f"needs {key}, which {run.error or 'wrote no ' + src.output}"

    for tool in tools:
        if tool.family in ctx.problems:
            results[tool.name].error = f"not available: {ctx.problems[tool.family]}"
        elif tool.needs and tool.needs not in ctx.prereq:
            results[tool.name].error = ctx.prereq_error.get(tool.needs, f"needs {tool.needs}")

    for rnd in range(repeat + 1):  # round 0 is the warm-up
        for tool in tools:
            res = results[tool.name]
            if res.error:
                continue
            out = work / f"out-{size_label(size)}-{tool.name}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            troot = _root(tool, root)
            if tool.cache == "cold":
                shutil.rmtree(troot / PROJECT_CACHE, ignore_errors=True)
            argv = tool.argv(ctx, troot, out)
            res.argv = argv
            env = {**base_env, **dict(tool.env)}
            run = run_once(argv, _cwd(tool, troot), env, timeout)
            if not run.error and tool.output and not any(out.rglob(tool.output)):
                run.error = f"exit 0 but no {tool.output} written"
            if not run.error and tool.counts:
                got = re.search(r"\((\d+) slides", run.stdout)
                if got is not None and size == WORKSHOP:
                    ctx.workshop_slides = int(got.group(1))
                elif got is None or int(got.group(1)) not in (size, size + 1):
                    run.error = (f"wrote {got.group(1)} slides, expected {size} (+1 title slide)" if got
                                 else f"no slide count in stdout: {first_line(run.stdout)}")
            if run.error:
                res.error = run.error
                print(f"  {size_label(size):>8} {tool.name:<20} failed: {run.error}", flush=True)
                continue
            if rnd:
                res.runs.append(run)
            label = "warm-up" if rnd == 0 else f"run {rnd}/{repeat}"
            print(f"  {size_label(size):>8} {tool.name:<20} {label:<9} {run.seconds:8.3f} s wall "
                  f"{run.cpu:8.3f} s cpu {run.rss_mib:8.1f} MiB", flush=True)
    return results


# --------------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------------

def fmt_s(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def results_table(results: list[Result]) -> list[str]:
    rows = ["| size | command | median s | min-max s | CPU s | peak RSS MiB | runs |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        size = size_label(r.size)
        if r.ok:
            lo, hi = min(x.seconds for x in r.runs), max(x.seconds for x in r.runs)
            rows.append(f"| {size} | {r.tool} | {fmt_s(r.median)} | {fmt_s(lo)}-{fmt_s(hi)} "
                        f"| {fmt_s(r.cpu)} | {r.rss:.0f} | {len(r.runs)}{r.note} |")
        else:
            rows.append(f"| {size} | {r.tool} | failed: {r.error.replace('|', '/')} | | | | |")
    return rows


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if a > 0 and b > 0 else "n/a"


def ratio_rows(by: dict[tuple[str, int], Result], sizes: list[int]) -> list[str]:
    rows = ["| size | ours | theirs | ours s | theirs s | ours/theirs | CPU ours/theirs | RSS ours/theirs |",
            "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for size in sizes:
        for c in COMPARES:
            a, b = by.get((c.ours, size)), by.get((c.theirs, size))
            if a is None or b is None:
                continue
            if a.ok and b.ok:
                rows.append(f"| {size_label(size)} | {c.ours} | {c.theirs} | {fmt_s(a.median)} "
                            f"| {fmt_s(b.median)} "
                            f"| {a.median / b.median:.2f}x | {_ratio(a.cpu, b.cpu)} "
                            f"| {_ratio(a.rss, b.rss)} |")
            else:
                why = "ours failed" if not a.ok else "theirs failed"
                rows.append(f"| {size_label(size)} | {c.ours} | {c.theirs} | | | n/a ({why}) | | |")
    return rows


def scaling_rows(by: dict[tuple[str, int], Result]) -> list[str]:
    """deckwright's cold builds at 40, 400 and 2000 slides: time growth against slide growth."""
    if sum(any((f"deckwright-{f}", n) in by for f in FORMATS) for n in SCALING) < 2:
        return []
    a, b, c = SCALING
    rows = [f"| format | {a} slides s | {b} slides s | {c} slides s | {a} -> {b} ({b // a}x slides) "
            f"| {b} -> {c} ({c // b}x slides) | peak RSS at {c}, MiB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for f in FORMATS:
        got = [by.get((f"deckwright-{f}", n)) for n in SCALING]
        if not any(got):
            continue
        t = [fmt_s(r.median) if r and r.ok else "-" for r in got]
        g = [f"{y.median / x.median:.2f}x" if x and y and x.ok and y.ok else "-"
             for x, y in itertools.pairwise(got)]
        rss = f"{got[2].rss:.0f}" if got[2] and got[2].ok else "-"
        rows.append(f"| {f} | {t[0]} | {t[1]} | {t[2]} | {g[0]} | {g[1]} | {rss} |")
    return rows


def _verdict(wall_ok: bool, cpu_ok: bool | None) -> str:
    if cpu_ok is None or wall_ok == cpu_ok:
        return "met" if wall_ok else "NOT met"
    return "met on wall time only (not on CPU time)" if wall_ok else "met on CPU time only (not on wall time)"


def _theirs(by: dict[tuple[str, int], Result], t: Target) -> list[tuple[str, Result | None]]:
    out = []
    for item in t.theirs:
        name, _, at = item.partition("@")
        size = parse_size(at) if at else t.size
        out.append((f"{name} at {size_label(size)}" if at else name, by.get((name, size))))
    return out


def target_rows(by: dict[tuple[str, int], Result]) -> list[tuple[str, str, str]]:
    """Each target on median wall time and, as a check against background load, on CPU time."""
    out = []
    for t in TARGETS:
        a = by.get((t.ours, t.size))
        base = by.get((t.ours, t.base)) if t.kind == "scale" else None
        theirs = _theirs(by, t)
        missing = [n for n, r in theirs if r is None]
        if a is None or (t.kind == "scale" and base is None) or missing:
            why = (f"missing: {', '.join(missing)}" if missing and a is not None
                   else "size or tool not in this run")
            out.append((t.label, "not measured", f"not measured ({why})"))
        elif not a.ok or (base is not None and not base.ok):
            out.append((t.label, "n/a", "not met: ours failed"))
        elif any(not r.ok for _, r in theirs if r is not None):
            out.append((t.label, "n/a", "not met: anchor failed"))
        elif t.kind == "abs":
            cpu_ok = a.cpu <= t.limit if a.cpu else None
            out.append((t.label, f"{a.median:.3f} s wall, {a.cpu:.3f} s CPU",
                        _verdict(a.median <= t.limit, cpu_ok)))
        elif t.kind == "rss":
            mb = a.rss * 1.048576
            out.append((t.label, f"{mb:.0f} MB ({a.rss:.0f} MiB)", "met" if mb <= t.limit else "NOT met"))
        elif t.kind == "scale":
            assert base is not None
            ratio = a.median / base.median
            cpu = a.cpu / base.cpu if a.cpu and base.cpu else None
            shown = (f"{ratio:.2f}x wall ({fmt_s(base.median)} s -> {fmt_s(a.median)} s)"
                     + (f", {cpu:.2f}x CPU" if cpu is not None else ""))
            out.append((t.label, shown, _verdict(ratio <= t.limit, None if cpu is None else cpu <= t.limit)))
        else:
            named = [(n, r) for n, r in theirs if r is not None]
            rs = [r for _, r in named]
            wall, cpus = sum(r.median for r in rs), sum(r.cpu for r in rs)
            ratio = a.median / wall
            cpu = a.cpu / cpus if a.cpu and all(r.cpu for r in rs) else None
            them = f"{fmt_s(wall)} s" + (" = " + " + ".join(f"{fmt_s(r.median)} s {n}" for n, r in named)
                                         if len(rs) > 1 else "")
            shown = f"{ratio:.2f}x wall ({fmt_s(a.median)} s vs {them})"
            if cpu is not None:
                shown += f", {cpu:.2f}x CPU ({fmt_s(a.cpu)} s vs {fmt_s(cpus)} s)"
            out.append((t.label, shown, _verdict(ratio <= t.limit, None if cpu is None else cpu <= t.limit)))
    return out


def command_rows(ctx: Ctx, tools: list[Tool]) -> list[str]:
    rows = ["| name | runs in | command |", "| --- | --- | --- |"]
    root, out = Path("DECK"), Path("OUT")
    ctx_show = Ctx(python="python", formats=ctx.formats, pandoc="pandoc", marp="marp", soffice="soffice",
                   prereq={"deckwright-pptx": Path("OUT-of-deckwright-pptx/deck.pptx")})
    for t in [HELP, *tools]:
        argv = t.argv(ctx_show, root, out)
        argv = [a.replace(str((CACHE / "lo-profile").as_uri()), "file://CACHE/lo-profile") for a in argv]
        env = " ".join(f"{k}={v}" for k, v in t.env)
        cwd = {"root": "DECK", "slides": "DECK/slides", "marp": "DECK/marp", "repo": "checkout"}[t.cwd]
        rows.append(f"| {t.name} | `{cwd}` | `{(env + ' ') if env else ''}{' '.join(argv)}` |")
    return rows


def _shown_args(argv: list[str]) -> list[str]:
    """The command line without the options that name local files (--json, --work, --python)."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--json", "--work", "--python", "--from-json"):
            skip = True
        elif not arg.startswith(("--json=", "--work=", "--python=")):
            out.append(arg)
    return out


PROFILE_PLACEHOLDER = """<!-- profile:start -->
## Profile

What dominated the build time, per format (filled in by hand from profiles; run.py keeps this
section when it rewrites the page).

_Not written yet._
<!-- profile:end -->"""


def method_extra(ctx: Ctx, sizes: list[int], skip: list[str], anchors_max: int) -> list[str]:
    out = []
    if WORKSHOP in sizes:
        n = f"{ctx.workshop_slides} slides" if ctx.workshop_slides else "its slides"
        out += [
            f"- \"workshop\" is this repository's own deck ({n} as deckwright counts them, nine files, SVG "
            "diagrams, data tables from `slides/data/*.yaml`), copied with `assets/` so the "
            "cold runs can delete its cache. pandoc reads `DECK/pandoc/deck.md` (its `DECK/slides` in the "
            "Commands table): `slides/*.md` concatenated in file-name order, keeping the front matter of "
            "the first file only. pandoc cannot read deckwright's ```` ```table ```` fences, so it renders "
            "them as code blocks: its output is not the same deck, and it does less work on those slides.",
            "- Marp is not run on the workshop: its Markdown dialect has no fenced divs (`::: notes`, "
            "`::: incremental`, columns), no `. . .` pauses and does not start slides at headings, so "
            "its output would not be the deck. The target that needs Marp's PDF uses the generated "
            "40-slide deck's Marp time in the workshop row (labelled), and is also given for the "
            "40-slide deck alone."]
    if any(n > anchors_max for n in sizes if n != WORKSHOP):
        big = ", ".join(str(n) for n in sizes if n > anchors_max)
        out.append(f"- At {big} slides only deckwright's cold html, pptx and pdf builds run (no anchors, no "
                   "-all or -warm rows): the scaling series. Growth is the ratio of median wall times; "
                   "the target is at most 1.1x the growth in slides.")
    if skip:
        out.append(f"- Left out with `--skip`: {', '.join(f'`{x}`' for x in skip)} (too slow to repeat; "
                   "see the earlier runs in git history for its numbers).")
    return out


def write_docs(path: Path, *, argv: list[str], info: dict[str, str], vers: dict[str, str],
               ctx: Ctx, tools: list[Tool], results: list[Result], sizes: list[int], repeat: int,
               load_end: str, when: str | None = None, skip: list[str] | None = None,
               anchors_max: int = 400) -> None:
    by = {(r.tool, r.size): r for r in results}
    lines = [
        "# Benchmarks",
        "",
        "deckwright against the tools people would otherwise use, on the same generated decks, in one run.",
        "Written by `benchmarks/run.py --write-docs`; re-run it to refresh this page:",
        "",
        "```sh",
        f"python benchmarks/run.py {' '.join(_shown_args(argv))}".rstrip(),
        "```",
        "",
        f"Measured {when or datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; RAM {info['ram']}; {info['os']}",
        f"- Load average (1, 5, 15 min) at start: {info['load']}; at end: {load_end}. Other work was "
        "running on this machine at the same time, so absolute numbers are noisy; the ratios are more "
        "stable because the commands ran interleaved, round-robin.",
        "",
        "## Tool versions",
        "",
        *[f"- {k}: {v}" for k, v in vers.items()],
        "",
        "## Method",
        "",
        "- `benchmarks/generate.py N DECK` writes a deterministic N-slide project: `slides/deck.md` with "
        "YAML front matter (`slide_level: 2`), one `## Title` per slide cycling through bullets with "
        "bold/code/links, a nested list, a 6-line code block (python/bash/dockerfile), a 4x4 table, an image "
        "with alt text, an incremental list and a `. . .` pause; every slide has `::: notes`. pandoc reads "
        "the same file with `--slide-level=2`; Marp gets `marp/deck.md`, the same content in its syntax.",
        f"- Each command runs once as a warm-up (discarded), then {repeat} times; the table gives the median "
        "and min-max wall time. Every run writes into a fresh, empty output folder.",
        "- CPU s is user + system time of the command's process tree (`os.wait4`), less sensitive to "
        "other load than wall time. Targets are judged on median wall time; the CPU ratio is shown "
        "beside it, and a target met on one but not the other is marked so.",
        "- A runs count marked \"re-run\" comes from a later, smaller run of the same script "
        "(`--from-json FIRST LATER`), for a command that had failed in the main run because its writer "
        "was being edited at the time (its counterparts were taken from that run too, so each ratio "
        "compares one run); everything else is from the main run.",
        "- Peak RSS is `ru_maxrss` from `os.wait4`: the largest single process of the command's tree "
        "(the median over the runs), not the sum of all processes.",
        "- deckwright keeps a content-addressed cache in `<project>/.deckwright-cache/`. The plain "
        "`deckwright-*` rows (and the ratios and targets) are cold builds: the cache is deleted before "
        "every run, as for a first build, so they compare like for like with tools that keep no state. "
        "The `-warm` rows build a second copy of the deck whose cache the warm-up filled: a rebuild.",
        "- deckwright's `pdf` format writes two files, the slides and a handout with the speaker notes; "
        "Marp and LibreOffice write the slides only. LibreOffice converts deckwright's own PPTX of the "
        "same deck (built once before the timed runs).",
        "- Marp CLI is run from its npm package (`node_modules/.bin/marp`, installed once into a cache "
        "folder, not through `npx`, whose start-up would be counted) and drives Debian's Chromium.",
        "- pandoc's standalone reveal.js HTML links reveal.js from a CDN; deckwright's HTML copies reveal.js "
        "and fonts next to the page so it works offline. The comparison is what the target asks for "
        "(`pandoc -t revealjs -s`), not like for like in output size.",
        *method_extra(ctx, sizes, skip or [], anchors_max),
        "",
        "## Commands",
        "",
        *command_rows(ctx, tools),
        "",
        "## Results",
        "",
        *results_table(results),
        "",
        "## Ratios (median wall time, ours / theirs; below 1 means deckwright is faster)",
        "",
        *ratio_rows(by, sizes),
        "",
        *([ "## Scaling (deckwright, cold builds)", "", *scaling_rows(by), ""] if scaling_rows(by) else []),
        "## Targets",
        "",
        "| target | measured | status |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in target_rows(by)],
        "",
    ]
    failed = [r for r in results if not r.ok]
    if failed:
        lines += ["## Not measured", "",
                  "Commands that failed or were not available when this page was written:", ""]
        lines += [f"- {r.tool} at {size_label(r.size)}: {r.error}" if r.size else f"- {r.tool}: {r.error}"
                  for r in failed]
        lines += [""]
    # Sections other scripts own (between <!-- name:start --> and <!-- name:end -->, e.g.
    # benchmarks/latency.py) are kept, after this report.
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    kept = [m.group(0) for m in re.finditer(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->", old, re.S)]
    if not any(k.startswith("<!-- profile:start -->") for k in kept):
        kept.insert(0, PROFILE_PLACEHOLDER)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip("\n") + "\n" + "".join(f"\n{k}\n" for k in kept),
                    encoding="utf-8")


# --------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="40,400",
                   help="deck sizes in slides, and/or `workshop` for this repository's deck (default 40,400)")
    p.add_argument("--workshop", action="store_true", help="add the workshop deck (same as size `workshop`)")
    p.add_argument("--scaling", action="store_true",
                   help=f"add sizes {','.join(map(str, SCALING))} (deckwright's cold html/pptx/pdf only "
                        "above --anchors-max): time growth and peak RSS targets")
    p.add_argument("--anchors-max", type=int, default=400,
                   help="largest generated size at which anchors, -all and -warm rows run (default 400)")
    p.add_argument("--skip", default="",
                   help="commands to leave out, comma-separated: NAME (every size) or NAME@SIZE, "
                        "e.g. marp-pptx@400")
    p.add_argument("--repeat", type=int, default=5, help="measured runs per command (after 1 warm-up)")
    p.add_argument("--formats", default="html,pptx,pdf", help="formats to time (default html,pptx,pdf)")
    families = sorted({t.family for t in TOOLS})
    p.add_argument("--tools", default="deckwright,pandoc",
                   help=f"tool families, from {','.join(families)} (default deckwright,pandoc)")
    p.add_argument("--python", default=None,
                   help="Python that runs deckwright (default: .venv/bin/python if present, else this one)")
    p.add_argument("--timeout", type=float, default=600, help="seconds before one run is killed")
    p.add_argument("--work", type=Path, default=None, help="folder for decks and outputs (default: temp)")
    p.add_argument("--no-install", action="store_true", help="do not install missing anchors")
    p.add_argument("--write-docs", action="store_true", help="write docs/benchmarks.md")
    p.add_argument("--json", type=Path, default=None, help="also write all runs as JSON")
    p.add_argument("--from-json", type=Path, nargs="+", default=None,
                   help="measure nothing: print (and with --write-docs write) the report of --json files; "
                        "a row that failed in one file is taken from a later file where it succeeded")
    args = p.parse_args(argv)
    if args.from_json:
        return from_json(args.from_json, args.write_docs)

    try:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        p.error(f"bad --sizes {args.sizes!r}: numbers or `workshop`")
    if args.workshop:
        sizes.append(WORKSHOP)
    if args.scaling:
        sizes += SCALING
    sizes = sorted(dict.fromkeys(sizes), key=lambda n: (n == WORKSHOP, n))
    skip = {x.strip() for x in args.skip.split(",") if x.strip()}
    names = {t.name for t in TOOLS}
    bad = sorted(x for x in skip if x.partition("@")[0] not in names)
    if bad:
        p.error(f"bad --skip {bad}: names are {', '.join(sorted(names))}")
    formats = tuple(f for f in FORMATS if f in args.formats.split(","))
    fams = {f.strip() for f in args.tools.split(",") if f.strip()}
    unknown = fams - set(families)
    if unknown or not formats or not sizes:
        p.error(f"bad --tools {sorted(unknown)}" if unknown else "need at least one size and format")
    venv = REPO / ".venv" / "bin" / "python"
    python = args.python or (str(venv) if venv.is_file() else sys.executable)
    ctx = Ctx(python=python, formats=formats)
    resolve(ctx, fams, install=not args.no_install)
    tools = [t for t in TOOLS if t.family in fams and (t.fmt in formats or t.fmt == "all")]
    if len(formats) < 2:
        tools = [t for t in tools if t.fmt != "all"]

    info = machine()
    vers = versions(ctx, fams)
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram']}, load {info['load']}")
    for k, v in vers.items():
        print(f"{k}: {v}")
    for fam, why in ctx.problems.items():
        print(f"{fam}: not available: {why}")

    work = args.work or Path(tempfile.mkdtemp(prefix="deckwright-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    try:
        # deckwright --help: start-up cost of the CLI.
        help_res = Result(HELP.name, 0)
        for rnd in range(max(args.repeat, 5) + 1):
            run = run_once(HELP.argv(ctx, work, work), REPO, ours_env(), args.timeout)
            if run.error:
                help_res.error = run.error
                break
            if rnd:
                help_res.runs.append(run)
        help_res.argv = HELP.argv(ctx, work, work)
        results.append(help_res)
        print(f"  {'-':>5} {HELP.name:<18} " + (f"median {help_res.median:.3f} s" if help_res.ok
                                                  else f"failed: {help_res.error}"), flush=True)
        for size in sizes:
            print("workshop deck (this repository):" if size == WORKSHOP else f"deck of {size} slides:",
                  flush=True)
            here = [t for t in tools if runs_at(t, size, args.anchors_max, skip)]
            results += measure_size(ctx, here, size, work, args.repeat, args.timeout).values()
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    load_end = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": argv, "sizes": sizes, "repeat": args.repeat, "formats": list(formats),
            "tools": [t.name for t in tools], "machine": info, "versions": vers, "load_end": load_end,
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "workshop_slides": ctx.workshop_slides, "skip": sorted(skip), "anchors_max": args.anchors_max,
            "results": [{"tool": r.tool, "size": r.size, "error": r.error, "argv": r.argv,
                         "runs": [{"seconds": x.seconds, "cpu": x.cpu, "rss_mib": x.rss_mib}
                                  for x in r.runs]}
                        for r in results]}, indent=2), encoding="utf-8")
    show(results, sizes)
    if args.write_docs:
        doc = REPO / "docs" / "benchmarks.md"
        write_docs(doc, argv=argv, info=info, vers=vers, ctx=ctx, tools=tools, results=results,
                   sizes=sizes, repeat=args.repeat, load_end=load_end, skip=sorted(skip),
                   anchors_max=args.anchors_max)
        print(f"wrote {doc}")
    return 0


def show(results: list[Result], sizes: list[int]) -> None:
    by = {(r.tool, r.size): r for r in results}
    print()
    print("\n".join(results_table(results)))
    print()
    print("\n".join(ratio_rows(by, sizes)))
    print()
    scaling = scaling_rows(by)
    if scaling:
        print("\n".join(scaling))
        print()
    for label, measured, status in target_rows(by):
        print(f"target: {label}: {measured}: {status}")


def _load(data: dict[str, Any]) -> list[Result]:
    return [Result(r["tool"], r["size"], [Run(x["seconds"], x["rss_mib"], cpu=x.get("cpu", 0.0))
                                          for x in r["runs"]], r["error"], r["argv"])
            for r in data["results"]]


def from_json(paths: list[Path], docs: bool) -> int:
    """Rebuild the report from --json files (older files lack some keys: they are inferred).

    The first file is the run; a row that failed there is replaced by the same row of a later file
    (say, a re-run of one format after a writer was fixed), marked with that file's time."""
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    results = _load(data)
    for extra in paths[1:]:
        more = json.loads(extra.read_text(encoding="utf-8"))
        found = {(r.tool, r.size): r for r in _load(more) if r.ok}
        take = {(r.tool, r.size) for r in results if not r.ok and (r.tool, r.size) in found}
        # Its counterparts too, so that every ratio compares rows of one run.
        take |= {(c.theirs, size) for c in COMPARES for name, size in set(take)
                 if c.ours == name and (c.theirs, size) in found}
        for i, r in enumerate(results):
            if (r.tool, r.size) in take:
                results[i] = found[(r.tool, r.size)]
                results[i].note = f" (re-run {more.get('when', extra.name)})"
    sizes = data.get("sizes") or sorted({r.size for r in results if r.size})
    names = data.get("tools") or list(dict.fromkeys(r.tool for r in results if r.size))
    tools = [t for t in TOOLS if t.name in names]
    repeat = data.get("repeat") or max((len(r.runs) for r in results if r.size), default=0)
    formats = tuple(data.get("formats") or [t.fmt for t in tools if t.fmt in FORMATS])
    argv = data.get("command") or [
        "--sizes", ",".join(map(str, sizes)), "--repeat", str(repeat),
        "--tools", ",".join(dict.fromkeys(t.family for t in tools)), "--write-docs"]
    show(results, sizes)
    if docs:
        doc = REPO / "docs" / "benchmarks.md"
        write_docs(doc, argv=argv, info=data["machine"], vers=data["versions"],
                   ctx=Ctx(python="python", formats=formats,
                           workshop_slides=data.get("workshop_slides", 0)),
                   tools=tools, results=results, sizes=sizes, repeat=repeat,
                   load_end=data.get("load_end", "?"), when=data.get("when"),
                   skip=data.get("skip", []), anchors_max=data.get("anchors_max", 400))
        print(f"wrote {doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
