"""Two tabs (two processes) saving one student's progress: what this one changed since it last read the file, laid
over what the file holds now; the last writer wins per exercise, per field, per step done, and nothing the other
one saved is lost. Lessons as saved (LessonProgress.to_dict); no UI, no files here."""

from __future__ import annotations

FIELDS = ("step", "completed", "stepper")


def merge(base: dict[str, dict], ours: dict[str, dict], disk: dict[str, dict]) -> dict[str, dict]:
    """Lessons by id: `base` as this process last read or wrote them, `ours` as they are in it now, `disk` as the file
    holds them now (another process may have saved since). A lesson this process reset is gone; one it did not touch
    is as on disk."""
    merged: dict[str, dict] = {}
    for lesson_id in {*base, *ours, *disk}:
        was, mine, theirs = base.get(lesson_id), ours.get(lesson_id), disk.get(lesson_id)
        if mine == was:           # untouched here: the file's
            if theirs is not None:
                merged[lesson_id] = theirs
        elif mine is None:        # reset here
            continue
        elif theirs is None:      # new here (or reset there, then changed here)
            merged[lesson_id] = mine
        else:
            merged[lesson_id] = merge_lesson(was or {}, mine, theirs)
    return merged


def merge_lesson(base: dict, ours: dict, disk: dict) -> dict:
    result = dict(disk)
    for name in FIELDS:
        if ours.get(name) != base.get(name):
            if name in ours:
                result[name] = ours[name]
            else:
                result.pop(name, None)
    was, mine = set(base.get("done", [])), set(ours.get("done", []))
    result["done"] = sorted((set(disk.get("done", [])) - (was - mine)) | (mine - was))
    answers = dict(disk.get("answers", {}))
    before, now = base.get("answers", {}), ours.get("answers", {})
    for key in {*before, *now}:
        if now.get(key) != before.get(key):
            if key in now:
                answers[key] = now[key]
            else:
                answers.pop(key, None)
    result["answers"] = answers
    spent = disk.get("seconds", 0) + ours.get("seconds", 0) - base.get("seconds", 0)  # time adds up
    if spent:
        result["seconds"] = round(max(spent, 0), 1)
    last = max(disk.get("last_active", ""), ours.get("last_active", ""))
    if last:
        result["last_active"] = last
    return result
