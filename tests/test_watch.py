"""The knowledge-base watcher: it counts every change that could matter, answers only
after reading what is queued, and a replay it vouches for is still never stale.

These start real watcher processes (Linux inotify) and stop each one at the end.
"""

from __future__ import annotations

import marshal
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foracli.speed import outcache, watch

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the watcher uses Linux inotify"
)
FORACLI = str(Path(sys.executable).parent / "foracli")
OLD = 1_600_000_000_000_000_000  # an mtime long past, so no file counts as just edited


@pytest.fixture(autouse=True)
def patient_client(monkeypatch):
    """A loaded CI machine (2 cores, xdist) can take over the product's 1 s to answer a
    question; the tests ask for behaviour, not speed, so their client waits longer, and
    a timeout in one test never silences a watcher for the next."""
    monkeypatch.setattr(watch, "ASK_TIMEOUT", 5.0)
    monkeypatch.setattr(watch, "_silent", set())


QUESTIONS: dict[str, bytes] = {}


def ensure(cache: Path, trees: list[str], files: list[str]) -> tuple[str, str] | None:
    """watch.ensure, remembering which question the socket's watcher answers."""
    started = watch.ensure(str(cache), trees, files)
    if started is not None:
        QUESTIONS[started[0]] = watch.question(trees, files)
    return started


def ask(socket: str) -> str | None:
    return watch.ask(socket, QUESTIONS[socket])


def count(answer: str | None) -> int:
    assert answer is not None, "the watcher did not answer"
    return int(answer.split()[1])


@pytest.fixture
def tree(tmp_path):
    """A folder with a watcher on it; the watcher is told to stop afterwards."""
    folder = tmp_path / "kb"
    (folder / "procedures").mkdir(parents=True)
    (folder / "procedures" / "a.yaml").write_text("id: a\n")
    if not watch.local_filesystem(str(folder)):
        pytest.skip("the test folder is on a filesystem the watcher does not trust")
    started = ensure(tmp_path / "cache", [str(folder)], [])
    assert started is not None
    socket, answer = started
    yield folder, socket, answer
    watch.stop(socket)


@pytest.fixture(autouse=True)
def no_watcher_left(tmp_path):
    """Every watcher a test starts under its folder is gone when it ends."""
    yield
    for socket in tmp_path.rglob("watch-*.sock"):
        watch.stop(str(socket))


def test_every_change_to_a_yaml_file_or_folder_is_counted_at_once(tree):
    """No sleeping: an edit finished before the question is always in the answer."""
    folder, socket, first = tree
    token = first.split()[0]
    seen = count(first)
    a = folder / "procedures" / "a.yaml"
    changes = [
        lambda: a.open("a").write("name: A\n"),  # in place: the folder mtime stays
        lambda: os.utime(a, ns=(OLD, OLD)),  # touch
        lambda: (folder / "b.yml").write_text("x: 1\n"),  # create
        lambda: (folder / "b.yml").rename(folder / "c.yaml"),  # rename, as editors save
        lambda: (folder / "c.yaml").unlink(),  # delete
        lambda: (folder / "new").mkdir(),  # a folder appears ...
        lambda: (folder / "new" / "d.yaml").write_text("x: 1\n"),  # ... and is watched
        lambda: (folder / "new" / "d.yaml").unlink(),
        lambda: shutil.rmtree(folder / "new"),
    ]
    for change in changes:
        change()
        answer = ask(socket)
        assert count(answer) > seen
        assert answer is not None
        assert answer.split()[0] == token
        seen = count(answer)


def test_a_write_through_a_hard_link_made_later_is_counted(tree, tmp_path):
    """The link lives outside every watched folder; the file itself is watched too."""
    folder, socket, first = tree
    elsewhere = tmp_path / "elsewhere.yaml"
    os.link(folder / "procedures" / "a.yaml", elsewhere)
    linked = ask(socket)
    assert count(linked) > count(first)  # the link count is the file's own attribute
    with elsewhere.open("a") as handle:
        handle.write("name: Changed elsewhere\n")
    assert count(ask(socket)) > count(linked)


def test_lost_events_stop_the_watcher(tree):
    """After a queue overflow nobody knows what changed, or which folders are new."""
    folder, socket, _ = tree
    limit = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    pid = int(subprocess.run(["pgrep", "-f", socket], capture_output=True, text=True).stdout)
    os.kill(pid, signal.SIGSTOP)
    try:
        for n in range(limit + 100):  # distinct names: the kernel merges repeated events
            os.close(os.open(folder / f"n{n}", os.O_CREAT | os.O_WRONLY))
    finally:
        os.kill(pid, signal.SIGCONT)
    assert ask(socket) is None


def test_a_renamed_parent_or_retargeted_link_stops_the_watcher(tmp_path):
    """The watches follow inodes; the path the runs use may now name other files."""
    release = tmp_path / "release-1"
    (release / "kb").mkdir(parents=True)
    current = tmp_path / "current"
    current.symlink_to(release)
    started = ensure(tmp_path / "cache", [str(current / "kb")], [])
    assert started is not None
    socket, _ = started
    (tmp_path / "release-2" / "kb").mkdir(parents=True)
    current.unlink()
    current.symlink_to(tmp_path / "release-2")
    assert ask(socket) is None
    started = ensure(tmp_path / "cache", [str(current / "kb")], [])
    assert started is not None
    (tmp_path / "release-2").rename(tmp_path / "old")
    (tmp_path / "release-2" / "kb").mkdir(parents=True)
    assert ask(started[0]) is None


def test_a_single_file_inside_a_tree_keeps_the_tree_whole(tmp_path):
    """--kb kb --kb kb/procedures/x.yaml: the folder watched for x.yaml is still a
    tree folder, so a new subfolder in it is watched."""
    folder = tmp_path / "kb"
    (folder / "procedures").mkdir(parents=True)
    single = folder / "procedures" / "x.yaml"
    single.write_text("id: x\n")
    started = ensure(tmp_path / "cache", [str(folder)], [str(single)])
    assert started is not None
    socket, first = started
    try:
        (folder / "procedures" / "new").mkdir()
        made = count(ask(socket))
        assert made > count(first)
        (folder / "procedures" / "new" / "y.yaml").write_text("id: y\n")
        assert count(ask(socket)) > made
    finally:
        watch.stop(socket)


def watch_single(tmp_path: Path, name: str) -> tuple[Path, str, str]:
    """A one-file layer in its own folder, watched: (file, socket, first answer)."""
    (tmp_path / "layer").mkdir()
    single = tmp_path / "layer" / name
    single.write_text("id: x\n")
    started = ensure(tmp_path / "cache", [], [str(single)])
    assert started is not None
    return single, *started


def test_a_single_file_counts_whatever_its_name(tmp_path):
    """A file layer need not end in .yaml; its folder's other files do not count."""
    single, socket, first = watch_single(tmp_path, "my.kb")
    try:
        (tmp_path / "layer" / "other.yaml").write_text("x: 1\n")
        assert ask(socket) == first
        with single.open("a") as handle:
            handle.write("name: X\n")
        edited = count(ask(socket))
        assert edited > count(first)
        (tmp_path / "layer" / "my.kb.tmp").write_text("id: x\nname: Y\n")
        (tmp_path / "layer" / "my.kb.tmp").rename(single)  # saved the way editors do
        renamed = count(ask(socket))
        assert renamed > edited
        with single.open("a") as handle:  # the new file is watched as well
            handle.write("aliases: [z]\n")
        assert count(ask(socket)) > renamed
    finally:
        watch.stop(socket)


def test_the_socket_name_is_stable_and_names_the_version(tmp_path):
    """Store and replay must find the same watcher; another version, another one."""
    first = watch.socket_path(str(tmp_path), [str(tmp_path / "a"), "/b"], ["/c/d.yaml"])
    again = watch.socket_path(str(tmp_path), [f"{tmp_path}/a", "/b"], ["/c/d.yaml"])
    assert first == again
    assert watch.socket_path(str(tmp_path), ["/b", str(tmp_path / "a")], []) != first


def test_a_watcher_that_cannot_start_costs_little(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    socket = watch.socket_path(str(tmp_path / "cache"), [str(folder)], [])
    assert socket is not None
    Path(f"{socket}.lock").mkdir(parents=True)  # the watcher cannot take its lock
    start = time.monotonic()
    assert ensure(tmp_path / "cache", [str(folder)], []) is None
    assert time.monotonic() - start < watch.READY_TIMEOUT


def test_a_link_named_like_a_file_does_not_weaken_its_folder(tree):
    """A symlink to a folder, named *.yaml, must not replace the folder's own watch."""
    folder, socket, first = tree
    procedures = folder / "procedures"
    (procedures / "loop.yaml").symlink_to(".")
    linked = count(ask(socket))
    assert linked > count(first)
    (procedures / "loop.yaml").unlink()
    removed = count(ask(socket))
    assert removed > linked
    (folder / "moved.yaml").write_text("id: m\n")
    moved_from = count(ask(socket))
    (folder / "moved.yaml").rename(procedures / "moved.yaml")
    assert count(ask(socket)) > moved_from
    with (procedures / "moved.yaml").open("a") as handle:
        handle.write("name: M\n")
    assert count(ask(socket)) > moved_from + 1


def test_a_folder_moved_in_is_watched_all_the_way_down(tree, tmp_path):
    """One odd entry (a dangling link) must not stop the walk of a new folder."""
    folder, socket, first = tree
    outside = tmp_path / "new"
    (outside / "zz" / "deep").mkdir(parents=True)
    (outside / "a.yaml").symlink_to(tmp_path / "missing")
    (outside / "zz" / "deep" / "b.yaml").write_text("id: b\n")
    outside.rename(folder / "new")
    arrived = count(ask(socket))
    assert arrived > count(first)
    with (folder / "new" / "zz" / "deep" / "b.yaml").open("a") as handle:
        handle.write("name: B\n")
    assert count(ask(socket)) > arrived


def test_a_mount_anywhere_stops_the_watcher(tree):
    folder, socket, first = tree
    inside = folder / "procedures" / "mounted"
    inside.mkdir()
    assert count(ask(socket)) > count(first)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "none", str(inside)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount here")
    try:
        assert ask(socket) is None
    finally:
        subprocess.run(["umount", str(inside)], check=False)


def test_a_change_to_a_single_files_folder_itself_counts(tmp_path):
    """Taking away the folder's permissions decides whether the file can be read."""
    _, socket, first = watch_single(tmp_path, "one.yaml")
    (tmp_path / "layer").chmod(0o600)
    try:
        assert count(ask(socket)) > count(first)
    finally:
        (tmp_path / "layer").chmod(0o700)


def test_a_cleared_cache_folder_lets_a_new_watcher_start_at_once(tree, tmp_path):
    """The old watcher notices its socket is gone and exits; nothing waits for it."""
    folder, socket, _ = tree
    os.unlink(socket)
    deadline = time.monotonic() + watch.CHECK_SECONDS + 5
    while time.monotonic() < deadline:
        found = subprocess.run(["pgrep", "-f", socket], capture_output=True, check=False)
        if found.returncode == 1:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the watcher kept running without its socket")
    start = time.monotonic()
    assert ensure(tmp_path / "cache", [str(folder)], []) is not None
    assert time.monotonic() - start < 1.5


def test_a_question_about_other_paths_gets_no_count(tree, tmp_path):
    """Socket names are short hashes; the question itself names the paths."""
    _, socket, _ = tree
    assert watch.ask(socket, watch.question([str(tmp_path / "elsewhere")], [])) is None
    assert count(ask(socket)) >= 0


def test_other_files_do_not_move_the_count(tree):
    """Editor swap and backup files are not knowledge base: they change nothing."""
    folder, socket, first = tree
    (folder / ".a.yaml.swp").write_text("swap")
    (folder / "procedures" / "notes.txt").write_text("notes")
    assert ask(socket) == first


def test_a_deleted_folder_stops_the_watcher(tree):
    folder, socket, _ = tree
    shutil.rmtree(folder)
    deadline = time.monotonic() + 5
    while os.path.exists(socket) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ask(socket) is None
    assert not os.path.exists(socket)


def test_one_watcher_per_set_of_folders(tree, tmp_path):
    folder, socket, first = tree
    again = ensure(tmp_path / "cache", [str(folder)], [])
    assert again == (socket, first)
    found = subprocess.run(["pgrep", "-f", socket], capture_output=True, text=True, check=False)
    if found.returncode in (0, 1):  # pgrep present
        assert len(found.stdout.split()) == 1


def test_too_long_a_socket_path_means_no_watcher(tmp_path):
    deep = tmp_path / ("d" * 120)
    assert watch.socket_path(str(deep), ["/x"], []) is None
    assert ensure(deep, ["/x"], []) is None


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/me/kb", "ext4"),
        ("/mnt/share/kb", "nfs4"),
        ("/mnt/share", "nfs4"),
        ("/mnt/sharealike", "ext4"),  # a prefix of the string is not a parent folder
        ("/media/my disk/kb", "fuseblk"),
    ],
)
def test_the_deepest_mount_decides_the_filesystem(path, kind):
    mountinfo = (
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "40 22 0:50 / /mnt/share rw,relatime shared:9 - nfs4 server:/share rw\n"
        "41 22 0:51 / /media/my\\040disk rw shared:10 - fuseblk /dev/sdb1 rw\n"
        "garbage line\n"
    )
    assert watch.filesystem_of(path, mountinfo) == kind


def test_minimum_setting():
    assert watch.minimum({}) == watch.DEFAULT_MINIMUM
    assert watch.minimum({"FORACLI_WATCH_MIN": "3"}) == 3
    assert watch.minimum({"FORACLI_WATCH_MIN": "lots"}) == watch.DEFAULT_MINIMUM
    assert watch.minimum({"FORACLI_WATCH": "0", "FORACLI_WATCH_MIN": "3"}) is None


# --- through the command --------------------------------------------------------


@pytest.fixture
def watched_kb(aged_kb, tmp_path):
    """A copy of the fixture KB, old enough to cache, with the watcher threshold at 1."""
    folder = aged_kb
    if not watch.local_filesystem(str(folder)):
        pytest.skip("the test folder is on a filesystem the watcher does not trust")
    cache = tmp_path / "cache"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "FORACLI_KB", "FORACLI_NO_CACHE", "TERM")
    }
    env |= {"FORACLI_CACHE_DIR": str(cache), "FORACLI_WATCH_MIN": "1"}
    yield folder, cache, env
    for socket in cache.glob("watch-*.sock"):
        watch.stop(str(socket))


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([FORACLI, *argv], capture_output=True, env=env, timeout=60)


def entries(cache: Path) -> list[tuple[object, ...]]:
    """The head record of each output-cache entry."""
    found = []
    for path in cache.glob("out-*.marshal"):
        found.append(marshal.loads(path.read_bytes()[4:]))  # after the checksum
    return found


def test_a_watched_replay_sees_an_in_place_edit_of_another_file(watched_kb, tmp_path):
    """The case stat'ing only the shown file would miss: a file the page does not
    show breaks the knowledge base without touching any folder's mtime."""
    folder, cache, env = watched_kb
    argv = ["explain", "keyhole", "--kb", str(folder)]
    first = run(argv, env)
    assert first.returncode == 0, first.stderr
    (watched,) = [head[3] for head in entries(cache)]
    assert watched is not None, "a knowledge base over the threshold is watched"
    poison = tmp_path / "poison"
    poison.mkdir()
    (poison / "typer.py").write_text("raise ImportError('a replay must not import typer')")
    replayed = run(argv, env | {"PYTHONPATH": str(poison)})
    assert (replayed.stdout, replayed.returncode) == (first.stdout, 0)
    with (folder / "glossary.yaml").open("a") as handle:
        handle.write("oops: [\n")
    broken = run(argv, env)
    assert broken.returncode == 3
    assert b"glossary.yaml" in broken.stderr


def test_a_stopped_watcher_falls_back_to_stat_calls_and_is_restarted(watched_kb):
    folder, cache, env = watched_kb
    argv = ["explain", "keyhole", "--kb", str(folder)]
    first = run(argv, env)
    (watched,) = [head[3] for head in entries(cache)]
    socket = watched[0]
    QUESTIONS[socket] = watch.question(watched[2], watched[3])
    assert watch.stop(socket)  # stop it
    assert ask(socket) is None
    (folder / "procedures" / "keyhole.yaml").write_text(
        (folder / "procedures" / "keyhole.yaml").read_text().replace("Keyhole", "Kayhole")
    )
    os.utime(folder / "procedures" / "keyhole.yaml", ns=(OLD, OLD + 1))
    time.sleep(outcache.RACY_NS / 1e9 + 0.2)  # so the edited page may be cached
    edited = run(argv, env)  # no watcher: every file is stat'ed, the edit is seen
    assert edited.returncode == 0
    assert edited.stdout != first.stdout
    assert b"Kayhole" in edited.stdout
    again = run(argv, env)  # a replay starts a new watcher and records its answer
    assert again.stdout == edited.stdout
    assert ask(socket) is not None
    (head,) = entries(cache)
    assert head[3] is not None
    assert head[3][1] == ask(socket)


def test_a_symlink_in_the_knowledge_base_turns_the_watcher_off(watched_kb, tmp_path):
    """A change through a link's target may happen outside every watched folder."""
    folder, cache, env = watched_kb
    outside = tmp_path / "outside.yaml"
    shutil.move(folder / "glossary.yaml", outside)
    (folder / "glossary.yaml").symlink_to(outside)
    os.utime(folder, ns=(OLD, OLD))
    time.sleep(outcache.RACY_NS / 1e9 + 0.2)  # a move sets the file's ctime: let it settle
    first = run(["explain", "keyhole", "--kb", str(folder)], env)
    assert first.returncode == 0, first.stderr
    (watched,) = [head[3] for head in entries(cache)]
    assert watched is None
    with outside.open("a") as handle:
        handle.write("oops: [\n")
    assert run(["explain", "keyhole", "--kb", str(folder)], env).returncode == 3


def test_files_edited_just_now_are_not_cached(aged_kb, tmp_path):
    """A second same-size edit within the same mtime tick would be invisible."""
    folder = aged_kb
    files = [str(p) for p in folder.rglob("*.yaml")]
    (folder / "glossary.yaml").touch()
    taken = outcache.snapshot([str(folder)], files)
    assert taken is not None
    signatures, recent = taken
    assert recent == {str(folder / "glossary.yaml")}
    assert len(signatures) == len(files) + 2  # and the two folders
    assert signatures[str(folder / "sources.yaml")][0] == OLD
    os.utime(folder / "glossary.yaml", ns=(OLD, OLD))  # an old mtime, a new ctime: still recent
    assert outcache.snapshot([str(folder)], files)[1] == {str(folder / "glossary.yaml")}
    # Through the command: nothing is cached until the edit has settled.
    env = {k: v for k, v in os.environ.items() if k != "FORACLI_NO_CACHE"}
    env["FORACLI_CACHE_DIR"] = str(tmp_path / "cache")
    assert run(["explain", "keyhole", "--kb", str(folder)], env).returncode == 0
    assert not list((tmp_path / "cache").glob("out-*"))
    time.sleep(outcache.RACY_NS / 1e9 + 0.2)
    assert run(["explain", "keyhole", "--kb", str(folder)], env).returncode == 0
    assert len(list((tmp_path / "cache").glob("out-*"))) == 1


def test_a_layer_path_through_dot_dot_is_never_cached(tmp_path):
    """abspath drops "link/.." as text; the kernel goes to the link's target's parent."""
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "real" / "sub")
    layer = str(tmp_path / "link" / ".." / "extra.yaml")
    assert outcache.snapshot([layer], [layer]) is None
    plain = str(tmp_path / "real" / "extra.yaml")
    (tmp_path / "real" / "extra.yaml").write_text("x: 1\n")
    assert outcache.snapshot([plain], [plain]) is not None


def test_a_folder_that_cannot_be_listed_makes_the_run_uncacheable(tmp_path, monkeypatch):
    (tmp_path / "kb" / "sub").mkdir(parents=True)
    real_walk = os.walk

    def walk(top, onerror=None, **kwargs):
        yield from real_walk(top, onerror=onerror, **kwargs)
        if onerror is not None:
            onerror(PermissionError(13, "Permission denied", str(tmp_path / "kb" / "sub")))

    monkeypatch.setattr(os, "walk", walk)
    assert outcache.snapshot([str(tmp_path / "kb")], []) is None


def test_which_copy_of_foracli_ran_is_part_of_every_key():
    key = outcache.make_key(["explain"], [], {}, ())
    assert outcache.PACKAGE_DIR in key
    assert outcache.PACKAGE_DIR in outcache.package_files()  # a module added or removed
