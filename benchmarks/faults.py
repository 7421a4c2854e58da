"""Fault figures for foracli's caches: every fault may cost time, never a wrong page.

Each run of `foracli explain` is compared byte for byte with a cache-free run
(FORACLI_NO_CACHE=1) of the same knowledge-base state. Faults injected:

- edits: runs in parallel while a knowledge-base file is rewritten in a loop; a
  run's output must equal the cache-free output of a state the file had while it ran;
- kills: runs killed with SIGKILL part-way (often mid-write), then later runs checked;
- corruption: cache files truncated, filled with random bytes, swapped between keys;
- full and read-only cache folders: a 64 KiB tmpfs, then the same remounted read-only
  (only where this machine lets us mount; otherwise reported as skipped);
- a stopped watcher: the watcher of a watched knowledge base gets SIGSTOP, and runs
  (with an edit between them) must still be right and finish.

    python benchmarks/faults.py           # the figures in the README
    python benchmarks/faults.py --quick   # CI: fewer runs

Prints runs, faults injected, wrong outputs, crashes (a traceback or an unexpected
exit status), hangs (no exit within 30 s) and the worst slowdown (a run's time over
the median repeat). Exits 1 if any run was wrong, crashed or hung.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

FORACLI = str(Path(sys.executable).parent / "foracli")
ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / "tests" / "data" / "kb"
HANG_SECONDS = 30.0
ARGV = ["explain", "keyhole", "-f", "text"]


@dataclass
class Tally:
    runs: int = 0
    faults: int = 0
    wrong: int = 0
    crashes: int = 0
    hangs: int = 0
    times: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def environment(cache: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "FORACLI_KB", "FORACLI_NO_CACHE", "TERM")
    }
    return env | {"FORACLI_CACHE_DIR": str(cache), "FORACLI_WATCH": "0", **extra}


def run(kb: Path, env: dict[str, str]) -> tuple[int | None, str, str, float]:
    start = time.monotonic()
    try:
        done = subprocess.run(
            [FORACLI, *ARGV, "--kb", str(kb)],
            capture_output=True,
            text=True,
            env=env,
            timeout=HANG_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return None, "", "", HANG_SECONDS
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start


def check(tally: Tally, outcome: tuple[int | None, str, str, float], allowed: set[str]) -> None:
    code, out, err, seconds = outcome
    tally.runs += 1
    tally.times.append(seconds)
    if code is None:
        tally.hangs += 1
    elif code != 0 or "Traceback" in err:
        tally.crashes += 1
        tally.notes.append(err.strip()[-200:])
    elif out not in allowed:
        tally.wrong += 1


def variants(kb: Path) -> list[bytes]:
    """Versions of one procedure file: same size and other sizes, other numbers."""
    original = (kb / "procedures" / "keyhole.yaml").read_bytes()
    return [
        original,
        original.replace(b"keyhole", b"keyhole", 1) + b"\n",
        original.replace(b"A ", b"B ", 1),
        original.replace(b"A ", b"The ", 1),
    ]


def reference(kb: Path, cache: Path) -> str:
    code, out, err, _ = run(kb, environment(cache, FORACLI_NO_CACHE="1"))
    assert code == 0, err
    return out


def write(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(".new")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def references(kb: Path, cache: Path, datas: list[bytes]) -> list[str]:
    """The cache-free output of each version of the file; the first is left in place."""
    target = kb / "procedures" / "keyhole.yaml"
    found = []
    for data in datas:
        write(target, data)
        found.append(reference(kb, cache))
    write(target, datas[0])
    return found


def edits(tally: Tally, kb: Path, cache: Path, rounds: int) -> None:
    """Parallel runs while the file is rewritten in a loop."""
    target = kb / "procedures" / "keyhole.yaml"
    datas = variants(kb)
    refs = references(kb, cache, datas)
    timeline: list[tuple[float, int]] = [(time.monotonic(), 0)]
    stop = threading.Event()

    def editor() -> None:
        n = 0
        while not stop.is_set():
            n = (n + 1) % len(datas)
            write(target, datas[n])
            timeline.append((time.monotonic(), n))
            tally.faults += 1
            time.sleep(random.uniform(0.0, 0.3))

    def worker() -> None:
        for _ in range(rounds):
            start = time.monotonic()
            outcome = run(kb, environment(cache))
            end = time.monotonic()
            # The states the file had while this run ran (and the one before its start).
            before = [i for t, i in timeline if t <= start][-1:]
            during = [i for t, i in list(timeline) if start < t <= end]
            check(tally, outcome, {refs[i] for i in before + during})

    thread = threading.Thread(target=editor)
    thread.start()
    workers = [threading.Thread(target=worker) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stop.set()
    thread.join()
    write(target, datas[0])


def kills(tally: Tally, kb: Path, cache: Path, count: int) -> None:
    """SIGKILL part-way through first runs (fresh keys, so they render and write)."""
    ref = reference(kb, cache)
    for n in range(count):
        env = environment(cache, COLUMNS=str(60 + n))  # a new key each time
        proc = subprocess.Popen(
            [FORACLI, *ARGV, "--kb", str(kb)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(random.uniform(0.02, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        tally.faults += 1
        check(tally, run(kb, env), {ref})
        check(tally, run(kb, env), {ref})


def corruption(tally: Tally, kb: Path, cache: Path, count: int) -> None:
    """Cache files truncated, randomised, swapped between keys; later runs checked."""
    ref = reference(kb, cache)
    for n in range(count):
        env = environment(cache, COLUMNS=str(200 + n % 5))
        check(tally, run(kb, env), {ref})
        check(tally, run(kb, env), {ref})  # a replay: the entries exist now
        files = [p for p in cache.iterdir() if p.suffix in (".marshal", ".pickle")]
        victim = random.choice(files)
        how = n % 3
        data = victim.read_bytes()
        if how == 0:
            victim.write_bytes(data[: random.randrange(len(data))])
        elif how == 1:
            at = random.randrange(len(data))
            victim.write_bytes(data[:at] + os.urandom(random.randint(1, 64)) + data[at + 64 :])
        else:
            other = random.choice([p for p in files if p.suffix == victim.suffix])
            victim.write_bytes(other.read_bytes())
            other.write_bytes(data)
        tally.faults += 1
        check(tally, run(kb, env), {ref})
        check(tally, run(kb, env), {ref})


def small_folders(tally: Tally, kb: Path, work: Path, count: int) -> None:
    """A full 64 KiB tmpfs cache folder, then the same read-only."""
    mount = work / "tiny"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
    )
    if made.returncode != 0:
        tally.notes.append("full/read-only folder: skipped (this machine does not let us mount)")
        return
    try:
        ref = reference(kb, work / "unused")
        with (mount / "filler").open("wb") as handle, contextlib.suppress(OSError):
            handle.write(b"x" * 60 * 1024)
        tally.faults += 1
        for n in range(count):
            check(tally, run(kb, environment(mount, COLUMNS=str(80 + n))), {ref})
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        tally.faults += 1
        for n in range(count):
            check(tally, run(kb, environment(mount, COLUMNS=str(80 + n))), {ref})
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def stopped_watcher(tally: Tally, kb: Path, cache: Path, count: int) -> None:
    """SIGSTOP the watcher, edit, and check runs are right and end."""
    env = environment(cache, FORACLI_WATCH="1", FORACLI_WATCH_MIN="1")
    target = kb / "procedures" / "keyhole.yaml"
    datas = variants(kb)
    refs = references(kb, cache, datas)
    old = 1_600_000_000_000_000_000
    for path in [*kb.rglob("*"), kb]:
        os.utime(path, ns=(old, old))
    time.sleep(2.1)  # ctime cannot be set back: files changed in the last 2 s are not cached
    check(tally, run(kb, env), {refs[0]})
    check(tally, run(kb, env), {refs[0]})
    sockets = list(cache.glob("watch-*.sock"))
    if not sockets:
        tally.notes.append("stopped watcher: skipped (no watcher started here)")
        return
    conn = socket.socket(socket.AF_UNIX)
    conn.connect(str(sockets[0]))
    pid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[0]
    conn.close()
    os.kill(pid, signal.SIGSTOP)
    tally.faults += 1
    try:
        for n in range(count):
            data = datas[(n + 1) % len(datas)]
            write(target, data)
            check(tally, run(kb, env), {refs[(n + 1) % len(datas)]})
    finally:
        os.kill(pid, signal.SIGKILL)
        write(target, datas[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (CI)")
    args = parser.parse_args()
    scale = 1 if args.quick else 4
    work = Path(tempfile.mkdtemp(prefix="foracli-faults-"))
    work.chmod(0o700)
    tally = Tally()
    started = time.monotonic()
    try:
        sections = [
            ("edits", lambda kb, c: edits(tally, kb, c, 6 * scale)),
            ("kills", lambda kb, c: kills(tally, kb, c, 5 * scale)),
            ("corruption", lambda kb, c: corruption(tally, kb, c, 6 * scale)),
            ("full and read-only", lambda kb, c: small_folders(tally, kb, work, 3 * scale)),
            ("stopped watcher", lambda kb, c: stopped_watcher(tally, kb, c, 3 * scale)),
        ]
        repeat = Tally()
        for name, section in sections:
            kb, cache = work / f"kb-{name}", work / f"cache-{name}"
            shutil.copytree(KB, kb)
            cache.mkdir(mode=0o700)
            before = (tally.runs, tally.wrong, tally.crashes, tally.hangs)
            section(kb, cache)
            print(
                f"  {name:20} runs {tally.runs - before[0]:4}  wrong {tally.wrong - before[1]}"
                f"  crashes {tally.crashes - before[2]}  hangs {tally.hangs - before[3]}"
            )
        kb, cache = work / "kb-edits", work / "cache-repeat"
        cache.mkdir(mode=0o700)
        for _ in range(7):
            check(repeat, run(kb, environment(cache)), {reference(kb, work / "x")})
        base = statistics.median(repeat.times[1:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    worst = max(tally.times) / base
    print(
        f"runs {tally.runs}, faults injected {tally.faults}, wrong outputs {tally.wrong}, "
        f"crashes or tracebacks {tally.crashes}, hangs {tally.hangs}, worst slowdown "
        f"{worst:.1f}x a repeat ({max(tally.times) * 1000:.0f} ms vs {base * 1000:.0f} ms); "
        f"{time.monotonic() - started:.0f} s"
    )
    for note in tally.notes[:10]:
        print(f"  note: {note}")
    sys.exit(1 if tally.wrong or tally.crashes or tally.hangs else 0)


if __name__ == "__main__":
    main()
