"""Saved progress: where it lives, atomic writes, a corrupt or unreadable file kept aside and a fresh start."""

from __future__ import annotations

import json
import os

from tutor.cli import main
from tutor.progress import Progress, progress_path


def test_path_follows_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert progress_path() == tmp_path / "tutor" / "progress.json"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert progress_path() == tmp_path / "home" / ".local" / "share" / "tutor" / "progress.json"


def test_round_trip_and_atomic_write(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    p = Progress.load()
    assert p.lessons == {} and not p.notice and not progress_path().exists()
    lp = p.lesson("cost")
    lp.step, lp.done = 3, {0, 1, 2}
    lp.answer(2)["tries"].append("0.0112")
    lp.answer(2)["correct"] = True
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((a, b)), real_replace(a, b)))
    p.save()
    (src, dst), = replaced
    assert os.path.dirname(src) == str(progress_path().parent) and dst == progress_path()
    assert os.listdir(progress_path().parent) == ["progress.json"]  # no temporary file left
    again = Progress.load().lesson("cost")
    assert (again.step, again.done, again.answers["2"]["tries"]) == (3, {0, 1, 2}, ["0.0112"])


def test_corrupt_file_is_kept_aside_and_progress_starts_fresh(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    path = progress_path()
    path.parent.mkdir(parents=True)
    for garbage in ('{"lessons": {"cost": {"step": "three"}}}', '{"lessons": ', "[1, 2]", b"\xff\xfe\x00",
                    '{"lessons": {"cost": {"answers": {"2": {"tries": 5}}}}}'):
        (path.write_bytes if isinstance(garbage, bytes) else path.write_text)(garbage)
        p = Progress.load()
        assert p.lessons == {} and "starting with fresh progress" in p.notice
        assert not path.exists()
    kept = sorted(x.name for x in path.parent.iterdir())
    assert len(kept) == 5 and all(k.startswith("progress.json.corrupt-") for k in kept)
    path.write_text("not json")
    assert main(["lessons", "list"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tutor: Progress file") and "kept as" in err


def test_unwritable_directory_gives_a_message(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    p = Progress(blocker / "tutor" / "progress.json")
    try:
        p.save()
    except OSError as e:
        assert "cannot save progress" in str(e)
    else:
        raise AssertionError("saving under a file should fail")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["lessons", "reset"]) == 2
