"""Trust boundaries tried by real, unprivileged users (issues 17 and 18).

CI runs as root, which may read and write anything, so these create two users
(useradd) and run foracli as the victim with setpriv. The victim keeps one
capability, CAP_DAC_READ_SEARCH, only so it can load this interpreter wherever it
is installed (here under /root): it lets a process read files, never makes a file
its own, so every ownership and mode check tested here holds as for anyone. The
unreadable-file case needs reading itself to fail: it runs as root with every
permission-bypassing capability dropped. Skipped, with the reason, where the
machine cannot do this (not root, no useradd or setpriv).
"""

from __future__ import annotations

import fcntl
import os
import pickle
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from foracli.speed import trust
from tests.conftest import PROCEDURE

FORACLI = str(Path(sys.executable).parent / "foracli")
VICTIM, ATTACKER = "foracli-victim", "foracli-attacker"
pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("setpriv"),
    reason="needs root with useradd and setpriv to create and become a second user",
)
READ_ANYTHING = ["--inh-caps", "+dac_read_search", "--ambient-caps", "+dac_read_search"]


def user(name: str) -> pwd.struct_passwd:
    """The user *name*, created once (xdist workers may race: a lock file)."""
    with open(os.path.join(tempfile.gettempdir(), "foracli-useradd.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return pwd.getpwnam(name)
        except KeyError:
            subprocess.run(
                ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True
            )
            return pwd.getpwnam(name)


def as_user(name: str, argv: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    who = user(name)
    command = ["setpriv", f"--reuid={who.pw_uid}", f"--regid={who.pw_gid}", "--clear-groups"]
    return subprocess.run(
        [*command, *READ_ANYTHING, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=120,
        **kw,
    )


def base_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "NO_COLOR",
            "FORCE_COLOR",
            "FORACLI_KB",
            "FORACLI_NO_CACHE",
            "FORACLI_CACHE_DIR",
            "XDG_CACHE_HOME",
            "TERM",
        )
    }
    return env | {"FORACLI_WATCH": "0", "HOME": "/nonexistent", **extra}


@pytest.fixture
def place():
    """A folder everyone may enter (tmp_path is root's own, 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="foracli-users-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def victim_folder(path: Path) -> Path:
    path.mkdir(mode=0o700)
    who = user(VICTIM)
    os.chown(path, who.pw_uid, who.pw_gid)
    return path


ARGV = [FORACLI, "explain", "open", "-s", "what"]


def expected() -> str:
    done = subprocess.run(ARGV, capture_output=True, text=True, env=base_env(FORACLI_NO_CACHE="1"))
    return done.stdout


def test_an_unreadable_file_exits_3_given_directly_or_in_a_folder(place):
    kb = place / "kb"
    kb.mkdir()
    path = kb / "p.yaml"
    path.write_text(PROCEDURE)
    path.chmod(0)
    drop = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    drop += ["--inh-caps", "-dac_override,-dac_read_search"]
    line = f"foracli: {path}:1:1: cannot read: permission denied\n"
    for argv in (["explain", "p", "--kb", str(path)], ["explain", "p", "--kb", str(kb)]):
        done = subprocess.run([*drop, FORACLI, *argv], capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout, done.stderr) == (3, "", line)
    done = subprocess.run([*drop, FORACLI, "validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 3
    assert done.stdout == line.removeprefix("foracli: ")


@pytest.mark.parametrize("owner", ["someone else", "victim, mode 777"])
def test_a_cache_folder_others_control_is_not_used(place, owner):
    cache = place / "cache"
    cache.mkdir()
    if owner == "someone else":
        who = user(ATTACKER)
        os.chown(cache, who.pw_uid, who.pw_gid)
        cache.chmod(0o755)
        reason = "another user owns it"
    else:
        who = user(VICTIM)
        os.chown(cache, who.pw_uid, who.pw_gid)
        cache.chmod(0o777)
        reason = "others can write to it"
    env = base_env(FORACLI_CACHE_DIR=str(cache))
    line = f"foracli: not using the cache folder {cache}: {reason}; running without a cache\n"
    for _ in range(2):
        done = as_user(VICTIM, ARGV, env)
        assert (done.returncode, done.stderr, done.stdout) == (0, line, expected())
    assert list(cache.iterdir()) == []


def genuine_cache(place: Path) -> Path:
    """A cache the victim made itself: every file the explain page writes."""
    (place / "victim").mkdir(mode=0o755)
    cache = victim_folder(place / "victim" / "foracli")
    done = as_user(VICTIM, ARGV, base_env(FORACLI_CACHE_DIR=str(cache)))
    assert done.returncode == 0, done.stderr
    assert any(cache.glob("out-*.marshal"))
    assert any(cache.glob("kb-*.pickle"))
    return cache


class Payload:
    """A pickle that, if ever unpickled, leaves a file behind."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def plant(folder: Path, names: list[str], marker: Path) -> None:
    """Forged files, sealed with correct checksums (anyone can compute them)."""
    import marshal

    for name in names:
        if name.endswith(".pickle"):
            data = pickle.dumps(Payload(marker))
        else:
            data = marshal.dumps(("forged", "FORGED: endoscopic surgery has no risks at all.\n"))
        (folder / name).unlink(missing_ok=True)  # a new file: root's, not the victim's
        (folder / name).write_bytes(trust.seal(data))


def test_planted_entries_and_pickles_owned_by_another_user_are_never_read(place):
    cache = genuine_cache(place)
    marker = place / "ran"
    names = [p.name for p in cache.iterdir() if p.name.startswith(("out-", "kb-", "files-"))]
    plant(cache, names, marker)  # root writes them: owned by another user than the victim
    done = as_user(VICTIM, ARGV, base_env(FORACLI_CACHE_DIR=str(cache)))
    assert (done.returncode, done.stderr, done.stdout) == (0, "", expected())
    assert not marker.exists()


def test_a_socket_planted_by_another_user_is_not_asked(place):
    cache = victim_folder(place / "cache")
    kb = place / "kb"
    kb.mkdir()
    script = (
        "import sys; from foracli.speed import watch; "
        "print(watch.ask(sys.argv[1], watch.question([sys.argv[2]], [])))"
    )
    import socket as sockets

    path = cache / "watch-fake.sock"
    fake = sockets.socket(sockets.AF_UNIX)
    fake.bind(str(path))  # root's socket in the victim's folder
    fake.listen(8)
    path.chmod(0o600)
    try:
        done = as_user(VICTIM, [sys.executable, "-c", script, str(path), str(kb)], base_env())
        assert (done.returncode, done.stdout) == (0, "None\n"), done.stderr
    finally:
        fake.close()


def test_the_symlink_swap_race_never_wins(place):
    """Issue 18 item 1: an attacker owning a folder above the cache swaps a symlink
    between the victim's own cache and a folder of planted pickles, as fast as it can,
    while the victim runs; nothing planted ever runs or shows."""
    victim_cache = genuine_cache(place)
    attacker = user(ATTACKER)
    above = place / "atk"
    above.mkdir(mode=0o755)
    planted = above / "planted" / "foracli"
    planted.mkdir(mode=0o755, parents=True)
    marker_dir = place / "markers"
    marker_dir.mkdir(mode=0o777)
    marker_dir.chmod(0o777)
    marker = marker_dir / "ran"
    plant(planted, [p.name for p in victim_cache.iterdir()], marker)
    for path in (above, planted.parent, planted, *planted.iterdir()):
        os.chown(path, attacker.pw_uid, attacker.pw_gid)
    swapper = (
        "import os, sys\n"
        "above, mine, theirs = sys.argv[1:4]\n"
        "while True:\n"
        "    for target in (mine, theirs):\n"
        "        tmp = os.path.join(above, 'next')\n"
        "        try: os.unlink(tmp)\n"
        "        except OSError: pass\n"
        "        os.symlink(target, tmp)\n"
        "        os.replace(tmp, os.path.join(above, 'link'))\n"
    )
    who = ["setpriv", f"--reuid={attacker.pw_uid}", f"--regid={attacker.pw_gid}", "--clear-groups"]
    race = subprocess.Popen(
        [
            *who,
            *READ_ANYTHING,
            sys.executable,
            "-c",
            swapper,
            str(above),
            str(victim_cache.parent),
            str(planted.parent),
        ]
    )
    try:
        time.sleep(0.2)
        # The link is a folder above the cache: the path is followed through it, and
        # whichever folder it reaches is checked and then used through one descriptor.
        env = base_env(XDG_CACHE_HOME=str(above / "link"))
        seen = set()
        refused = (
            f"foracli: not using the cache folder {above}/link/foracli: "
            "another user owns it; running without a cache\n"
        )
        runs = 0
        # Until the race has gone both ways (the victim's own cache used, and the
        # planted folder met and refused), and at least a dozen runs.
        while runs < 12 or (len(seen) < 2 and runs < 60):
            done = as_user(VICTIM, ARGV, env)
            runs += 1
            assert (done.returncode, done.stdout) == (0, expected()), done.stderr
            assert done.stderr in ("", refused)
            seen.add(done.stderr)
        assert len(seen) == 2, "the swap never raced the runs: the test proves nothing"
    finally:
        race.kill()
        race.wait()
    assert not marker.exists()
