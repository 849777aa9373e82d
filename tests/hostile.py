"""Hostile files made cheaply for the tests: .npz members with hand-written headers, zip fields patched, values
written as TOML however deep or odd."""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
from dataclasses import dataclass

import numpy as np
from numpy.lib import format as npy

from tutor.engine.network import Network


def npy_bytes(array=None, *, descr: str | None = None, shape: tuple | None = None, fortran: bool = False,
              data: bytes | None = None) -> bytes:
    """A .npy file: `array`'s, or a header declaring `descr` and `shape` followed by `data` (default none)."""
    out = io.BytesIO()
    if array is not None:
        npy.write_array(out, np.asarray(array), allow_pickle=False)
        return out.getvalue()
    npy.write_array_header_1_0(out, {"descr": descr, "fortran_order": fortran, "shape": shape})
    return out.getvalue() + (data or b"")


def network_members(network: Network | None = None) -> dict[str, bytes]:
    """The members tutor's save_network writes, as .npy bytes by name."""
    network = network or Network([3, 4, 2], seed=1)
    members = {"sizes.npy": npy_bytes(np.array(network.sizes, dtype=np.int64))}
    for i, (w, b) in enumerate(zip(network.weights, network.biases)):
        members[f"w{i}.npy"], members[f"b{i}.npy"] = npy_bytes(w), npy_bytes(b)
    return members


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def patch_zip(raw: bytes, name: str, *, method: int | None = None, flags: int | None = None) -> bytes:
    """`raw` with member `name`'s compression method and/or flag bits set, in its local and central headers."""
    raw = bytearray(raw)
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        info, start = zf.getinfo(name), zf.start_dir
    at = start  # the central directory: one 46-byte record (then name, extra, comment) per member
    while raw[at: at + 4] == b"PK\x01\x02":
        n, e, c = struct.unpack_from("<HHH", raw, at + 28)
        if raw[at + 46: at + 46 + n].decode() == name:
            break
        at += 46 + n + e + c
    for header, (flag_at, method_at) in ((info.header_offset, (6, 8)), (at, (8, 10))):
        if flags is not None:
            struct.pack_into("<H", raw, header + flag_at, flags)
        if method is not None:
            struct.pack_into("<H", raw, header + method_at, method)
    return bytes(raw)


@dataclass(frozen=True)
class Raw:
    """Text put into a file as it is: what a structured value cannot be (nesting 1000 deep, 5,000 digits)."""

    text: str


class Deep(int):
    """A number inside `self` nested arrays, written as TOML without recursing (see toml)."""


def toml(value, ascii_only: bool = True) -> str:
    """A value as TOML (inline tables for dicts): Raw as it is, Deep as nested arrays; strings as JSON writes them,
    all ASCII, or (ascii_only False) with their own characters, DEL escaped as TOML requires."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Deep):
        return "[" * value + "1" + "]" * value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value) if ascii_only else json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(toml(v, ascii_only) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml(v, ascii_only)}" for k, v in value.items()) + "}"
