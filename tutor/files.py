"""The learner's files: read only if regular (never blocking), capped in size and depth; saved atomically."""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from itertools import accumulate
from typing import BinaryIO, Callable

from tutor.errors import InputError

BOM = "\ufeff".encode()  # a byte-order mark, which some editors put before UTF-8 text
STALE_AFTER = 3600  # seconds
TEMP = re.compile(r"\.tutor-(\d+)-[0-9a-f]{8}\.tmp")
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
# What is not structure in TOML and JSON text: strings and comments (brackets in them do not nest). A string left
# open runs to the end of its line (of the text, for a multi-line one), so every match succeeds: no match is retried
# from the next character, and the time is linear in the text (a closing quote required made it quadratic: 8,000
# characters of \" took 0.4 s, and 8 MB hours).
_NOT_STRUCTURE = re.compile(r'"""(?:[^\\]|\\[\s\S])*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)|"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?'
                            r'|#[^\n]*')
_BRACKETS = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def _name(path: str | os.PathLike, what: str) -> str:
    name = os.fspath(path)
    if not name:
        raise InputError(f"{what}: expected a file name, got an empty one")
    return name


def read_text(path: str | os.PathLike, what: str, max_bytes: int) -> str:
    """The text of the regular file at `path`: UTF-8 (a leading byte-order mark dropped), at most `max_bytes` long.
    A missing file, a directory, a FIFO or device (never opened), a larger file, an OSError or bytes that are not
    UTF-8 raise InputError naming the file and, where it helps, `what` it should be (e.g. "network file")."""
    name = _name(path, what)
    try:
        mode = os.stat(name).st_mode
        if stat.S_ISREG(mode):
            fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)  # replaced by a FIFO meanwhile: no wait
            try:
                mode = os.fstat(fd).st_mode
                data = _read(fd, max_bytes) if stat.S_ISREG(mode) else b""
            finally:
                os.close(fd)
    except FileNotFoundError:
        raise InputError(f"{name}: file not found", path=name) from None
    except OSError as e:  # ENAMETOOLONG, EACCES, ELOOP, EIO...
        raise InputError(f"{name}: cannot read ({_why(e)})", path=name) from None
    if not stat.S_ISREG(mode):
        raise InputError(f"{name}: is {_kind(mode)}, not a {what}", path=name)
    if len(data) > max_bytes:
        raise InputError(f"{name}: too large for a {what} (more than {max_bytes:,} bytes)", path=name)
    start = len(BOM) if data.startswith(BOM) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as e:
        at = start + e.start
        raise InputError(f"{name}: not UTF-8 text (byte {data[at]:#04x} at offset {at})", path=name) from None


def _read(fd: int, max_bytes: int) -> bytes:
    """Up to max_bytes + 1 bytes (one more tells the file is too large)."""
    chunks, size = [], 0
    while size <= max_bytes:
        chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def check_nesting(text: str, where: str, limit: int = 32) -> None:
    """Raise InputError if the lists and tables of TOML or JSON `text` nest more than `limit` deep (a parser would
    recurse that deep; brackets inside strings and comments do not count)."""
    brackets = re.sub(r"[^\[\]{}]+", "", _NOT_STRUCTURE.sub("", text)).encode()
    deepest = max(accumulate(map(_BRACKETS.__getitem__, brackets)), default=0)
    if deepest > limit:
        raise InputError(f"{where}: lists or tables nested {deepest} deep (at most {limit})", path=where)


def _target(path: str | os.PathLike) -> tuple[str, str, os.stat_result | None]:
    """The file a save to `path` writes: a symlink's target; InputError unless it is a regular file or not there."""
    name = _name(path, "file to save")
    if name.endswith(os.sep):
        raise InputError(f"{name}: a directory name, not a file name", path=name)
    target = os.path.realpath(name)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise InputError(f"{name}: cannot write ({_why(e)})", path=name) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InputError(f"{name}: is {_kind(st.st_mode)}; only a regular file is replaced by a save", path=name)
    if not os.path.isdir(os.path.dirname(target)):
        raise InputError(f"{name}: directory {os.path.dirname(target)} does not exist", path=name)
    return name, target, st


def _temp_name(directory: str) -> str:
    return os.path.join(directory, f".tutor-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:  # cleaning up after a failure must not hide it; a leftover is removed by a later save
        pass


def check_writable(path: str | os.PathLike) -> None:
    """Raise InputError unless a save to `path` can be expected to work (the target is a regular file or not there,
    its directory exists and takes a new file, its name is not too long): for checking before long work."""
    name, target, _ = _target(path)
    directory, base = os.path.split(target)
    probe = _temp_name(directory)
    try:
        if len(os.fsencode(base)) > os.pathconf(directory, "PC_NAME_MAX"):
            raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG))
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as e:
        raise InputError(f"{name}: cannot write ({_why(e)})", path=name) from None
    _unlink_quietly(probe)


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> None:
    """Replace the file at `path` (through a symlink: its target) by what write(f) writes to a binary file, atomically:
    a reader, a crash or a kill sees the old file or the new one, whole. A failed save keeps the old file and raises
    InputError (an exception from `write` other than OSError passes through). The file keeps its permissions.
    Stale temporary files in the directory are removed first (remove_stale)."""
    name, target, old = _target(path)
    directory = os.path.dirname(target)
    remove_stale(directory)
    tmp = _temp_name(directory)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if old is None else 0o600)
    except OSError as e:
        raise InputError(f"{name}: cannot write ({_why(e)})", path=name) from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
            if old is not None:
                os.fchmod(f.fileno(), stat.S_IMODE(old.st_mode))
        os.replace(tmp, target)
    except BaseException as e:
        _unlink_quietly(tmp)
        if isinstance(e, OSError):
            raise InputError(f"{name}: cannot write ({_why(e)})", path=name) from None
        raise
    try:  # the rename itself survives a power cut once the directory is on disk
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # EPERM: someone else's process, alive
        return True
    return pid > 0


def remove_stale(directory: str | os.PathLike) -> None:
    """Remove the temporary files (.tutor-PID-XXXXXXXX.tmp) of saves in `directory` whose writer was killed: its PID
    is no longer running, or the file is over an hour old (a PID can be reused; a process on another machine sharing
    the directory cannot be seen, and its save, if still running after an hour, fails with a message and keeps the
    old file)."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        match = TEMP.fullmatch(entry.name)
        if not match:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and (now - st.st_mtime > STALE_AFTER or not _alive(int(match[1]))):
                os.unlink(entry.path)
        except OSError:
            pass
