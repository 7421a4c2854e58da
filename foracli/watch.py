"""Know that a big knowledge base is unchanged without a stat call per file.

A replay must never show output built from files that have changed since. For a
knowledge base of a few hundred files, checking each file's size and mtime is
cheap; at 10,000 files it costs ~40 ms here (a stat call is ~4 us on this kind of
machine), more than a whole replay. So, on Linux and for knowledge bases of
`minimum()` files or more, a small background process watches the folders with
inotify and answers one question over a Unix socket in the cache folder: "what is
your token and change count now?".

It reads every pending event before it answers, and the kernel queues an event
before the write, rename or delete that caused it returns, so a change finished
before the question is always counted: the "sync" idea of Watchman's cookies and
git's fsmonitor. An output-cache entry keeps the token and count it was checked
against; a replay asks again and, when the answer is the same, skips the per-file
checks. Anything unusual (no watcher, a restarted one, a symlink or hard link in
the knowledge base, a filesystem inotify cannot see into, not Linux) falls back
to checking every file, so the watcher only ever makes foracli faster.

The watcher exits after IDLE_SECONDS without a question, or when a folder it was
started for is deleted or moved. FORACLI_WATCH=0 turns it off.

Standard library only; the client half imports nothing heavy (it runs on every
replay of a big knowledge base); the watcher half runs as `python -m foracli.watch`.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_MINIMUM = 500  # files; below this a stat call per file costs under ~2 ms
IDLE_SECONDS = 900.0
ASK_TIMEOUT = 1.0  # a stopped or stuck watcher must not stall a run for longer
READY_TIMEOUT = 3.0
# Filesystems where every change goes through this kernel, so inotify sees it.
# Network and FUSE filesystems can change behind its back: those use stat calls.
LOCAL_FILESYSTEMS = frozenset(
    {"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "f2fs", "jfs", "reiserfs", "zfs", "overlay"}
)
SUFFIXES = (".yaml", ".yml")  # the loader reads only these (see loader.YAML_SUFFIXES)


def minimum(environ: dict[str, str] | os._Environ[str]) -> int | None:
    """How many files a knowledge base needs before a watcher is used; None: never."""
    if not sys.platform.startswith("linux") or environ.get("FORACLI_WATCH", "1") == "0":
        return None
    try:
        return max(1, int(environ.get("FORACLI_WATCH_MIN", "")))
    except ValueError:
        return DEFAULT_MINIMUM


def socket_path(directory: str, trees: Sequence[str], folders: Sequence[str]) -> str | None:
    """The watcher's socket for this set of folders, or None when the path is too long
    for a Unix socket (108 bytes on Linux)."""
    import marshal
    import zlib

    name = f"{zlib.crc32(marshal.dumps((tuple(trees), tuple(folders)))) & 0xFFFFFFFF:08x}"
    path = os.path.join(os.path.abspath(directory), f"watch-{name}.sock")
    return path if len(os.fsencode(path)) < 108 else None


def ask(path: str, request: bytes = b"?") -> str | None:
    """The watcher's "token count" answer, or None when no watcher answers."""
    import _socket

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(ASK_TIMEOUT)
        sock.connect(path)
        sock.sendall(request)
        answer = b""
        while not answer.endswith(b"\n"):
            part = sock.recv(64)
            if not part:
                return None
            answer += part
    except OSError:
        return None
    finally:
        sock.close()
    return answer[:-1].decode("ascii", "replace")


def ensure(directory: str, trees: Sequence[str], folders: Sequence[str]) -> tuple[str, str] | None:
    """(socket, answer) from a watcher of these folders, starting one if need be."""
    path = socket_path(directory, trees, folders)
    if path is None or not all(map(local_filesystem, [*trees, *folders])):
        return None
    answer = ask(path)
    if answer is not None:
        return path, answer
    import subprocess
    import time

    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        command = [sys.executable, "-m", "foracli.watch", path]
        command += [f"tree:{t}" for t in trees] + [f"folder:{f}" for f in folders]
        # The first process forks the watcher and exits at once, so nothing is left
        # for us to wait on; no standard stream is inherited, so a pipe reading our
        # output still ends when we do.
        subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            check=False,
            timeout=READY_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        answer = ask(path)
        if answer is not None:
            return path, answer
        time.sleep(0.01)
    return None


def local_filesystem(path: str) -> bool:
    """Whether *path* lies on a filesystem inotify fully sees (from /proc/self/mountinfo)."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as handle:
            mountinfo = handle.read()
    except OSError:
        return False
    return filesystem_of(os.path.realpath(path), mountinfo) in LOCAL_FILESYSTEMS


def filesystem_of(path: str, mountinfo: str) -> str:
    """The type of the deepest mount holding the absolute, resolved *path* ("" if none)."""
    best, kind = "", ""
    for line in mountinfo.splitlines():
        mount, dash, rest = line.partition(" - ")
        fields = mount.split()
        if not dash or len(fields) < 5 or not rest.split():
            continue
        point = _unescape(fields[4])
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):  # later mounts over the same point win
            best, kind = point, rest.split()[0]
    return kind


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


# --- the watcher process -------------------------------------------------------

IN_MODIFY = 0x2
IN_ATTRIB = 0x4
IN_CLOSE_WRITE = 0x8
IN_MOVED_FROM = 0x40
IN_MOVED_TO = 0x80
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_DELETE_SELF = 0x400
IN_MOVE_SELF = 0x800
IN_Q_OVERFLOW = 0x4000
IN_IGNORED = 0x8000
IN_ONLYDIR = 0x1000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
MASK = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
    | IN_ONLYDIR
)
GONE = IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED


class Watcher:
    """inotify watches on every folder of the trees, and on the single folders."""

    def __init__(self, trees: Sequence[str], folders: Sequence[str]) -> None:
        import ctypes

        self._libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.paths: dict[int, tuple[str, bool]] = {}  # watch descriptor: (folder, recursive)
        self.roots: set[int] = set()
        for tree in trees:
            self.roots.add(self._add_tree(tree))
        for folder in folders:
            self.roots.add(self._add(folder, recursive=False))
        self.count = 0

    def _add(self, folder: str, *, recursive: bool) -> int:
        import ctypes

        wd = int(self._libc.inotify_add_watch(self.fd, os.fsencode(folder), MASK))
        if wd < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch", folder)
        self.paths[wd] = (folder, recursive)
        return wd

    def _add_tree(self, tree: str) -> int:
        # The watch goes on before the folder is listed, so a subfolder created
        # meanwhile is either listed or reported as an event.
        root = self._add(tree, recursive=True)
        for folder, subfolders, _files in os.walk(tree):
            for name in subfolders:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    self._add(path, recursive=True)
        return root

    def drain(self) -> bool:
        """Read every queued event; count a change that could matter. False: stop."""
        import contextlib
        import struct

        changed = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            offset = 0
            while offset < len(data):
                wd, mask, _cookie, size = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16 : offset + 16 + size].rstrip(b"\0")
                offset += 16 + size
                if mask & IN_Q_OVERFLOW:
                    changed = True
                    continue
                if mask & GONE and wd in self.roots:
                    return False
                if mask & IN_IGNORED:
                    self.paths.pop(wd, None)  # a subfolder went; its parent said so
                    continue
                folder, recursive = self.paths.get(wd, ("", False))
                if mask & IN_ISDIR:
                    changed = True
                    if recursive and mask & (IN_CREATE | IN_MOVED_TO):
                        new = os.path.join(folder, os.fsdecode(name))
                        with contextlib.suppress(OSError):  # gone again: its events say so
                            self._add_tree(new)
                elif name.endswith(tuple(s.encode() for s in SUFFIXES)):
                    changed = True
        if changed:
            self.count += 1
        return True


def serve(socket_file: str, trees: Sequence[str], folders: Sequence[str]) -> int:
    """Watch, and answer questions on *socket_file*, until idle or a folder goes."""
    import contextlib
    import fcntl
    import select
    import socket
    import time

    lock = os.open(f"{socket_file}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another watcher of the same folders is starting or running
    try:
        watcher = Watcher(trees, folders)
    except OSError:
        return 1  # no inotify, or out of watches: runs fall back to stat calls
    token = os.urandom(8).hex()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(socket_file)  # a stale one from a watcher that died; we hold the lock
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)
    try:
        server.bind(socket_file)
    finally:
        os.umask(old_mask)
    server.listen(64)
    mine = os.stat(socket_file).st_ino
    poller = select.poll()
    poller.register(watcher.fd, select.POLLIN)
    poller.register(server.fileno(), select.POLLIN)
    last = time.monotonic()
    running = True
    while running:
        left = IDLE_SECONDS - (time.monotonic() - last)
        if left <= 0:
            break
        for fd, _event in poller.poll(left * 1000):
            if fd == watcher.fd:
                running = watcher.drain()
            elif running:
                running = _answer(server, watcher, token)
                last = time.monotonic()
    with contextlib.suppress(OSError):
        if os.stat(socket_file).st_ino == mine:  # not a newer watcher's socket
            os.unlink(socket_file)
    return 0


def _answer(server: object, watcher: Watcher, token: str) -> bool:
    """Answer one question; False when asked to stop or a folder went away."""
    import socket

    assert isinstance(server, socket.socket)
    try:
        conn, _ = server.accept()
    except OSError:
        return True
    with conn:
        try:
            conn.settimeout(ASK_TIMEOUT)
            request = conn.recv(16)
            alive = watcher.drain()  # everything that happened before the question
            if alive:
                conn.sendall(f"{token} {watcher.count}\n".encode())
            return alive and request != b"q"
        except OSError:
            return True


def main(argv: list[str]) -> int:
    """`python -m foracli.watch SOCKET tree:PATH... folder:PATH...`; forks and returns."""
    if len(argv) < 2:
        sys.stderr.write("usage: python -m foracli.watch SOCKET tree:PATH|folder:PATH...\n")
        return 2
    trees = [a[5:] for a in argv[1:] if a.startswith("tree:")]
    folders = [a[7:] for a in argv[1:] if a.startswith("folder:")]
    if os.fork():
        return 0  # the caller waits for this parent only
    os.setsid()
    code = 1
    try:
        code = serve(argv[0], trees, folders)
    finally:
        os._exit(code)  # never back into the caller's code as a second process


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
