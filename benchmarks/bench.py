"""foracli start-up and scale benchmark: ratios to `python -c pass`, measured in one run.

Each figure interleaves the command with its baseline, `python -c pass` from the same
virtual environment on the same kind of stream (a pipe, or a pseudo-terminal), in
pairs whose order alternates, so a noisy machine moves both; the ratio is taken pair
by pair and the median reported. The script prints every figure with its goal ("at
most", then the project goal) and exits 0 whatever it finds: it reports, it does not
judge a noisy machine.

    python benchmarks/bench.py                 # full run, scale up to 10,000 procedures
    python benchmarks/bench.py --quick         # CI: fewer pairs, scale up to 100
    python benchmarks/bench.py --json out.json # also every figure as JSON

What the cases mean:

- a *first run* is an argument list never run before with its cache folder. For the
  shipped knowledge base each timed run gets a fresh cache folder holding a copy of the
  knowledge-base caches (the parsed-KB pickles, made once by *other* commands) and no
  output entries (see fresh_cache). At scale, where a fresh folder would also have to
  start a new inotify watcher, the folder stays and the argument changes instead: an
  id or a search word not used before with that folder (see Unused).
- a *repeat* is the same argument list again, with the cache folder it ran with once.
- *at a terminal*: one pseudo-terminal is the child's stdin, stdout and stderr, as in a
  shell, with PAGER=cat so the pager runs (run_terminal); the baseline runs there too.
- *piped*: stdout is a pipe we drain, stdin and stderr /dev/null (run_piped).
- *peak memory*: ru_maxrss of the child as GNU time reports it (see peak_memory).

The children run without variables that a person's shell does not export but tool
runners do (PYTHONUNBUFFERED, COLUMNS, NO_COLOR...: DROPPED), with TERM=xterm-256color.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import pty
import random
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foracli.app.inputs import OUTPUT_ENVIRONMENT

BIN = Path(sys.executable).parent
FORACLI = str(BIN / "foracli")
PYTHON = sys.executable
BASELINE = [PYTHON, "-c", "pass"]
ROOT = Path(__file__).resolve().parent.parent
TERMINAL_SIZE = (40, 100)  # rows, columns of the pseudo-terminal
SCALE_FULL = (10, 100, 1000, 10000)
SCALE_QUICK = (10, 100)
# Environment variables that change what foracli writes or how fast Python runs, and
# that a person's shell does not usually export: the children run without them.
# (PYTHONDONTWRITEBYTECODE stays, as this machine sets it: see byte_compile.)
DROPPED = (
    *OUTPUT_ENVIRONMENT,  # what changes foracli's output (foracli/app/inputs.py)
    "CLICOLOR_FORCE",
    "FORACLI_KB",
    "FORACLI_NO_CACHE",
    "FORACLI_CACHE_DIR",
    "FORACLI_WATCH",
    "FORACLI_WATCH_MIN",
    "_FORACLI_COMPLETE",
    "COMP_WORDS",
    "COMP_CWORD",
    "MANPAGER",
    "PAGER",
    "LESS",
    "PYTHONUNBUFFERED",  # set by some tool runners; unbuffered stdout costs a write per line
    "PYTHONDEVMODE",
    "PYTHONTRACEMALLOC",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONMALLOC",
    "PYTHONVERBOSE",
    "PYTHONWARNINGS",
)


def say(text: str = "") -> None:
    print(text, flush=True)


# --- running one process ----------------------------------------------------------


@dataclass
class Outcome:
    """One finished process: wall time from spawn to exit (output drained) and exit code.
    (Not its memory: a child's ru_maxrss counts its parent's pages at the fork, and ours
    are many; see peak_memory.)"""

    elapsed: float
    code: int


Runner = Callable[[Sequence[str], dict[str, str]], Outcome]


def _drain(fd: int, proc: subprocess.Popen[bytes]) -> None:
    """Read *fd* until its writers are gone (EOF, or EIO on a pty controller)."""
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:  # hung: end it rather than the benchmark
            proc.kill()
            return
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def _reap(proc: subprocess.Popen[bytes], start: float) -> Outcome:
    _, status = os.waitpid(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Outcome(elapsed, proc.returncode)


def run_piped(command: Sequence[str], env: dict[str, str]) -> Outcome:
    """*command* with stdout to a pipe we drain; stdin and stderr /dev/null."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdout is not None
    _drain(proc.stdout.fileno(), proc)
    outcome = _reap(proc, start)
    proc.stdout.close()
    return outcome


def run_terminal(command: Sequence[str], env: dict[str, str]) -> Outcome:
    """*command* at a terminal: one new pseudo-terminal (100x40) is its stdin, stdout and
    stderr, as a shell gives it, so foracli pages (PAGER=cat in the env) and Rich draws.
    In a session of its own, so no /dev/tty of ours leaks in. Timed until the process
    has exited and the terminal has been drained (the pager's output included)."""
    controller, terminal = pty.openpty()
    termios.tcsetwinsize(terminal, TERMINAL_SIZE)
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(
            command,
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=env,
            start_new_session=True,
        )
    finally:
        os.close(terminal)
    try:
        _drain(controller, proc)
        return _reap(proc, start)
    finally:
        os.close(controller)


def capture(command: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, env=env, check=False, timeout=120
    )


# --- pairs against the baseline ---------------------------------------------------


@dataclass
class Job:
    """One run to time: its arguments and environment, and what to do once it ended."""

    argv: list[str]
    env: dict[str, str]
    done: Callable[[], None] | None = None


Maker = Callable[[int], Job]


def fixed(argv: list[str], env: dict[str, str]) -> Maker:
    """The same run every time (a repeat, once the first warm-up run has stored it)."""
    return lambda _i: Job(argv, env)


@dataclass
class Measure:
    """Medians of a command and its baseline, and of their pair-by-pair ratios."""

    times: list[float] = field(default_factory=list)
    bases: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    failed: int = 0  # runs that exited non-zero
    stored: int = 0  # runs that wrote a new output entry (a full run, not a replay)
    rebuilt: int = 0  # runs that wrote a parsed-KB pickle (they could not reuse one)
    redone: int = 0  # pairs run again: their command did not do what the case means

    @property
    def ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def base_ms(self) -> float:
        return statistics.median(self.bases) * 1000

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    def as_json(self) -> dict[str, Any]:
        return {
            "median_ms": round(self.ms, 2),
            "baseline_median_ms": round(self.base_ms, 2),
            "ratio": round(self.ratio, 3),
            "pairs": len(self.ratios),
            "failed_runs": self.failed,
            "runs_that_stored_output": self.stored,
            "runs_that_rebuilt_the_kb_pickle": self.rebuilt,
            "pairs_run_again": self.redone,
            "times_ms": [round(t * 1000, 2) for t in self.times],
            "baseline_ms": [round(t * 1000, 2) for t in self.bases],
        }


def cache_files(folder: str | None, prefix: str, suffix: str) -> dict[str, tuple[int, int]]:
    """Files named prefix*suffix in *folder*: name -> (mtime_ns, size)."""
    if not folder:
        return {}
    found = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(suffix):
                    info = entry.stat()
                    found[entry.name] = (info.st_mtime_ns, info.st_size)
    except OSError:
        pass
    return found


def out_entries(folder: str | None) -> dict[str, tuple[int, int]]:
    """The output-cache entries in *folder*: name -> (mtime_ns, size)."""
    return cache_files(folder, "out-", ".marshal")


def kb_pickles(folder: str | None) -> dict[str, tuple[int, int]]:
    """The parsed-knowledge-base pickles in *folder*: name -> (mtime_ns, size)."""
    return cache_files(folder, "kb-", ".pickle")


REPLAY = "replay"  # a repeat: its command must not run in full
REUSE = "reuse"  # a first run: its command must reuse the parsed-KB caches it was given


def paired(make: Maker, runs: int, runner: Runner, warm: int = 2, expect: str = "") -> Measure:
    """*runs* pairs of make(i) and the baseline, after *warm* unpaired warm-ups; the
    order within a pair alternates. make(i) is called once per run, never timed.

    foracli/ may be edited while this runs, which turns a repeat into a full run and
    makes the parsed-KB caches of a first run stale. So a pair whose command did not
    do what the case means is run again (up to *runs* times in all): with *expect*
    REPLAY, one that stored an output entry; with REUSE, one that rewrote a parsed-KB
    pickle. The rows say how many were run again."""
    result = Measure()
    index = 0
    for _ in range(warm):
        job = make(index)
        index += 1
        runner(job.argv, job.env)
        runner(BASELINE, job.env)
        if job.done:
            job.done()
    i = 0
    while len(result.times) < runs:
        job = make(index)
        index += 1
        folder = job.env.get("FORACLI_CACHE_DIR")
        before, pickles = out_entries(folder), kb_pickles(folder)
        order = ["command", "baseline"] if i % 2 == 0 else ["baseline", "command"]
        i += 1
        got: dict[str, Outcome] = {}
        for which in order:
            got[which] = runner(job.argv if which == "command" else BASELINE, job.env)
        stored = out_entries(folder) != before
        rebuilt = kb_pickles(folder) != pickles
        if job.done:
            job.done()
        if result.redone < runs and (
            (expect == REPLAY and stored) or (expect == REUSE and rebuilt)
        ):
            result.redone += 1
            continue
        result.stored += stored
        result.rebuilt += rebuilt
        command, base = got["command"], got["baseline"]
        result.times.append(command.elapsed)
        result.bases.append(base.elapsed)
        result.ratios.append(command.elapsed / base.elapsed)
        result.failed += command.code != 0
    return result


def peak_memory(make: Maker, runs: int) -> tuple[list[int], str]:
    """Peak resident memory (KiB) of *runs* runs of make(i), stdout to a pipe. Measured
    by a small parent, since a child's ru_maxrss includes what its parent had mapped
    at the fork: GNU time (about 1 MiB) if present, else `python -c` (about 9 MiB)."""
    gnu_time = "/usr/bin/time"
    if os.access(gnu_time, os.X_OK):
        version = capture([gnu_time, "--version"], {})
        if b"GNU" not in version.stdout + version.stderr:
            gnu_time = ""
    else:
        gnu_time = ""
    found: list[int] = []
    probe = (
        "import os, resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,"
        " stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    with tempfile.TemporaryDirectory() as scratch:
        report = os.path.join(scratch, "maxrss")
        i = 0
        while len(found) < runs and i < 2 * runs:
            job = make(i)
            i += 1
            folder = job.env.get("FORACLI_CACHE_DIR")
            pickles = kb_pickles(folder)
            if gnu_time:
                argv = [gnu_time, "-f", "%M", "-o", report, *job.argv]
                subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=job.env)
                text = Path(report).read_text(encoding="utf-8")
            else:
                done = capture([PYTHON, "-c", probe, *job.argv], job.env)
                text = done.stdout.decode()
            rebuilt = kb_pickles(folder) != pickles  # foracli/ changed: not the case
            if job.done:
                job.done()
            numbers = re.findall(r"^\d+$", text, re.MULTILINE)
            if numbers and not rebuilt:
                found.append(int(numbers[-1]))
    return found or [0], "GNU time" if gnu_time else "python -c parent"


def row(label: str, m: Measure, note: str = "", indent: int = 2, foracli: bool = True) -> None:
    flags = [f"{m.failed}/{len(m.times)} runs exited non-zero"] if m.failed else []
    if m.rebuilt:
        flags.append(f"{m.rebuilt}/{len(m.times)} rebuilt the parsed-KB pickle")
    if m.redone:
        flags.append(f"{m.redone} pairs run again: foracli/ changed meanwhile")
    if note:
        flags.append(note)
    figures = f"{m.ms:8.1f} ms  base {m.base_ms:5.1f} ms  {m.ratio:6.2f}x"
    say(
        f"{'':<{indent}}{label:<{46 - indent}} {figures}"
        + (f"  stored {m.stored}/{len(m.times)}" if foracli else "")
        + (f"  ({'; '.join(flags)})" if flags else "")
    )


# --- cache folders ----------------------------------------------------------------


class Folders:
    """New, private (0700) cache folders under one temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def new(self, template: Path | None = None) -> Path:
        """An empty cache folder, or one holding a copy of *template*'s knowledge-base
        caches: every file but output entries, temporary files and watcher sockets."""
        self.count += 1
        folder = self.root / f"cache-{self.count:05d}"
        folder.mkdir(mode=0o700)
        if template is not None:
            for entry in os.scandir(template):
                name = entry.name
                if entry.is_file(follow_symlinks=False) and not (
                    name.startswith("out-") or name.endswith((".tmp", ".sock", ".lock"))
                ):
                    shutil.copy2(entry.path, folder / name)
        return folder


def fresh_cache(argv: list[str], env: dict[str, str], template: Path, folders: Folders) -> Maker:
    """First runs by a fresh cache folder per run: the same *argv* each time, in a folder
    holding a copy of *template*'s knowledge-base caches and no output entry at all, so
    nothing this argument list could replay exists. Removed after the run."""

    def make(_i: int) -> Job:
        folder = folders.new(template)

        def done() -> None:
            if kb_pickles(str(folder)) != kb_pickles(str(template)):
                refresh(template, folder)
            shutil.rmtree(folder, ignore_errors=True)

        return Job(argv, env | {"FORACLI_CACHE_DIR": str(folder)}, done=done)

    return make


def refresh(template: Path, folder: Path) -> None:
    """A run in *folder* had to rebuild the parsed-KB caches (foracli/ changed): make
    its new ones the template's, so the next first run gets current caches."""
    for entry in os.scandir(folder):
        if entry.name.endswith(".pickle") and entry.is_file(follow_symlinks=False):
            temporary = template / f".{entry.name}.tmp"
            shutil.copy2(entry.path, temporary)
            os.replace(temporary, template / entry.name)


def cold_cache(argv: list[str], env: dict[str, str], folders: Folders) -> Maker:
    """Fully cold: an empty cache folder per run (YAML parsed, pickles written)."""

    def make(_i: int) -> Job:
        folder = folders.new()
        return Job(
            argv,
            env | {"FORACLI_CACHE_DIR": str(folder)},
            done=lambda: shutil.rmtree(folder, ignore_errors=True),
        )

    return make


class Unused:
    """First runs by varying an argument: each run takes a value (a procedure id, a
    search word) not yet used with its cache folder. When the values run out (10 ids
    at 10 procedures) the next runs move to a new folder holding a copy of the
    knowledge-base caches of *folder*, with no output entries."""

    def __init__(
        self,
        build: Callable[[str], list[str]],
        values: Sequence[str],
        env: dict[str, str],
        folder: Path,
        used: Iterable[str],
        folders: Folders,
    ) -> None:
        self.build, self.values, self.env = build, list(values), env
        self.template = self.folder = folder
        self.used = set(used)
        self.folders = folders
        self.cursor = 0

    def __call__(self, _i: int) -> Job:
        while True:
            if self.cursor >= len(self.values):
                self.folder = self.folders.new(self.template)
                self.used, self.cursor = set(), 0
            value = self.values[self.cursor]
            self.cursor += 1
            if value not in self.used:
                self.used.add(value)
                return Job(self.build(value), self.env | {"FORACLI_CACHE_DIR": str(self.folder)})


# --- knowledge bases --------------------------------------------------------------

SETTLED = 1_600_000_000_000_000_000  # an mtime in 2020: files older than 2 s are cached


def synthetic_kb(folder: Path, count: int) -> None:
    """*count* small, valid procedures citing the shipped bibliography, with mtimes in
    the past (their ctimes are new: see settle)."""
    procedures = folder / "procedures"
    procedures.mkdir(parents=True)
    for n in range(count):
        (procedures / f"synthetic-{n:05d}.yaml").write_text(
            f"""id: synthetic-{n:05d}
name: Synthetic procedure {n}
aliases: [synthetic alias {n}]
approach: open
regions: [lumbar]
summary: A made-up procedure number {n} for the scale benchmark.
reviewed: 2026-11-25
next_review: 2029-11-25
sections:
  what:
    - A made-up page that frees a pinched nerve in the low back.
    - text: About 5 in 100 people in a made-up study had a problem.
      sources: [ahn-2014]
  recovery:
    - label: First days
      text: You walk the same day and go home soon after.
aspects:
  hospital-stay:
    low: 0
    high: 1
    unit: days
    sources: [ahn-2014]
""",
            encoding="utf-8",
        )
    for path in [folder, procedures, *procedures.iterdir()]:
        os.utime(path, ns=(SETTLED, SETTLED))


def edit_one(folder: Path, count: int, tick: int) -> None:
    """Change one procedure's summary in place, as an editor would (a different file
    each tick, never synthetic-00003, the one explained), dated in the past."""
    n = (tick * 7 + 1) % count
    if n == 3:
        n = (n + 1) % count
    path = folder / "procedures" / f"synthetic-{n:05d}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^summary: .*$", f"summary: A made-up procedure, edit {tick}.", text)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(SETTLED, SETTLED + tick))


def settle() -> None:
    """Wait until new files may be cached: foracli never caches a file whose mtime or
    ctime is under 2 s old (a same-size edit in the same clock tick would not show)."""
    time.sleep(2.2)


def shipped_data() -> Path | None:
    for candidate in (ROOT / "data", ROOT / "foracli" / "data"):
        if candidate.is_dir():
            return candidate
    return None


def settle_shipped() -> None:
    """Wait out the 2-second rule for the shipped knowledge base if it was just edited."""
    data = shipped_data()
    if data is None:
        return
    newest = max(
        (max(p.stat().st_mtime, p.stat().st_ctime) for p in data.rglob("*") if p.is_file()),
        default=0.0,
    )
    wait = newest + 2.2 - time.time()
    if wait > 0:
        time.sleep(wait)


STOP_WORDS = frozenset(
    [
        "about",
        "after",
        "again",
        "before",
        "being",
        "could",
        "every",
        "other",
        "others",
        "their",
        "there",
        "these",
        "those",
        "under",
        "until",
        "where",
        "which",
        "while",
        "would",
        "should",
    ]
)


def kb_words() -> list[str]:
    """Real words of the shipped procedures' and glossary's text (not keys, comments,
    source ids or aliases; at least twice, no stop words), in a fixed shuffled order:
    a new search word for each first-run search."""
    data = shipped_data()
    files = [*sorted((data / "procedures").glob("*.yaml")), data / "glossary.yaml"] if data else []
    text = " ".join(p.read_text(encoding="utf-8") for p in files if p.is_file()).lower()
    text = re.sub(r"(?m)#.*$|^.*\b(sources|aliases|id):.*$|\S*(https?://|doi|/)\S*", " ", text)
    keys = set(re.findall(r"([a-z_-]+):", text))
    counts: dict[str, int] = {}
    for word in re.findall(r"\b[a-z]{5,}\b", text):
        counts[word] = counts.get(word, 0) + 1
    words = sorted(w for w, n in counts.items() if n >= 2 and w not in keys and w not in STOP_WORDS)
    words = [w for w in words if w != "nerve"] or ["spine", "lumbar", "recovery", "pinched"]
    random.Random(6).shuffle(words)
    return words


# --- peers ------------------------------------------------------------------------

TLDR_PAGE = """# foraminotomy

> An operation that widens the opening where a nerve leaves the spine.
> More information: <https://example.org/foraminotomy>.

- Read about the endoscopic operation:

`foracli explain endoscopic`

- Compare the open and the endoscopic operation:

`foracli compare open endoscopic`
"""


def find_tldr_clients(env: dict[str, str]) -> dict[str, tuple[str, str]]:
    """{kind: (path, version line)} for the tldr clients on PATH (and in this venv),
    told apart by `--version` (tealdeer names itself) and the script's interpreter
    (the python client's `tldr` is a Python script): both may be called `tldr`."""
    seen: set[str] = set()
    found: dict[str, tuple[str, str]] = {}
    search = os.pathsep.join([env.get("PATH", os.defpath), str(BIN)])
    for name in ("tldr", "tealdeer"):
        for folder in search.split(os.pathsep):
            path = os.path.join(folder, name)
            if not folder or not os.access(path, os.X_OK) or os.path.isdir(path):
                continue
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            try:
                done = capture([path, "--version"], env)
                version = (done.stdout or done.stderr).decode(errors="replace").strip()
                with open(real, "rb") as handle:
                    first = handle.readline(200)
            except (OSError, subprocess.SubprocessError):
                continue
            line = version.splitlines()[0] if version else "?"
            if "tealdeer" in version.lower():
                found.setdefault("tealdeer", (path, line))
            elif first.startswith(b"#!") and b"python" in first:
                found.setdefault("tldr-python", (path, line))
            else:
                found.setdefault(f"other tldr client ({line})", (path, line))
    return found


# --- the run ----------------------------------------------------------------------


def byte_compile() -> None:
    """pip byte-compiles a package it installs; an editable checkout run with
    PYTHONDONTWRITEBYTECODE=1 would otherwise recompile foracli on every start,
    which no installed copy does (it cost ~0.4x of the bare start here). Called
    before each section: foracli/ may be edited while the benchmark runs."""
    package = ROOT / "foracli"
    if package.is_dir():
        compileall.compile_dir(str(package), quiet=1)


def base_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env["TERM"] = "xterm-256color"
    env["PAGER"] = "cat"  # the pager runs at a terminal, and costs next to nothing
    env.setdefault("LANG", "C.UTF-8")
    return env


def revision() -> str:
    try:
        head = capture(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], os.environ.copy())
        dirty = capture(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "foracli"], os.environ.copy()
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    rev = head.stdout.decode().strip() or "unknown"
    return rev + (" with uncommitted changes in foracli/" if dirty.stdout.strip() else "")


@dataclass
class Goal:
    key: str
    label: str
    figure: float | None
    unit: str
    at_most: float
    project: float
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        met = None if self.figure is None else self.figure <= self.at_most
        project = None if self.figure is None else self.figure <= self.project
        return {
            "key": self.key,
            "case": self.label,
            "figure": None if self.figure is None else round(self.figure, 3),
            "unit": self.unit,
            "at_most": self.at_most,
            "project_goal": self.project,
            "at_most_met": met,
            "project_goal_met": project,
            "note": self.note,
        }


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:.2f} {unit}"


def goal_table(goals: list[Goal]) -> None:
    say(f"  {'case':<62} {'figure':>10} {'at most':>9} {'met':>4} {'project':>9} {'met':>4}")
    for g in goals:
        met = "n/a" if g.figure is None else ("yes" if g.figure <= g.at_most else "NO")
        proj = "n/a" if g.figure is None else ("yes" if g.figure <= g.project else "NO")
        say(
            f"  {g.label:<62} {fmt(g.figure, g.unit):>10} {fmt(g.at_most, g.unit):>9} {met:>4}"
            f" {fmt(g.project, g.unit):>9} {proj:>4}"
        )
        if g.note:
            say(f"  {'':<4}{g.note}")


SHIPPED_REPEATS = (
    ["explain"],
    ["compare", "open", "endoscopic"],
    ["search", "nerve"],
    ["ask", "how", "long", "off", "work"],
)
SHIPPED_FIRSTS = (
    ["explain"],
    ["compare", "open", "endoscopic"],
    ["search", "nerve"],
    ["ask", "how", "long", "off", "work"],
    ["list"],
    ["glossary"],
    ["sources"],
)


def kb_template(env: dict[str, str], folders: Folders) -> Path:
    """A cache folder holding the shipped knowledge base's caches and no output entry,
    made by commands that no case runs (JSON output), so it holds the parsed-KB
    pickles (and whatever else a search builds). Made again before each group of
    first runs: foracli/ may change meanwhile, which makes older pickles stale."""
    byte_compile()
    template = folders.new()
    template_env = env | {"FORACLI_CACHE_DIR": str(template)}
    for argv in (["explain", "-f", "json"], ["search", "-f", "json", "lumbar"]):
        done = capture([FORACLI, *argv], template_env)
        if done.returncode != 0:
            tail = done.stderr[-300:].decode(errors="replace")
            say(f"  note: foracli {' '.join(argv)} exited {done.returncode}: {tail}")
    for name in out_entries(str(template)):
        os.unlink(template / name)
    return template


def shipped_section(
    env: dict[str, str], runs: int, folders: Folders, results: dict[str, Any]
) -> dict[str, Measure]:
    """Every case on the shipped knowledge base; returns the measures by key."""
    measures: dict[str, Measure] = {}
    warm_folder = folders.new()
    warm_env = env | {"FORACLI_CACHE_DIR": str(warm_folder)}
    settle_shipped()
    fewer = max(3, runs // 3)

    byte_compile()
    say("-- first run of a never-run command (a fresh cache folder per run, holding only")
    say("   the knowledge-base caches, copied in; no output entry)")
    say("   piped")
    template = kb_template(env, folders)
    for argv in SHIPPED_FIRSTS:
        m = paired(fresh_cache([FORACLI, *argv], env, template, folders), runs, run_piped, 1, REUSE)
        measures[f"first_piped:{' '.join(argv)}"] = m
        row(f"foracli {' '.join(argv)}", m)
    say("   at a terminal (Rich output, pager on: PAGER=cat)")
    template = kb_template(env, folders)
    for argv in SHIPPED_FIRSTS:
        m = paired(
            fresh_cache([FORACLI, *argv], env, template, folders), runs, run_terminal, 1, REUSE
        )
        measures[f"first_terminal:{' '.join(argv)}"] = m
        row(f"foracli {' '.join(argv)}", m)

    byte_compile()
    say("-- repeat: the same argument list again, with the cache folder it ran with")
    say("   at a terminal (stdin, stdout and stderr one pseudo-terminal; PAGER=cat)")
    for argv in SHIPPED_REPEATS:
        m = paired(fixed([FORACLI, *argv], warm_env), runs, run_terminal, 2, REPLAY)
        measures[f"repeat_terminal:{' '.join(argv)}"] = m
        row(f"foracli {' '.join(argv)}", m)
    say("   piped, through the installed `foracli` command")
    for argv in SHIPPED_REPEATS:
        m = paired(fixed([FORACLI, *argv], warm_env), runs, run_piped, 2, REPLAY)
        measures[f"repeat_piped:{' '.join(argv)}"] = m
        row(f"foracli {' '.join(argv)}", m)
    entries = out_entries(str(warm_folder))
    results["shipped_cache_entries_bytes"] = {n: size for n, (_, size) in sorted(entries.items())}

    say("-- a TAB of shell completion: bash's protocol (Typer 0.29: _FORACLI_COMPLETE=")
    say("   complete_bash, COMP_WORDS, COMP_CWORD), output piped")
    tab = {
        "_FORACLI_COMPLETE": "complete_bash",
        "COMP_WORDS": "foracli explain ",
        "COMP_CWORD": "2",
    }
    done = capture([FORACLI], warm_env | tab)
    offered = done.stdout.decode(errors="replace").split()
    if done.returncode != 0 or not offered:
        say(f"  note: completion gave exit {done.returncode} and {len(offered)} words")
    template = kb_template(env, folders)
    m = paired(fresh_cache([FORACLI], env | tab, template, folders), runs, run_piped, 1, REUSE)
    measures["completion_first"] = m
    row("foracli explain <TAB>, first for this line", m, f"{len(offered)} completions")
    m = paired(fixed([FORACLI], warm_env | tab), runs, run_piped, 2, REPLAY)
    measures["completion_repeat"] = m
    row("foracli explain <TAB>, the same TAB again", m)

    byte_compile()
    say("-- for reference: fully cold (an empty cache folder per run)")
    m = paired(cold_cache([FORACLI, "explain"], env, folders), fewer, run_piped, 1)
    measures["cold_piped:explain"] = m
    row("foracli explain, piped", m)
    m = paired(cold_cache([FORACLI, "explain"], env, folders), fewer, run_terminal, 1)
    measures["cold_terminal:explain"] = m
    row("foracli explain, at a terminal", m)
    m = paired(fixed([FORACLI, "--help"], warm_env), fewer, run_terminal, 2, REPLAY)
    measures["reference_terminal:--help"] = m
    row("foracli --help, at a terminal (repeat)", m)

    say("-- peak memory (ru_maxrss of the child, by GNU time, else a small Python parent)")
    template = kb_template(env, folders)
    explain_kib, how = peak_memory(fresh_cache([FORACLI, "explain"], env, template, folders), runs)
    base_kib, _ = peak_memory(fixed(BASELINE, env), max(3, runs // 3))
    results["peak_memory"] = {
        "method": how,
        "first_piped_explain_kib": explain_kib,
        "python_c_pass_kib": base_kib,
    }
    results["peak_memory_mib"] = statistics.median(explain_kib) / 1024
    say(
        f"  first piped `foracli explain`: median {statistics.median(explain_kib) / 1024:.1f} MiB"
        f" (max {max(explain_kib) / 1024:.1f}) over {len(explain_kib)} runs; `python -c pass`"
        f" {statistics.median(base_kib) / 1024:.1f} MiB ({how})"
    )
    return measures


def one_scale(
    env: dict[str, str], runs: int, count: int, folders: Folders, tmp: Path, words: list[str]
) -> dict[str, Any]:
    """Every case on a synthetic knowledge base of *count* procedures."""
    byte_compile()
    kb = tmp / f"kb{count}"
    synthetic_kb(kb, count)
    settle()
    cache = folders.new()
    cenv = env | {"FORACLI_CACHE_DIR": str(cache)}
    kbarg = ["--kb", str(kb)]
    explain = [FORACLI, "explain", "synthetic-00003", *kbarg]
    say(f"  {count:,} procedures")
    before = cache_files(str(cache), "", ".marshal")
    build = run_piped(explain, cenv)
    created = {
        n: s for n, (_, s) in cache_files(str(cache), "", ".marshal").items() if n not in before
    }
    entry = sum(s for n, s in created.items() if n.startswith("out-"))
    shared = sum(s for n, s in created.items() if not n.startswith("out-"))
    say(
        f"    first run ever on this knowledge base (parses every file): "
        f"{build.elapsed * 1000:.1f} ms; its cache entry {entry:,} bytes (out-*.marshal)"
        + (f", plus {shared:,} bytes of other new *.marshal (shared by entries)" if shared else "")
    )
    fig: dict[str, Any] = {
        "first_ever_ms": round(build.elapsed * 1000, 2),
        "entry_bytes": entry,
        "other_new_marshal_bytes": shared,
    }
    repeats: dict[str, tuple[list[str], Runner]] = {
        "repeat_piped_explain": (explain, run_piped),
        "repeat_piped_search": ([FORACLI, "search", "nerve", *kbarg], run_piped),
        "repeat_terminal_explain": (explain, run_terminal),
    }
    for key, (argv, runner) in repeats.items():
        fig[key] = m = paired(fixed(argv, cenv), runs, runner, 2, REPLAY)
        row(key.replace("_", " "), m, indent=4)

    ids = [f"synthetic-{n:05d}" for n in random.Random(count).sample(range(count), count)]
    first_explain = Unused(
        lambda v: [FORACLI, "explain", v, *kbarg], ids, cenv, cache, ["synthetic-00003"], folders
    )
    fig["first_explain_of_an_id"] = m = paired(first_explain, runs, run_piped, 1, REUSE)
    row("first explain of an id", m, indent=4)
    new_word = Unused(lambda v: [FORACLI, "search", v, *kbarg], words, cenv, cache, [], folders)
    fig["new_search_word"] = m = paired(new_word, runs, run_piped, 1, REUSE)
    row("a new search word", m, "no match: exit 1" if m.failed else "", indent=4)

    ticks = iter(range(1, 1_000_000))

    def after_edit(_i: int) -> Job:
        edit_one(kb, count, next(ticks))
        settle()
        return Job(explain, cenv)

    fig["first_run_after_one_edit"] = m = paired(after_edit, max(3, runs // 3), run_piped, 1)
    row("first run after editing one file", m, indent=4)
    edit_one(kb, count, next(ticks))
    racy = run_piped(explain, cenv)
    fig["run_within_2s_of_an_edit_ms"] = round(racy.elapsed * 1000, 2)
    entries = out_entries(str(cache))
    fig["out_entries"] = len(entries)
    fig["out_entries_bytes"] = sum(s for _, s in entries.values())
    say(
        f"    for reference: one run within 2 s of an edit (nothing stored) "
        f"{racy.elapsed * 1000:.1f} ms; the cache folder now holds {len(entries)} output "
        f"entries, {fig['out_entries_bytes']:,} bytes"
    )
    shutil.rmtree(kb)  # its watcher, if any, sees the folder go and exits
    shutil.rmtree(cache, ignore_errors=True)
    return fig


def scale_section(
    env: dict[str, str],
    runs: int,
    counts: Sequence[int],
    folders: Folders,
    tmp: Path,
    words: list[str],
) -> dict[int, dict[str, Any]]:
    """Every case at each knowledge-base size; returns figures by procedure count."""
    say("-- scale: synthetic knowledge bases passed with --kb (merged over the shipped one)")
    say("   first runs here vary an argument (an id, a search word) not yet used with the")
    say("   cache folder, which stays (with its watcher, at 500 files or more)")
    figures = {count: one_scale(env, runs, count, folders, tmp, words) for count in counts}
    say("  summary (ratios to python -c pass; first explain also as a multiple of its")
    say(f"  {counts[0]}-procedure ratio)")
    say(
        f"  {'procedures':>10} {'first explain':>14} {'vs 10':>6} {'new word':>9}"
        f" {'after edit':>11} {'rep. explain':>13} {'rep. search':>12} {'rep. tty':>9}"
        f" {'entry bytes':>12}"
    )
    first10 = figures[counts[0]]["first_explain_of_an_id"].ratio
    for count, fig in figures.items():
        first = fig["first_explain_of_an_id"].ratio
        say(
            f"  {count:>10,} {first:13.2f}x {first / first10:6.2f}"
            f" {fig['new_search_word'].ms:6.0f} ms {fig['first_run_after_one_edit'].ms:8.0f} ms"
            f" {fig['repeat_piped_explain'].ratio:12.2f}x"
            f" {fig['repeat_piped_search'].ratio:11.2f}x"
            f" {fig['repeat_terminal_explain'].ratio:8.2f}x {fig['entry_bytes']:>12,}"
        )
    return figures


def peers_section(env: dict[str, str], runs: int, tmp: Path) -> dict[str, Any]:
    """man and the tldr clients on a local page, measured like foracli; never installed."""
    byte_compile()
    say("-- peers, on a local page, same method (each only if installed; this script installs")
    say("   nothing)")
    out: dict[str, Any] = {}
    page = tmp / "foraminotomy.md"
    page.write_text(TLDR_PAGE, encoding="utf-8")
    peers: list[tuple[str, list[str] | None, str]] = []
    man = shutil.which("man", path=env.get("PATH"))
    if man and capture([man, "-w", "ls"], env).returncode == 0:
        peers.append(("man ls (man -P cat)", [man, "-P", "cat", "ls"], ""))
    else:
        peers.append(("man ls", None, "not installed" if not man else "no page for ls"))
    clients = find_tldr_clients(env)
    for kind in ("tldr-python", "tealdeer"):
        if kind in clients:
            path, version = clients[kind]
            flag = "--render" if kind == "tldr-python" else "-f"
            peers.append((f"{kind} {flag} page.md", [path, flag, str(page)], version))
        else:
            peers.append((kind, None, "not installed"))
    for kind in clients:
        if kind not in ("tldr-python", "tealdeer"):
            say(f"  {kind} at {clients[kind][0]}: not measured")
    for label, argv, note in peers:
        if argv is None:
            say(f"  {label}: {note}")
            out[label] = note
            continue
        piped = paired(fixed(argv, env), runs, run_piped, 2)
        row(f"{label}, piped", piped, note, foracli=False)
        terminal = paired(fixed(argv, env), runs, run_terminal, 2)
        row(f"{label}, at a terminal", terminal, note, foracli=False)
        out[label] = {"version": note, "piped": piped.as_json(), "terminal": terminal.as_json()}
    return out


def worst(measures: dict[str, Measure], prefix: str) -> tuple[float, str]:
    chosen = {k: m for k, m in measures.items() if k.startswith(prefix)}
    key = max(chosen, key=lambda k: chosen[k].ratio)
    return chosen[key].ratio, key.split(":", 1)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer pairs, scale up to 100")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    args = parser.parse_args()
    runs = 5 if args.quick else 21
    counts = SCALE_QUICK if args.quick else SCALE_FULL
    started = time.monotonic()
    byte_compile()
    env = base_environment()
    words = kb_words()
    results: dict[str, Any] = {
        "meta": {
            "mode": "quick" if args.quick else "full",
            "pairs": runs,
            "python": sys.version.split()[0],
            "cores": os.cpu_count(),
            "revision": revision(),
            "date": time.strftime("%Y-%m-%d %H:%M:%S"),
            "terminal_size": list(TERMINAL_SIZE),
        }
    }
    say(
        f"foracli benchmark, {results['meta']['mode']} mode, {runs} pairs a case; "
        f"python {results['meta']['python']}, {os.cpu_count()} cores, foracli "
        f"{results['meta']['revision']}"
    )
    say(
        "figures: median ms, median ms of `python -c pass` (same venv, same stream), median "
        "of the pair ratios, runs that stored an output entry (a full run, not a replay)"
    )
    try:
        for fd in pty.openpty():
            os.close(fd)
    except OSError as error:
        say(f"no pseudo-terminal here ({error}): terminal cases cannot run; nothing measured")
        return
    with tempfile.TemporaryDirectory(prefix="foracli-bench-") as name:
        tmp = Path(name)
        folders = Folders(tmp)
        measures = shipped_section(env, runs, folders, results)
        scale = scale_section(env, runs, counts, folders, tmp, words)
        results["peers"] = peers_section(env, runs, tmp)

    largest, smallest = counts[-1], counts[0]
    big, small = scale[largest], scale[smallest]
    tag = "" if largest == 10000 else f" (quick: at {largest:,}, not 10,000)"
    rep_term, rep_term_which = worst(measures, "repeat_terminal:")
    goals = [
        Goal(
            "repeat_terminal",
            "a repeat at a real terminal (explain, compare, search)",
            max(measures[f"repeat_terminal:{' '.join(a)}"].ratio for a in SHIPPED_REPEATS),
            "x",
            2,
            1.3,
        ),
        Goal(
            "first_piped",
            "first run of a never-run command, piped (6 commands)",
            worst(measures, "first_piped:")[0],
            "x",
            4,
            2,
            f"worst: {worst(measures, 'first_piped:')[1]}",
        ),
        Goal(
            "first_terminal",
            "first run of a never-run command, at a terminal (Rich)",
            worst(measures, "first_terminal:")[0],
            "x",
            8,
            5,
            f"worst: {worst(measures, 'first_terminal:')[1]}",
        ),
        Goal(
            "repeat_piped",
            "a repeat in a pipe, installed `foracli` command",
            worst(measures, "repeat_piped:")[0],
            "x",
            1.5,
            1.2,
            f"worst: {worst(measures, 'repeat_piped:')[1]}",
        ),
        Goal(
            "completion_first",
            "a TAB of shell completion, first for this line",
            measures["completion_first"].ratio,
            "x",
            4,
            2,
        ),
        Goal(
            "completion_repeat",
            "a TAB of shell completion, the same TAB again",
            measures["completion_repeat"].ratio,
            "x",
            4,
            2,
        ),
        Goal(
            "scale_first_explain",
            f"{largest:,} procedures: first explain of an id, ratio / at {smallest}",
            big["first_explain_of_an_id"].ratio / small["first_explain_of_an_id"].ratio,
            "x",
            1.5,
            1.2,
            f"{big['first_explain_of_an_id'].ratio:.2f}x at {largest:,} vs "
            f"{small['first_explain_of_an_id'].ratio:.2f}x at {smallest}{tag}",
        ),
        Goal(
            "scale_new_search_word",
            f"{largest:,} procedures: a new search word",
            big["new_search_word"].ms,
            "ms",
            150,
            50,
            tag.strip(),
        ),
        Goal(
            "scale_after_edit",
            f"{largest:,} procedures: the first run after editing one file",
            big["first_run_after_one_edit"].ms,
            "ms",
            400,
            150,
            tag.strip(),
        ),
        Goal(
            "peak_memory",
            "peak memory of a first piped explain",
            results["peak_memory_mib"],
            "MiB",
            25,
            15,
        ),
    ]
    say("== goals (figures are medians; a case of several commands shows its worst)")
    goal_table(goals)
    say(f"  note: the worst repeat at a terminal is {rep_term_which} ({rep_term:.2f}x)")
    say(f"  every repeat at {largest:,} procedures as at {smallest} (ratios; no threshold):")
    for key in ("repeat_piped_explain", "repeat_piped_search", "repeat_terminal_explain"):
        a, b = small[key].ratio, big[key].ratio
        say(f"    {key.replace('_', ' '):<26} {smallest}: {a:5.2f}x   {largest:,}: {b:5.2f}x")
    say(
        f"  size of a cache entry (out-*.marshal of one explain): {small['entry_bytes']:,} bytes"
        f" at {smallest}, {big['entry_bytes']:,} bytes at {largest:,}"
    )
    if big["other_new_marshal_bytes"]:
        say(
            f"    (plus other *.marshal files its first run wrote, shared by entries: "
            f"{small['other_new_marshal_bytes']:,} bytes at {smallest}, "
            f"{big['other_new_marshal_bytes']:,} at {largest:,})"
        )
    say(f"done in {time.monotonic() - started:.0f} s; these figures report, they do not fail")

    if args.json:
        results["cases"] = {k: m.as_json() for k, m in measures.items()}
        results["goals"] = [g.as_json() for g in goals]
        results["scale"] = {
            str(count): {k: v.as_json() if isinstance(v, Measure) else v for k, v in fig.items()}
            for count, fig in scale.items()
        }
        results["repeats_at_scale"] = {
            key: {str(c): round(f[key].ratio, 3) for c, f in scale.items()}
            for key in ("repeat_piped_explain", "repeat_piped_search", "repeat_terminal_explain")
        }
        results["cache_entry_bytes"] = {str(c): f["entry_bytes"] for c, f in scale.items()}
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        say(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
