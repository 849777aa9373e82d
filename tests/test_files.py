"""tutor.files and its users: only regular files are read (a FIFO never blocks) or replaced, saves write through a
symlink atomically, a failed save keeps the old file and says why in one line, stale temporary files go."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tutor.course.progress import Progress, ProgressError
from tutor.engine.model_file import load_network, save_network
from tutor.engine.network import Network
from tutor.errors import InputError
from tutor.files import atomic_write, check_nesting, check_writable, read_text, remove_stale

ROOT = Path(__file__).resolve().parent.parent


def tutor(*argv, env=None, timeout=60, **kwargs):
    """`python -m tutor ARGV` in a subprocess: a hang is a failure after `timeout` seconds, not a stuck suite."""
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([sys.executable, "-m", "tutor", *argv], text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, **pipes)


def one_line(message: str) -> str:
    lines = message.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in message, message
    return lines[0]


def special_files(directory: Path) -> dict[str, Path]:
    """A FIFO, a device, a directory and a socket, none of which a save may replace."""
    os.mkfifo(directory / "fifo")
    try:
        os.mknod(directory / "device", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:  # not root: a link to the real one (a save follows it to the device, and must refuse)
        (directory / "device").symlink_to("/dev/null")
    (directory / "directory").mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(directory / "socket"))
    sock.close()
    return {name: directory / name for name in ("fifo", "device", "directory", "socket")}


# -- reading -----------------------------------------------------------------------------------------------------


def test_read_text_refuses_what_is_not_a_regular_file_without_opening_it(tmp_path):
    for name, path in special_files(tmp_path).items():
        with pytest.raises(InputError, match=f"{path}: is a .*, not a network file"):
            read_text(path, "network file", 1000)


@pytest.mark.parametrize("make,message", [
    (lambda p: p.write_bytes(b"x" * 1001), "too large for a network file (more than 1,000 bytes)"),
    (lambda p: p.write_bytes(b"a = \xff\n"), "not UTF-8 text (byte 0xff at offset 4)"),
    (lambda p: (p.with_name("loop").symlink_to("loop"), p.symlink_to("loop")), "cannot read (Too many levels"),
], ids=["too-large", "not-utf-8", "symlink-loop"])
def test_read_text_turns_every_failure_into_one_line_naming_the_file(tmp_path, make, message):
    path = tmp_path / "net.toml"
    make(path)
    with pytest.raises(InputError) as e:
        read_text(path, "network file", 1000)
    assert one_line(str(e.value)).startswith(f"{path}: {message}")


def test_read_text_names_too_long_and_empty_names(tmp_path):
    with pytest.raises(InputError, match="cannot read .File name too long"):
        read_text(tmp_path / ("n" * 300), "network file", 1000)
    with pytest.raises(InputError, match="network file: expected a file name, got an empty one"):
        read_text("", "network file", 1000)


def test_read_text_drops_a_byte_order_mark(tmp_path):
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbfa = 1\n")
    assert read_text(tmp_path / "bom.toml", "network file", 1000) == "a = 1\n"
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbfa\xff")
    with pytest.raises(InputError, match="not UTF-8 text .byte 0xff at offset 4."):
        read_text(tmp_path / "bom.toml", "network file", 1000)


def test_check_nesting_counts_structure_not_strings_or_comments():
    check_nesting('a = "[[[[[[[[[[" # {{{{{{{{{{{{\nb = \'[[[[[[[[[[\'\nc = """\n[[[[[[[[[\n"""\nd = [[1]]', "x", 2)
    with pytest.raises(InputError, match="x: lists or tables nested 3 deep .at most 2."):
        check_nesting("a = [[[1]]]", "x", 2)
    check_nesting("[" * 100_000, "x", 100_000)  # fast: no recursion, no Python loop over the text
    start = time.perf_counter()
    check_nesting('\\"' * 50_000, "x", 2)  # strings left open: linear (it was quadratic, about 60 s here)
    assert time.perf_counter() - start < 5


# -- saving ------------------------------------------------------------------------------------------------------


def test_a_save_never_replaces_a_fifo_a_device_a_directory_or_a_socket(tmp_path):
    for name, path in special_files(tmp_path).items():
        before = os.lstat(path)
        for check in (lambda: atomic_write(path, lambda f: f.write(b"data")), lambda: check_writable(path)):
            with pytest.raises(InputError, match="only a regular file is replaced by a save"):
                check()
        after = os.lstat(path)
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode), name
    assert sorted(os.listdir(tmp_path)) == ["device", "directory", "fifo", "socket"]  # no temporary file left


def test_a_save_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    (tmp_path / "dotfiles").mkdir()
    target, link = tmp_path / "dotfiles" / "net.npz", tmp_path / "net.npz"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link.symlink_to(target)
    net = Network([2, 3, 2], seed=1)
    assert save_network(net, link) == link
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert np.array_equal(load_network(target).weights[0], net.weights[0])
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its permissions
    dangling = tmp_path / "progress.json"
    dangling.symlink_to(tmp_path / "dotfiles" / "progress.json")  # synced, but not made yet
    Progress(dangling).save()
    assert dangling.is_symlink() and json.loads((tmp_path / "dotfiles" / "progress.json").read_text())["version"] == 2


def test_a_failed_save_keeps_the_old_file_and_a_failing_cleanup_does_not_hide_why(tmp_path, monkeypatch):
    path = tmp_path / "net.npz"
    path.write_bytes(b"old network")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", read_only)
    monkeypatch.setattr(os, "unlink", read_only)  # the temporary file cannot be removed either
    with pytest.raises(InputError) as e:
        save_network(Network([2, 3, 2], seed=1), path)
    assert one_line(str(e.value)) == f"{path}: cannot write (Read-only file system)"
    assert path.read_bytes() == b"old network"


def test_a_file_name_of_250_characters_saves_and_of_300_says_so(tmp_path):
    net = Network([2, 3, 2], seed=1)
    long = tmp_path / ("n" * 246 + ".npz")
    save_network(net, long)
    assert load_network(long).sizes == [2, 3, 2] and os.listdir(tmp_path) == [long.name]
    too_long = tmp_path / ("n" * 296 + ".npz")
    for check in (lambda: check_writable(too_long), lambda: save_network(net, too_long)):
        with pytest.raises(InputError, match=r"cannot write \(File name too long\)"):
            check()
    assert os.listdir(tmp_path) == [long.name]


def test_a_save_fails_in_one_line_on_a_missing_directory_or_an_empty_name(tmp_path):
    net = Network([2, 3, 2], seed=1)
    for path, message in ((tmp_path / "no" / "net.npz", f"directory {tmp_path / 'no'} does not exist"),
                          ("", "expected a file name, got an empty one"), (f"{tmp_path}/", "a directory name")):
        for check in (lambda: check_writable(path), lambda: save_network(net, path)):
            with pytest.raises(InputError, match=message):
                check()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_stale_temporary_files_of_killed_saves_are_removed_by_the_next_save(tmp_path):
    hour_ago = time.time() - 3700
    dead = tmp_path / f".tutor-{dead_pid()}-0badf00d.tmp"              # its writer was killed
    old = tmp_path / f".tutor-{os.getpid()}-0ddba11a.tmp"              # over an hour old (its pid reused)
    live = tmp_path / f".tutor-{os.getpid()}-c0ffee00.tmp"             # another save of this process, now
    legacy = tmp_path / ".progress-k1ll3d0x.tmp"                       # an earlier version's, an hour old
    legacy_partial = tmp_path / "net.npz.partial"
    mine = tmp_path / ".tutor-notes.tmp"                                # not a name tutor gives
    for path in (dead, old, live, legacy, legacy_partial, mine):
        path.write_text("half a file")
    for path in (old, legacy, legacy_partial):
        os.utime(path, (hour_ago, hour_ago))
    save_network(Network([2, 3, 2], seed=1), tmp_path / "net.npz")
    Progress(tmp_path / "progress.json").save()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, mine.name, "net.npz", "progress.json"])
    remove_stale(tmp_path / "not-there")  # nothing to clean, nothing raised


# -- progress ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content,why", [
    (b"[" * 100_000 + b"]" * 100_000, "nested 100000 deep"),
    (b'{"version": 1' + b"0" * 250 + b', "lessons": {}}', "unknown version 1000"),
    (b'{"version": 2, "lessons": {"x": {"step": "' + b"s" * 20_000_000 + b'"}}}', "too large"),
], ids=["deep", "251-digit-version", "20-MB"])
def test_a_progress_file_too_deep_too_new_or_too_large_is_kept_aside(tmp_path, content, why):
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    p = Progress.load(path)
    assert why in p.notice and "starting with fresh progress" in p.notice and not p.lessons
    kept, = [x for x in tmp_path.iterdir() if x.name.startswith("progress.json.corrupt-")]
    assert kept.read_bytes() == content and not path.exists()


def test_a_progress_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "progress.json"
    record = {"step": "b", "done": ["a"], "completed": False, "answers": {}}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"version": 2, "lessons": {"demo": record}}).encode())
    p = Progress.load(path, lessons={"demo": ["a", "b"]})
    assert not p.notice and p.lesson("demo").done == {0} and p.lesson("demo").step == 1


def test_a_progress_file_that_is_a_fifo_is_put_aside_not_waited_on(tmp_path):
    path = tmp_path / "tutor" / "progress.json"
    path.parent.mkdir()
    os.mkfifo(path)
    run = tutor("lessons", "list", env={"XDG_DATA_HOME": str(tmp_path)})
    assert run.returncode == 0 and "is a FIFO (named pipe), not a progress file" in one_line(run.stderr)
    assert "kept as" in run.stderr and not path.exists()


def test_a_failed_progress_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    Progress(path).save()
    saved = path.read_bytes()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ProgressError, match=f"cannot save progress: {path}: cannot write .No space left"):
        Progress(path, {}).save()
    assert path.read_bytes() == saved and os.listdir(tmp_path) == ["progress.json"]


def test_an_answer_saved_without_its_tries_is_read_and_one_with_a_wrong_flag_kept_aside(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text('{"version": 2, "lessons": {"demo": {"answers": {"a": {"correct": true}}}}}')
    record = Progress.load(path, lessons={"demo": ["a", "b"]}).lesson("demo")
    assert record.answer(0) == {"tries": [], "correct": True, "revealed": False}  # was a KeyError on "tries"
    path.write_text('{"version": 2, "lessons": {"demo": {"answers": {"a": {"correct": "yes"}}}}}')
    assert "correct and revealed must be true or false" in Progress.load(path).notice
