"""foracli start-up and scale benchmark: ratios to `python -c pass`, measured in one run.

Each figure interleaves the command with its baseline (same virtual environment,
same stream kind), so a noisy machine moves both. It prints medians and ratios
against the goals of issue 6 and exits 0 whatever it finds: it reports, it does
not judge a noisy machine.

    python benchmarks/bench.py            # full run (about 2-4 minutes; 10k scale step slower)
    python benchmarks/bench.py --quick    # CI: fewer runs, scale up to 100 procedures
"""

from __future__ import annotations

import argparse
import compileall
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
FORACLI = str(BIN / "foracli")
PYTHON = sys.executable
ROOT = Path(__file__).resolve().parent.parent


def run_piped(command: list[str], env: dict[str, str]) -> float:
    """Wall time of *command* with stdout to a pipe we drain."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def run_pty(command: list[str], env: dict[str, str]) -> float:
    """Wall time of *command* with stdout on a pseudo-terminal (stdin not a terminal,
    so nothing pages), draining the terminal until the process ends."""
    controller, terminal = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=terminal, stderr=subprocess.DEVNULL, env=env
    )
    os.close(terminal)
    while True:
        ready, _, _ = select.select([controller], [], [], 10)
        if not ready:
            break
        try:
            if not os.read(controller, 65536):
                break
        except OSError:
            break
    proc.wait()
    elapsed = time.perf_counter() - start
    os.close(controller)
    return elapsed


def paired(
    command: list[str], runs: int, env: dict[str, str], runner=run_piped, warm: int = 2
) -> tuple[float, float, float]:
    """(median of command, median of baseline, median of per-pair ratios)."""
    baseline = [PYTHON, "-c", "pass"]
    for _ in range(warm):
        runner(command, env)
        runner(baseline, env)
    times, bases, ratios = [], [], []
    for i in range(runs):
        pair = [(command, times), (baseline, bases)]
        if i % 2:
            pair.reverse()
        measured = {}
        for cmd, bucket in pair:
            elapsed = runner(cmd, env)
            bucket.append(elapsed)
            measured[id(bucket)] = elapsed
        ratios.append(measured[id(times)] / measured[id(bases)])
    return statistics.median(times), statistics.median(bases), statistics.median(ratios)


def peak_memory_kib(command: list[str], env: dict[str, str]) -> int:
    """Peak resident memory of one run of *command*, measured by a fresh parent
    (RUSAGE_CHILDREN keeps the largest child ever, so ours would remember older runs)."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [PYTHON, "-c", probe, *command], capture_output=True, text=True, env=env, check=False
    )
    return int(result.stdout.strip() or 0)


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


def edit_one(folder: Path, tick: int) -> None:
    """Change one procedure in place, as an editor would, and date it in the past."""
    path = folder / "procedures" / "synthetic-00001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("A made-up page", "A newly edited page"), encoding="utf-8")
    os.utime(path, ns=(SETTLED, SETTLED + tick))


def settle() -> None:
    """Wait until new files may be cached: foracli never caches a file whose mtime or
    ctime is under 2 s old (a same-size edit in the same clock tick would not show)."""
    time.sleep(2.2)


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def byte_compile() -> None:
    """pip byte-compiles a package it installs; an editable checkout run with
    PYTHONDONTWRITEBYTECODE=1 would otherwise recompile foracli on every start,
    which no installed copy does (it cost ~0.4x of the bare start here)."""
    package = ROOT / "foracli"
    if package.is_dir():
        compileall.compile_dir(str(package), quiet=1)


def report(label: str, result: tuple[float, float, float], goal: float | None) -> None:
    median, base, ratio = result
    if goal is None:
        verdict = "no goal; for reference"
    else:
        verdict = f"goal <= {goal}x: {'meets' if ratio <= goal else 'MISSES'}"
    print(
        f"{label:<58} {median * 1000:7.1f} ms  base {base * 1000:5.1f} ms  "
        f"ratio {ratio:5.2f}x  ({verdict})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, small scale steps")
    args = parser.parse_args()
    runs = 7 if args.quick else 21
    byte_compile()
    scale = [10, 100] if args.quick else [10, 100, 1000, 10000]
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("NO_COLOR", "FORCE_COLOR", "FORACLI_KB", "FORACLI_NO_CACHE")
        }
        env |= {
            "FORACLI_CACHE_DIR": str(Path(tmp) / "cache"),
            "TERM": "xterm-256color",
            "COLUMNS": "100",
        }
        print(
            f"foracli benchmark, {'quick' if args.quick else 'full'} mode, {runs} pairs each; "
            f"python {sys.version.split()[0]}, {os.cpu_count()} cores",
            flush=True,
        )
        print("-- piped (stdout is a pipe), installed `foracli` command (pip launcher)")
        report("foracli explain", paired([FORACLI, "explain"], runs, env), 2.0)
        report(
            "foracli compare open endoscopic",
            paired([FORACLI, "compare", "open", "endoscopic"], runs, env),
            2.0,
        )
        report(
            "python -m foracli explain (runpy instead of the launcher)",
            paired([PYTHON, "-m", "foracli", "explain"], runs, env),
            None,
        )
        report("foracli search nerve", paired([FORACLI, "search", "nerve"], runs, env), 4.0)
        cold = env | {"FORACLI_NO_CACHE": "1"}
        report(
            "foracli explain, caches off (Typer + YAML every run)",
            paired([FORACLI, "explain"], max(3, runs // 3), cold),
            None,
        )
        print("-- on a pseudo-terminal (Rich panels), baseline also on the pty")
        report(
            "foracli explain (rendered before)",
            paired([FORACLI, "explain"], runs, env, run_pty),
            5.0,
        )
        report(
            "foracli compare open endoscopic (rendered before)",
            paired([FORACLI, "compare", "open", "endoscopic"], runs, env, run_pty),
            5.0,
        )
        report(
            "foracli explain, caches off (Rich renders every run)",
            paired([FORACLI, "explain"], max(3, runs // 3), cold, run_pty),
            None,
        )
        report("foracli --help", paired([FORACLI, "--help"], runs, env, run_pty), 10.0)
        memory = peak_memory_kib([FORACLI, "explain"], env)
        print(
            f"{'peak memory, piped foracli explain':<58} {memory / 1024:7.1f} MiB"
            f"  (goal < 25 MiB: {'meets' if memory < 25 * 1024 else 'MISSES'})"
        )
        print("-- scale: synthetic knowledge bases passed with --kb")
        first_ratio: float | None = None
        for count in scale:
            folder = Path(tmp) / f"kb{count}"
            synthetic_kb(folder, count)
            settle()
            command = [FORACLI, "explain", "synthetic-00003", "--kb", str(folder)]
            build = timed(command, env)
            result = paired(command, runs, env, warm=1)
            first_ratio = first_ratio or result[2]
            growth = result[2] / first_ratio  # ratio to ratio: steadier than raw times
            print(
                f"{f'explain ONE, {count} procedures':<58} {result[0] * 1000:7.1f} ms  "
                f"ratio {result[2]:5.2f}x  vs 10: {growth:4.2f}  (goal <= 1.3: "
                f"{'meets' if growth <= 1.3 else 'MISSES'})",
                flush=True,
            )
            edit_one(folder, 1)
            edited = timed(command, env)
            settle()
            after = paired(command, max(3, runs // 3), env, warm=0)
            print(
                f"{'':<4}first run {build:6.2f} s; after one file is edited: next run "
                f"{edited:6.2f} s, then {after[0] * 1000:5.1f} ms ({after[2]:4.2f}x)",
                flush=True,
            )
            search = [FORACLI, "search", "made-up", "--kb", str(folder)]
            new_query = timed(search, env)
            report(f"search, {count} procedures", paired(search, runs, env, warm=1), 4.0)
            print(f"{'':<4}a query not run before: {new_query:6.2f} s (a full run)", flush=True)
            shutil.rmtree(folder)  # its watcher, if any, sees the folder go and exits
    print("done; these figures report, they do not fail the build")


if __name__ == "__main__":
    main()
