"""Step identity: progress is saved by step key, so it follows a step when others are inserted or moved."""

from __future__ import annotations

import hashlib

# What a step is about, for its derived key (a step without an id): e.g. "predict.z_l1.3f2a9c1b".
KEY_FIELDS = ("compute", "quantity", "until", "run", "highlight", "view", "level")


def step_key(raw: dict) -> str:
    """The step's id, or a key derived from the step itself: its kind, what it asks for or shows, and a short hash of
    its text as written (spaces collapsed), e.g. "predict.z_l1.3f2a9c1b". Inserting, removing or moving other steps
    does not change it; rewording the text does (a step with an id keeps its progress then)."""
    if isinstance(raw.get("id"), str) and raw["id"]:
        return raw["id"]
    text = raw.get("text") if isinstance(raw.get("text"), str) else ""
    digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:8]
    about = [raw[k].strip() for k in KEY_FIELDS if isinstance(raw.get(k), str) and raw[k].strip()]
    return ".".join([str(raw.get("kind")), *about, digest])


def step_keys(steps: list) -> list[str]:
    """The keys of a lesson's steps (as read from TOML); a derived key that repeats (identical steps) gets ~2, ~3..."""
    keys, seen = [], {}
    for raw in steps:
        key = step_key(raw if isinstance(raw, dict) else {})
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}~{seen[key]}")
    return keys

