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
replay of a big knowledge base); the watcher half runs as `python -m foracli.speed.watch`.
"""

from __future__ import annotations

import os
import sys

from foracli import __version__
from foracli.speed import outcache

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    import _socket
    import select
    import socket
    from collections.abc import Callable, Sequence

    from foracli.speed import trust

# How many files a knowledge base needs before a watcher is used; None: never. Kept
# in outcache, so a run that stores an entry needs this module only for a big one.
DEFAULT_MINIMUM = outcache.WATCH_MINIMUM
minimum = outcache.watch_minimum
PROTOCOL = "3"  # bump when what the watcher counts, or how it answers, changes
IDLE_SECONDS = 900.0
CHECK_SECONDS = 2  # how often an idle watcher checks its socket is still there
ASK_TIMEOUT = 1.0  # a stopped or stuck watcher must not stall a run for longer
READY_TIMEOUT = 3.0
RESTART_SECONDS = 0.2  # how often a run waiting on a busy lock tries to start its own
# Filesystems where every change goes through this kernel, so inotify sees it.
# Network and FUSE filesystems can change behind its back: those use stat calls.
LOCAL_FILESYSTEMS = frozenset(
    {"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "f2fs", "jfs", "reiserfs", "zfs", "overlay"}
)
SUFFIXES = (".yaml", ".yml")
# Sockets whose watcher let a question time out in this run (stopped, stuck): not
# asked again, nor restarted over, so a run pays ASK_TIMEOUT once at most.
_silent: set[str] = set()  # the files the loader reads (loader.YAML_SUFFIXES)


def identity(trees: Sequence[str], files: Sequence[str]) -> bytes:
    """What a watcher watches, as bytes: every question carries it and the watcher
    checks it, so a socket-name collision can never vouch for other files. A watcher
    from another foracli version may watch by other rules: never ask it either."""
    parts = [PROTOCOL, __version__, *trees, "", *files]
    return b"\0".join(os.fsencode(p) for p in parts)


def question(trees: Sequence[str], files: Sequence[str]) -> bytes:
    """The request asking the count of the watcher of exactly these paths."""
    what = identity(trees, files)
    return b"?" + f"{len(what):08x}".encode() + what


def socket_path(directory: str, trees: Sequence[str], files: Sequence[str]) -> str | None:
    """The watcher's socket for these folders and files, or None when the path is too
    long for a Unix socket (108 bytes on Linux) or cannot be made absolute."""
    import zlib

    name = zlib.crc32(identity(trees, files)) & 0xFFFFFFFF
    try:
        path = os.path.join(os.path.abspath(directory), f"watch-{name:08x}.sock")
    except OSError:  # a relative cache folder, and the working folder is gone
        return None
    return path if len(os.fsencode(path)) < 108 else None


def ask(path: str, request: bytes) -> str | None:
    """The watcher's answer to *request* (see question), or None when no watcher
    answers that foracli can trust.

    Trusted: a socket owned by this user in a private cache folder (speed.trust),
    reached through the folder's descriptor; a peer running as this user
    (SO_PEERCRED); and an answer whose token names the very process answering (its
    pid and start time), so a process that took a stopped watcher's place cannot
    repeat the old count."""
    import stat

    from foracli.speed import trust

    if path in _silent:
        return None
    directory, name = os.path.split(path)
    folder = trust.open_folder(directory)
    if folder is None:
        return None
    with folder:
        info = folder.lstat(name)
        if info is None or not trust.safe(info, stat.S_IFSOCK):
            return None
        answer, peer = _exchange(folder.through(name), request)
    if peer < 0:
        _silent.add(path)
        return None
    if answer is None:
        return None
    text = answer[:-1].decode("ascii", "replace")
    if request[:1] != b"?":
        return text
    token, _, count = text.partition(" ")
    if not (count.isdigit() and token == _token_of(peer)):
        return None  # "other", or an answer that is not its sender's own
    return text


def _exchange(path: str, request: bytes) -> tuple[bytes | None, int]:
    """Send *request* to the socket at *path*; (the answer line, the peer's pid), or
    (None, 0) on no answer or a peer that is not this user, (None, -1) when it timed out."""
    import _socket
    import time

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(ASK_TIMEOUT)
        deadline = time.monotonic() + ASK_TIMEOUT
        while True:
            try:
                sock.connect(path)
                break
            except BlockingIOError:  # its queue is full (Linux says so at once): wait
                if time.monotonic() > deadline:
                    return None, -1
                time.sleep(0.001)
        pid, uid, _gid = _credentials(sock)
        if uid != os.geteuid():
            return None, 0
        sock.sendall(request)
        # Nothing more comes: a watcher refusing a short or wrong request sees the end at
        # once and closes, instead of both sides waiting out their timeouts.
        sock.shutdown(_socket.SHUT_WR)
        answer = b""
        while not answer.endswith(b"\n") and len(answer) < 256:
            part = sock.recv(64)
            if not part:
                return None, 0
            answer += part
    except TimeoutError:
        return None, -1
    except OSError:
        return None, 0
    finally:
        sock.close()
    return (answer, pid) if answer.endswith(b"\n") else (None, 0)


def _credentials(sock: _socket.socket) -> tuple[int, int, int]:
    """(pid, uid, gid) of the process at the other end of a Unix socket."""
    import _socket

    raw = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
    return (
        int.from_bytes(raw[0:4], sys.byteorder, signed=True),
        int.from_bytes(raw[4:8], sys.byteorder),
        int.from_bytes(raw[8:12], sys.byteorder),
    )


def _token_of(pid: int) -> str:
    """The token the watcher with *pid* gives: its pid and start time (which a later
    process given the same pid cannot share); "" when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rpartition(b")")[2].split()
        started = int(fields[19])  # field 22, starttime, counted after "pid (comm)"
    except (OSError, ValueError, IndexError):
        return ""
    return f"{pid}.{started}"


def stop(path: str) -> bool:
    """Ask the watcher at *path* to stop, with the secret only it and this user can
    read (its key file in the private cache folder); whether it said it stops."""
    from foracli.speed import trust

    directory, name = os.path.split(path)
    folder = trust.open_folder(directory)
    if folder is None:
        return False
    with folder:
        secret = folder.read(f"{name}.key")
    return secret is not None and ask(path, b"q" + secret) is not None


def ensure(directory: str, trees: Sequence[str], files: Sequence[str]) -> tuple[str, str] | None:
    """(socket, answer) from a watcher of these folders and files, starting one if need be."""
    path = socket_path(directory, trees, files)
    places = [*trees, *(os.path.dirname(f) for f in files)]
    if path is None or not all(map(local_filesystem, places)):
        return None
    request = question(trees, files)
    answer = ask(path, request)
    if answer is not None:
        return path, answer
    if path in _silent:
        return None  # a watcher is there but stuck: stat calls, no second wait
    status = _start(directory, path, trees, files)
    if status == b"ok":
        answer = ask(path, request)
        return (path, answer) if answer is not None else None
    if status != b"busy":
        return None  # it could not watch (no inotify, too few watches, a mount inside)
    import time

    # Another run is starting the same watcher, or the one holding the lock is on its
    # way out (it stopped vouching: a folder was renamed or a link retargeted): give it
    # a moment, and once it has gone, start ours.
    now = time.monotonic()
    deadline, retry = now + READY_TIMEOUT, now + RESTART_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.01)
        answer = ask(path, request)
        if answer is not None:
            return path, answer
        if time.monotonic() >= retry:
            retry = time.monotonic() + RESTART_SECONDS
            if _start(directory, path, trees, files) == b"ok":
                answer = ask(path, request)
                return (path, answer) if answer is not None else None
    return None


def _start(directory: str, path: str, trees: Sequence[str], files: Sequence[str]) -> bytes:
    """Start a watcher; its first line says "ok" (answering), "busy" (another one holds
    the lock) or "no" (it cannot watch). Anything else means it failed."""
    import select
    import subprocess

    from foracli.speed import trust

    folder = trust.open_folder(directory, create=True)
    if folder is None:
        return b""  # not a private folder: no watcher, stat calls
    folder.close()
    try:
        command = [sys.executable, "-m", "foracli.speed.watch", path]
        command += [f"tree:{t}" for t in trees] + [f"file:{f}" for f in files]
        # The process forks the watcher and exits at once; the watcher reports on
        # the pipe, then points its stdout at /dev/null. It inherits no other stream,
        # so a pipe reading our output still ends when we do.
        with subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd="/",
        ) as process:
            assert process.stdout is not None
            status = b""
            if select.select([process.stdout], [], [], READY_TIMEOUT)[0]:
                status = process.stdout.readline().strip()
            process.stdout.close()
            process.wait(READY_TIMEOUT)
        return status
    except (OSError, ValueError, subprocess.SubprocessError):
        return b""


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
IN_DONT_FOLLOW = 0x2000000
IN_MASK_ADD = 0x20000000
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


FILE_MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF
GONE = IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED
NEW = IN_CREATE | IN_MOVED_TO


class Stop(Exception):
    """The watcher can no longer vouch for what it watches: it must exit."""


class Watcher:
    """inotify watches on every folder and YAML file of the trees, and on single files.

    Files are watched themselves as well as through their folder, so a write through
    a hard link elsewhere still counts.
    """

    def __init__(self, trees: Sequence[str], files: Sequence[str]) -> None:
        import ctypes

        self._libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        # watch descriptor: (folder, whole tree?, file names that count whatever their suffix)
        self.folders: dict[int, tuple[str, bool, frozenset[str]]] = {}
        self.files: dict[int, str] = {}
        self.roots: set[int] = set()
        # Each root path and the (device, inode) it named when watching began: a
        # renamed parent folder or a retargeted symlink must not go unnoticed.
        self.identities: list[tuple[str, tuple[int, int]]] = []
        for tree in trees:
            self.identities.append((tree, _identity(tree)))
            self.roots.add(self._add_tree(tree))
        for path in files:
            folder, name = os.path.split(path)
            self.identities.append((folder, _identity(folder)))
            self.roots.add(self._add_folder(folder, recursive=False, names=frozenset([name])))
            self._add_file(path)
        self.count = 0

    def _watch(self, path: str, mask: int) -> int:
        import ctypes

        wd = int(self._libc.inotify_add_watch(self.fd, os.fsencode(path), mask))
        if wd < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch", path)
        return wd

    def _add_folder(
        self, folder: str, *, recursive: bool, names: frozenset[str] = frozenset()
    ) -> int:
        # IN_MASK_ADD: a folder's watch keeps whatever it watched for already.
        wd = self._watch(folder, MASK | IN_MASK_ADD)
        self.files.pop(wd, None)  # seen before through a link named like a file
        # The same folder may be both in a tree and the home of a single file.
        _, was_recursive, old_names = self.folders.get(wd, (folder, False, frozenset()))
        self.folders[wd] = (folder, recursive or was_recursive, names | old_names)
        return wd

    def _add_file(self, path: str) -> None:
        # A symlink is watched as itself, never followed to a folder it points at
        # (runs do not trust the watcher for a knowledge base with links anyway).
        wd = self._watch(path, FILE_MASK | IN_DONT_FOLLOW | IN_MASK_ADD)
        if wd not in self.folders:
            self.files[wd] = path

    def _add_tree(self, tree: str) -> int:
        # Each watch goes on before its folder is listed, so anything created
        # meanwhile is either listed or reported as an event. An entry that is
        # gone by the time it is watched was reported as an event too: skip it,
        # but keep walking, or the folders beyond it would go unwatched.
        import errno

        device = os.stat(tree).st_dev
        root = self._add_folder(tree, recursive=True)
        for folder, subfolders, names in os.walk(tree):
            for name in [*subfolders, *(n for n in names if n.endswith(SUFFIXES))]:
                path = os.path.join(folder, name)
                try:
                    if name not in subfolders:
                        self._add_file(path)
                    elif not os.path.islink(path):  # the loader does not enter links
                        if os.stat(path).st_dev != device:
                            raise Stop(f"{path} is another filesystem")  # maybe a network one
                        self._add_folder(path, recursive=True)
                except OSError as error:
                    if error.errno not in (errno.ENOENT, errno.ENOTDIR):
                        raise
        return root

    def check_roots(self) -> None:
        """Stop unless every root path still names what is being watched."""
        for path, identity in self.identities:
            try:
                same = _identity(path) == identity
            except OSError:
                same = False
            if not same:
                raise Stop(f"{path} now names another folder")

    def drain(self) -> None:
        """Read every queued event and count any change that could matter."""
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
                name = os.fsdecode(data[offset + 16 : offset + 16 + size].rstrip(b"\0"))
                offset += 16 + size
                changed |= self._event(wd, mask, name)
        if changed:
            self.count += 1

    def _event(self, wd: int, mask: int, name: str) -> bool:
        """Whether one event is a change that could matter; raises Stop when watching
        can no longer be trusted."""
        if mask & IN_Q_OVERFLOW:
            raise Stop("events were lost")  # watches for new folders may be missing too
        if wd in self.files:
            if mask & IN_IGNORED:
                del self.files[wd]  # the file is gone; its folder reported that
            return not mask & IN_IGNORED
        if wd not in self.folders:
            return False  # a watch already removed
        if mask & GONE and wd in self.roots:
            raise Stop("a watched folder went away")
        if mask & IN_IGNORED:
            del self.folders[wd]  # a subfolder went; its parent said so
            return False
        folder, recursive, names = self.folders[wd]
        if not name:
            return True  # the folder itself: its permissions, say, decide what loads
        path = os.path.join(folder, name)
        if mask & IN_ISDIR:
            if recursive and mask & NEW:
                self._guarded(self._add_tree, path)
            return recursive or name in names
        if (recursive and name.endswith(SUFFIXES)) or name in names:
            if mask & NEW:
                self._guarded(self._add_file, path)
            return True
        return False

    @staticmethod
    def _guarded(add: Callable[[str], object], path: str) -> None:
        import errno

        try:
            add(path)
        except OSError as error:
            if error.errno not in (errno.ENOENT, errno.ENOTDIR):  # gone again: fine
                raise Stop(str(error)) from error  # out of watches, say: cannot vouch


def _identity(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


MAX_CLIENTS = 256  # open connections served at once; the oldest goes beyond that


class _Client:
    """One connection being served: what it sent so far, and when it must be done."""

    def __init__(self, conn: socket.socket, deadline: float) -> None:
        self.conn = conn
        self.data = b""
        self.deadline = deadline


def serve(
    socket_file: str, trees: Sequence[str], files: Sequence[str], report: Callable[[str], None]
) -> int:
    """Watch, and answer questions on *socket_file*, until idle or no longer sure."""
    from foracli.speed import trust

    directory, name = os.path.split(socket_file)
    folder = trust.open_folder(directory, create=True)
    if folder is None:
        report("no")  # not a private folder: nobody could trust our socket
        return 1
    with folder:
        return _serve(folder, name, trees, files, report)


def _serve(
    folder: trust.Folder,
    name: str,
    trees: Sequence[str],
    files: Sequence[str],
    report: Callable[[str], None],
) -> int:
    import fcntl
    import select
    import socket
    import time

    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        lock = os.open(f"{name}.lock", flags, 0o600, dir_fd=folder.fd)
    except OSError:
        report("no")  # something else holds the lock's name: runs use stat calls
        return 1
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        report("busy")  # another watcher of the same paths is starting or running
        return 0
    try:
        watcher = Watcher(trees, files)
    except (OSError, Stop):
        report("no")  # no inotify, out of watches, a mount inside: runs use stat calls
        return 1
    token = _token_of(os.getpid())  # its pid and start time: see ask
    secret = os.urandom(16).hex().encode()
    folder.remove(name)  # a stale one from a watcher that died; we hold the lock
    if not folder.write(f"{name}.key", secret):
        report("no")
        return 1
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)
    try:
        server.bind(folder.through(name))
    finally:
        os.umask(old_mask)
    server.listen(1024)  # the kernel caps it (somaxconn); idle clients must not fill it
    server.setblocking(False)
    mine = folder.lstat(name)
    report("ok")
    poller = select.poll()
    poller.register(watcher.fd, select.POLLIN)
    poller.register(server.fileno(), select.POLLIN)
    # The mount table signals any mount or unmount: a filesystem mounted inside a
    # tree would hide changes from the watches below it.
    mounts = os.open("/proc/self/mountinfo", os.O_RDONLY | os.O_CLOEXEC)
    poller.register(mounts, select.POLLPRI | select.POLLERR)
    # Checked again just before each answer: a mount that lands while a question
    # waits must stop the watcher, not be answered past (the kernel keeps the
    # mount table's POLLPRI raised until the table is read again).
    mount_check = select.poll()
    mount_check.register(mounts, select.POLLPRI | select.POLLERR)
    own = identity(trees, files)
    clients: dict[int, _Client] = {}

    def drop(fd: int) -> None:
        poller.unregister(fd)
        clients.pop(fd).conn.close()

    last = time.monotonic()
    try:
        while time.monotonic() - last < IDLE_SECONDS:
            now = time.monotonic()
            wait = min([CHECK_SECONDS, *(c.deadline - now for c in clients.values())])
            events = poller.poll(max(0, int(wait * 1000) + 1))
            if any(fd == mounts for fd, _event in events):
                return 0  # before any question that arrived in the same wake-up
            for fd, _event in events:
                if fd == watcher.fd:
                    watcher.drain()
                elif fd == server.fileno():
                    _accept(server, poller, clients, drop)
                elif fd in clients:
                    done = _serve_client(
                        clients[fd], watcher, token, secret, own, lambda: bool(mount_check.poll(0))
                    )
                    if done is None:
                        continue  # the question is not whole yet
                    drop(fd)
                    if done is False:
                        return 0
                    last = time.monotonic()
            now = time.monotonic()
            for fd in [fd for fd, c in clients.items() if c.deadline <= now]:
                drop(fd)  # silent too long: it must not hold anyone up
            info = folder.lstat(name)
            if info is None or mine is None or info.st_ino != mine.st_ino:
                return 0  # the cache folder was cleared: nobody can ask any more
    except (Stop, OSError):
        return 0  # every run falls back to stat calls, and starts a new watcher
    finally:
        server.close()  # no answers from here on, before the socket file goes
        for client in clients.values():
            client.conn.close()
        info = folder.lstat(name)
        if info is not None and mine is not None and info.st_ino == mine.st_ino:
            folder.remove(name)  # not a newer watcher's socket
            folder.remove(f"{name}.key")
    return 0


def _accept(
    server: socket.socket,
    poller: select.poll,
    clients: dict[int, _Client],
    drop: Callable[[int], None],
) -> None:
    """Take every waiting connection; only this user's processes are served."""
    import select
    import time

    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return  # none left waiting
        try:
            _pid, uid, _gid = _credentials(conn)
        except OSError:
            uid = -1
        if uid != os.geteuid():
            conn.close()  # another user: no answer at all
            continue
        conn.setblocking(False)
        if len(clients) >= MAX_CLIENTS:
            drop(min(clients, key=lambda fd: clients[fd].deadline))
        clients[conn.fileno()] = _Client(conn, time.monotonic() + ASK_TIMEOUT)
        poller.register(conn.fileno(), select.POLLIN)


def _serve_client(
    client: _Client,
    watcher: Watcher,
    token: str,
    secret: bytes,
    own: bytes,
    mounted: Callable[[], bool],
) -> bool | None:
    """Read what *client* sent and answer once it is whole: None while it is not,
    False when asked to stop or when the mount table changed (then the question
    gets no answer, and its run checks every file), else True."""
    import hmac

    try:
        part = client.conn.recv(65536)
    except BlockingIOError:
        return None
    except OSError:
        return True
    client.data += part
    request = client.data
    if part and not _whole(request):
        return None
    try:
        if request[:1] == b"q":
            if not hmac.compare_digest(request[1:], secret):
                return True  # the secret is in a file only this user can read
            client.conn.send(b"stopping\n")
            return False
        if request[:1] != b"?":
            return True
        watcher.check_roots()
        watcher.drain()  # everything that happened before the question
        if mounted():
            return False
        if request == b"?" + f"{len(own):08x}".encode() + own:
            client.conn.send(f"{token} {watcher.count}\n".encode())
        else:  # a question about other paths (a socket-name collision)
            client.conn.send(b"other\n")
    except OSError:
        pass
    return True


def _whole(data: bytes) -> bool:
    """Whether *data* is a whole request: b"q" and a 32-digit secret, or b"?", a length
    in 8 hex digits and that many bytes (anything malformed counts as whole: refused)."""
    if data[:1] == b"q":
        return len(data) >= 33
    if len(data) < 9:
        return data[:1] != b"?"
    try:
        size = int(data[1:9], 16)
    except ValueError:
        return True
    return len(data) >= 9 + size or size > 1 << 20


def main(argv: list[str]) -> int:
    """`python -m foracli.speed.watch SOCKET tree:PATH... file:PATH...`; forks and returns."""
    if len(argv) < 2:
        sys.stderr.write("usage: python -m foracli.speed.watch SOCKET tree:PATH|file:PATH...\n")
        return 2
    trees = [a[5:] for a in argv[1:] if a.startswith("tree:")]
    files = [a[5:] for a in argv[1:] if a.startswith("file:")]
    if os.fork():
        return 0  # the caller waits for this parent only; the child reports on stdout
    os.setsid()

    def report(status: str) -> None:
        # One line for the caller, then let go of its pipe.
        try:
            os.write(1, f"{status}\n".encode())
        finally:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)

    code = 1
    try:
        code = serve(argv[0], trees, files, report)
    finally:
        os._exit(code)  # never back into the caller's code as a second process


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
