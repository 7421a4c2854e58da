"""The cache's trust rule, checksums, tidying, the watcher's protocol and safe messages,
as the same user (test_second_user.py runs the cases that need another one)."""

from __future__ import annotations

import os
import pickle
import socket as sockets
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from foracli.core.text import shown
from foracli.speed import outcache, trust, watch
from tests.conftest import PROCEDURE

FORACLI = str(Path(sys.executable).parent / "foracli")
OLD = 1_600_000_000_000_000_000


@pytest.fixture(autouse=True)
def patient_client(monkeypatch):
    """A loaded CI machine (2 cores, xdist) can take over the product's 1 s to answer a
    question; the tests ask for behaviour, not speed, so their client waits longer, and
    a timeout in one test never silences a watcher for the next."""
    monkeypatch.setattr(watch, "ASK_TIMEOUT", 5.0)
    monkeypatch.setattr(watch, "_silent", set())


def clean_env(cache: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "FORACLI_KB", "FORACLI_NO_CACHE", "TERM")
    }
    return env | {"FORACLI_CACHE_DIR": str(cache), "FORACLI_WATCH": "0", **extra}


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FORACLI, *argv], capture_output=True, text=True, env=env, timeout=60, cwd="/"
    )


@pytest.fixture(autouse=True)
def _no_watcher(monkeypatch):
    monkeypatch.setenv("FORACLI_WATCH", "0")


def test_files_are_created_0600_and_a_flipped_byte_is_a_miss(tmp_path):
    cache = tmp_path / "cache"
    outcache.store(str(cache), ("k",), {}, b"page\n")
    assert outcache.lookup(str(cache), ("k",)) == b"page\n"
    (entry,) = cache.glob("out-*.marshal")
    assert entry.stat().st_mode & 0o777 == 0o600
    assert cache.stat().st_mode & 0o777 == 0o700
    data = bytearray(entry.read_bytes())
    where = data.index(b"page")
    data[where] = 0x9B  # the C1 CSI byte of issue 18
    entry.write_bytes(bytes(data))
    assert outcache.lookup(str(cache), ("k",)) is None


@pytest.mark.parametrize("damage", ["truncated", "random", "empty"])
def test_a_damaged_entry_is_a_miss(tmp_path, damage):
    cache = tmp_path / "cache"
    outcache.store(str(cache), ("k",), {}, b"page\n")
    (entry,) = cache.glob("out-*.marshal")
    data = entry.read_bytes()
    entry.write_bytes(
        {"truncated": data[: len(data) // 2], "random": os.urandom(len(data)), "empty": b""}[damage]
    )
    assert outcache.lookup(str(cache), ("k",)) is None


def test_a_symlinked_entry_or_cache_folder_is_not_followed(tmp_path):
    cache = tmp_path / "cache"
    outcache.store(str(cache), ("k",), {}, b"page\n")
    (entry,) = cache.glob("out-*.marshal")
    moved = tmp_path / "elsewhere"
    entry.rename(moved)
    entry.symlink_to(moved)
    assert outcache.lookup(str(cache), ("k",)) is None
    entry.unlink()
    moved.rename(entry)
    link = tmp_path / "link"
    link.symlink_to(cache)
    assert outcache.lookup(str(link), ("k",)) is None
    assert outcache.lookup(str(cache), ("k",)) == b"page\n"


def test_a_group_writable_pre_created_folder_is_refused_once_with_one_line(tmp_path):
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(0o777)  # makedirs(mode=0o700) would not fix this
    env = clean_env(cache)
    first = run(["explain", "open", "-s", "what"], env)
    again = run(["explain", "open", "-s", "what"], env)
    without = run(["explain", "open", "-s", "what"], env | {"FORACLI_NO_CACHE": "1"})
    line = (
        f"foracli: not using the cache folder {cache}: others can write to it; "
        "running without a cache\n"
    )
    assert (first.returncode, first.stderr, first.stdout) == (0, line, without.stdout)
    assert (again.returncode, again.stderr, again.stdout) == (0, line, without.stdout)
    assert list(cache.iterdir()) == []


def test_the_default_folder_is_refused_silently(tmp_path):
    home = tmp_path / "home"
    (home / ".cache" / "foracli").mkdir(parents=True)
    (home / ".cache" / "foracli").chmod(0o777)
    env = clean_env(tmp_path) | {"HOME": str(home)}
    del env["FORACLI_CACHE_DIR"]
    env.pop("XDG_CACHE_HOME", None)
    result = run(["explain", "open", "-s", "what"], env)
    assert (result.returncode, result.stderr) == (0, "")
    assert list((home / ".cache" / "foracli").iterdir()) == []


def test_stale_temporaries_and_free_locks_are_tidied_fresh_ones_kept(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    old = time.time() - 120
    for name in ("out-1.marshal.9.ab.tmp", "tmpx.tmp", "watch-1.sock.lock", "watch-1.sock.key"):
        (cache / name).write_bytes(b"x")
        os.utime(cache / name, (old, old))
    (cache / "fresh.tmp").write_bytes(b"x")
    trust._tidied.discard(str(cache))
    outcache.store(str(cache), ("k",), {}, b"page\n")
    left = sorted(p.name for p in cache.iterdir())
    assert "fresh.tmp" in left
    assert not [n for n in left if n.startswith(("tmpx", "watch-1", "out-1.marshal."))]


def test_a_pickle_that_fails_its_checksum_is_never_unpickled(tmp_path, monkeypatch):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    good = trust.seal(pickle.dumps(("key", "value")))
    (cache / "kb-x.pickle").write_bytes(good[:4] + pickle.dumps(("key", Payload())))
    from foracli.speed import kbcache

    assert kbcache._load(str(cache / "kb-x.pickle"), ("key",)) is None
    assert not marker.exists()


# --- messages -------------------------------------------------------------------


def test_shown_makes_controls_visible_and_cuts_long_values():
    assert (
        shown("x\x1b]52;c;ZQ==\x07\x1b[2J\u202e\n") == "x\\x1b]52;c;ZQ==\\x07\\x1b[2J\\u202e\\x0a"
    )
    assert shown("a" * 100_000) == "a" * 79 + "…"
    assert shown("/" + "d" * 300 + "/file.yaml", 40, middle=True).endswith(
        "…" + "d" * 10 + "/file.yaml"
    )


def test_typed_arguments_are_echoed_visible_and_cut(tmp_path):
    env = clean_env(tmp_path / "cache")
    hostile = "x\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e"
    for argv in (
        ["explain", hostile],
        ["glossary", hostile],
        ["explain", "open", "-s", hostile],
        ["search", "zzqv\x1b]zzqw\x07\u202e"],
        ["explain", "--kb", hostile],
        ["validate", hostile],
        ["explain", "q" * 100_000],
    ):
        result = run(argv, env)
        assert result.returncode == 1, (argv, result.stderr)
        assert result.stderr.startswith("foracli: ")
        assert result.stderr.count("\n") == 1
        assert not set(result.stderr[:-1]) & {"\x1b", "\x07", "\u202e"}
        assert len(result.stderr) < 400


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"id: p\nname: a\x00b\n", ":2:8: YAML error: character U+0000 is not allowed"),
        (b"id: p\nname: \x1b[2J\n", ":2:7: YAML error: character U+001B is not allowed"),
        ("id: p\n".encode("utf-16-le"), ":1:2: YAML error: character U+0000 is not allowed"),
    ],
)
def test_a_refused_character_is_one_line_at_its_place(tmp_path, raw, where):
    path = tmp_path / "p.yaml"
    path.write_bytes(raw)
    env = clean_env(tmp_path / "cache")
    shown_ = run(["explain", "p", "--kb", str(path)], env)
    assert (shown_.returncode, shown_.stderr) == (3, f"foracli: {path}{where}\n")
    checked = run(["validate", str(path)], env)
    assert checked.stdout == f"{path}{where}\n"
    as_json = run(["validate", str(path), "-f", "json"], env)
    assert f'"message": "{where.split(": ", 1)[1]}"' in as_json.stdout


@pytest.mark.parametrize("argv", [["explain", "--kb", ""], ["list", "--kb="], ["validate"]])
def test_an_empty_kb_is_a_usage_error(tmp_path, argv):
    env = clean_env(tmp_path / "cache")
    (tmp_path / "p.yaml").write_text(PROCEDURE)
    if argv == ["validate"]:
        argv = ["explain", "p", "--kb", str(tmp_path / "p.yaml"), "--kb", ""]
    for command in ([FORACLI], [sys.executable, "-m", "foracli"]):
        result = subprocess.run(
            [*command, *argv], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
        )
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            "foracli: --kb needs a path; an empty value would read the whole current folder\n"
        )


# --- the watcher ----------------------------------------------------------------

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


@pytest.fixture
def watched(tmp_path, monkeypatch):
    monkeypatch.setenv("FORACLI_WATCH", "1")
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: a\n")
    if not watch.local_filesystem(str(folder)):
        pytest.skip("the test folder is on a filesystem the watcher does not trust")
    cache = tmp_path / "cache"
    started = watch.ensure(str(cache), [str(folder)], [])
    assert started is not None
    yield folder, cache, started[0], watch.question([str(folder)], [])
    watch.stop(started[0])


@linux
def test_q_without_the_secret_does_not_stop_the_watcher(watched):
    _folder, _cache, socket, question = watched
    assert watch.ask(socket, b"q") is None
    assert watch.ask(socket, b"q" + b"0" * 32) is None
    assert watch.ask(socket, question) is not None
    assert watch.stop(socket)


@linux
def test_a_silent_client_and_many_idle_ones_do_not_stall_a_question(watched):
    _folder, _cache, socket, question = watched
    idle = []
    for _ in range(200):
        conn = sockets.socket(sockets.AF_UNIX)
        conn.connect(socket)
        idle.append(conn)
    try:
        started = time.monotonic()
        answers = [watch.ask(socket, question) for _ in range(5)]
        assert None not in answers
        # One question waits for no one: five together well under one client's timeout.
        assert time.monotonic() - started < watch.ASK_TIMEOUT
    finally:
        for conn in idle:
            conn.close()


@linux
def test_a_fake_watcher_repeating_the_old_answer_is_refused(watched, tmp_path):
    """Issue 18 item 8: stop the watcher, bind its socket, answer with the old count;
    an edit made meanwhile must still show, not the replay it would vouch for."""
    folder, cache, socket, question = watched
    os.utime(folder / "a.yaml", ns=(OLD, OLD))
    os.utime(folder, ns=(OLD, OLD))
    taken = outcache.snapshot([str(folder)], [str(folder / "a.yaml")])
    assert taken is not None
    os.environ["FORACLI_WATCH_MIN"] = "1"
    try:
        outcache.store(str(cache), ("k",), taken[0], b"old\n", trees=[str(folder)])
        old = watch.ask(socket, question)
        assert old is not None
        assert watch.stop(socket)
        deadline = time.monotonic() + 5
        while os.path.exists(socket) and time.monotonic() < deadline:
            time.sleep(0.01)
        fake = sockets.socket(sockets.AF_UNIX)
        fake.bind(socket)
        fake.listen(8)
        stop = threading.Event()

        def answer_old() -> None:
            fake.settimeout(0.1)
            while not stop.is_set():
                try:
                    conn, _ = fake.accept()
                except OSError:
                    continue
                with conn:
                    conn.recv(65536)
                    conn.sendall(f"{old}\n".encode())

        thread = threading.Thread(target=answer_old, daemon=True)
        thread.start()
        (folder / "a.yaml").write_text("id: b\n")  # same size, finished before the question
        os.utime(folder / "a.yaml", ns=(OLD, OLD))
        assert outcache.lookup(str(cache), ("k",)) is None
        stop.set()
        thread.join()
        fake.close()
    finally:
        del os.environ["FORACLI_WATCH_MIN"]
