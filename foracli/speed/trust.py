"""The one trust rule for everything read from the cache folder.

Output entries, pickled knowledge bases, any index and the watcher's socket are
all read the same way: the folder is opened first (O_DIRECTORY|O_NOFOLLOW) and
checked after (fstat: a folder owned by this user that nobody else can write),
then each file is opened relative to that descriptor with O_NOFOLLOW and checked
the same way (owned by the user, not group- or world-writable, a regular file).
Checking a path and then opening it by name would let someone who controls a
folder above the cache swap a symlink in between (issue 18); a descriptor cannot
be swapped. Writes go through the same descriptor, to files created 0600.

A folder that fails the rule is not used at all: foracli runs without that cache
(slower, never wrong) and, when the user named the folder (FORACLI_CACHE_DIR or
XDG_CACHE_HOME), says so once, in one line on stderr.

Every file stored is sealed with a checksum of its content (seal/unseal), so a
truncated, flipped or otherwise corrupt file is a miss, never shown.

Standard library only, and only cheap modules: this runs on every replay.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping

FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: a FIFO planted under an entry's name must not block the open.
READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
STALE_NS = 60_000_000_000  # a temporary file this old was left by a killed run
_said: set[str] = set()  # folders already reported in this process
_tidied: set[str] = set()  # folders already tidied in this process


def safe(info: os.stat_result, kind: int = stat.S_IFREG) -> bool:
    """Whether *info* is of *kind*, owned by this user, and nobody else can write it."""
    return (
        stat.S_IFMT(info.st_mode) == kind
        and info.st_uid == os.geteuid()
        and not info.st_mode & 0o022
    )


class Folder:
    """A cache folder opened and checked; every read and write goes through its descriptor."""

    def __init__(self, fd: int, path: str) -> None:
        self.fd = fd
        self.path = path

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def read(self, name: str) -> bytes | None:
        """The bytes of file *name* if it passes the trust rule, else None."""
        try:
            fd = os.open(name, READ_FLAGS, dir_fd=self.fd)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not safe(info):
                return None
            chunks = []
            size = info.st_size + 1  # one byte more: a file that grew still reads whole
            while True:
                chunk = os.read(fd, max(size, 65536))
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(fd)

    def write(self, name: str, data: bytes) -> bool:
        """Write *data* to *name* atomically (a 0600 temporary file, then rename)."""
        temporary = f"{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(temporary, WRITE_FLAGS, 0o600, dir_fd=self.fd)
        except OSError:
            return False
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except OSError:
            self.remove(temporary)
            return False
        return True

    def remove(self, name: str) -> None:
        try:  # noqa: SIM105 - contextlib would cost an import on every start
            os.unlink(name, dir_fd=self.fd)
        except OSError:
            pass

    def lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except OSError:
            return None

    def names(self) -> list[str]:
        try:
            return os.listdir(self.fd)
        except OSError:
            return []

    def through(self, name: str) -> str:
        """A path to *name* that resolves through this descriptor, whatever happens to
        the folder's path meanwhile (for sockets, which are bound and reached by path)."""
        return f"/proc/self/fd/{self.fd}/{name}"

    def tidy(self) -> None:
        """Remove what killed runs left: temporary files older than a minute, and
        watcher lock files (with their socket and key) that no watcher holds."""
        if self.path in _tidied:
            return
        _tidied.add(self.path)
        import time

        old = time.time_ns() - STALE_NS
        for name in self.names():
            info = self.lstat(name)
            if info is None or info.st_mtime_ns > old:
                continue
            if name.endswith(".tmp"):
                self.remove(name)
            elif name.endswith(".sock.lock"):
                self._release_lock(name)

    def _release_lock(self, name: str) -> None:
        import fcntl

        try:
            fd = os.open(name, READ_FLAGS, dir_fd=self.fd)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return  # a watcher holds it: it is alive
        try:
            socket_name = name[: -len(".lock")]
            for stale in (socket_name, f"{socket_name}.key", name):
                self.remove(stale)
        finally:
            os.close(fd)


def explicit(environ: Mapping[str, str]) -> bool:
    """Whether the user named the cache folder (then a refusal is worth a line)."""
    return bool(environ.get("FORACLI_CACHE_DIR") or environ.get("XDG_CACHE_HOME"))


def open_folder(directory: str, *, create: bool = False) -> Folder | None:
    """*directory* opened and checked (see the module docstring), created 0700 when
    *create* and missing; None when it is missing or fails the trust rule."""
    try:
        fd = os.open(directory, FOLDER_FLAGS)
    except FileNotFoundError:
        if not create:
            return None
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            fd = os.open(directory, FOLDER_FLAGS)
        except OSError:
            return None  # read-only or uncreatable: just no cache
    except OSError as error:
        import errno

        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            _refuse(directory, "link")
        return None
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if not safe(info, stat.S_IFDIR):
        os.close(fd)
        _refuse(directory, "owner" if info.st_uid != os.geteuid() else "mode")
        return None
    return Folder(fd, directory)


def _refuse(directory: str, reason: str) -> None:
    """Say once, on stderr, that a folder the user named is not used."""
    if directory in _said or not explicit(os.environ):
        return
    _said.add(directory)
    from foracli.content import words
    from foracli.core.text import shown

    w = words()
    line = w.text("cache.refused", path=shown(directory), reason=w.text(f"cache.refused.{reason}"))
    try:
        sys.stderr.write(f"foracli: {line}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def seal(data: bytes) -> bytes:
    """*data* with its checksum in front (see unseal)."""
    return (zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big") + data


def unseal(sealed: bytes | None) -> memoryview | None:
    """The data of a sealed file, or None when it is not exactly what was sealed."""
    if sealed is None or len(sealed) < 4:
        return None
    data = memoryview(sealed)[4:]
    if (zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big") != sealed[:4]:
        return None
    return data
