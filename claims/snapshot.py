"""A whole index in one piece, so that a restart restores it instead of building it claim by claim.

At 100,000 claims, building the index from each claim's stored entry (`claims.store.terms`)
still costs seconds of a restart: every entry is parsed and every term interned. A snapshot is
the index itself (`claims.match.IndexState`) written as one value, with the key of each claim
it holds (a hash of the claim as stored, `claims.store.terms.claim_key`): a restart that finds
every claim as it was restores it in one step, and one that finds a few claims changed
restores it and re-indexes those (see `claims.engines`).

The database may be shared, so what is read back is data, never code: a header of JSON (the
terms, the claim ids and keys, and where each array lies) followed by the arrays' raw bytes, in
types named in `claims.match.STATE_ARRAYS` only, and a checksum of all of it. A value that is
cut short or damaged is refused whole (`SnapshotError`), never half-used.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass

import numpy as np

from claims.match import STATE_ARRAYS, IndexState

# 2: the weights are no longer stored (they follow from the rest); a snapshot of format 1 is
# refused as another format, and the restart builds the index from the entries instead.
MAGIC = b"crosscheck index snapshot 2\n"
_LENGTH = struct.Struct("<Q")  # the header's length in bytes
_CHECKSUM_BYTES = 32
_ALIGN = 8  # each array starts at a multiple of this, so it can be read in place


class SnapshotError(ValueError):
    """A stored snapshot that cannot be used (damaged, cut short, or of another format)."""


@dataclass
class Snapshot:
    """An index and the key of each claim it holds (None for a removed claim's row)."""

    state: IndexState
    keys: list[str | None]


def encode(snapshot: Snapshot) -> bytearray:
    """The snapshot as bytes (`decode` reads them back)."""
    state = snapshot.state
    if len(snapshot.keys) != len(state.ids):
        raise ValueError(f"{len(snapshot.keys)} claim keys for {len(state.ids)} index rows")
    placed = []
    offset = 0
    for name in STATE_ARRAYS:
        values = np.ascontiguousarray(state.arrays[name], dtype=STATE_ARRAYS[name][0].newbyteorder("<"))
        placed.append((name, values, offset))
        offset += -(-values.nbytes // _ALIGN) * _ALIGN
    header = json.dumps({
        "arrays": [[name, values.dtype.str, at, len(values)] for name, values, at in placed],
        "terms": state.terms, "ids": state.ids, "keys": snapshot.keys, "slot_sets": state.slot_sets,
        "slot_bits": [list(bit) for bit in state.slot_bits],
    }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    start = len(MAGIC) + _LENGTH.size + len(header)
    start += -start % _ALIGN
    out = bytearray(start + offset + _CHECKSUM_BYTES)
    out[:len(MAGIC)] = MAGIC
    out[len(MAGIC):len(MAGIC) + _LENGTH.size] = _LENGTH.pack(len(header))
    out[len(MAGIC) + _LENGTH.size:len(MAGIC) + _LENGTH.size + len(header)] = header
    for _, values, at in placed:
        out[start + at:start + at + values.nbytes] = values.tobytes()
    out[-_CHECKSUM_BYTES:] = _checksum(memoryview(out)[:-_CHECKSUM_BYTES])
    return out


def decode(blob: bytes | bytearray) -> Snapshot:
    """The snapshot `encode` wrote; SnapshotError when the bytes are not exactly that.

    The arrays are read-only views into `blob`: `claims.match.Matcher.restored` copies them."""
    view = memoryview(blob)
    if len(view) < len(MAGIC) + _LENGTH.size + _CHECKSUM_BYTES or bytes(view[:len(MAGIC)]) != MAGIC:
        raise SnapshotError("not an index snapshot of this format")
    if _checksum(view[:-_CHECKSUM_BYTES]) != bytes(view[-_CHECKSUM_BYTES:]):
        raise SnapshotError("the snapshot's checksum does not match: it is damaged or cut short")
    (length,) = _LENGTH.unpack_from(view, len(MAGIC))
    header_end = len(MAGIC) + _LENGTH.size + length
    if header_end > len(view) - _CHECKSUM_BYTES:
        raise SnapshotError("the snapshot's header runs past its end")
    try:
        header = json.loads(bytes(view[len(MAGIC) + _LENGTH.size:header_end]).decode("utf-8"))
        start = header_end + (-header_end % _ALIGN)
        arrays: dict[str, np.ndarray] = {}
        for name, dtype, at, count in header["arrays"]:
            if name not in STATE_ARRAYS or np.dtype(dtype) != STATE_ARRAYS[name][0].newbyteorder("<"):
                raise SnapshotError(f"the snapshot holds an unknown array {name!r} of type {dtype!r}")
            size = np.dtype(dtype).itemsize * count
            if at < 0 or count < 0 or start + at + size > len(view) - _CHECKSUM_BYTES:
                raise SnapshotError(f"the snapshot's array {name!r} runs past its end")
            values = np.frombuffer(blob, dtype=dtype, count=count, offset=start + at)
            arrays[name] = values.astype(STATE_ARRAYS[name][0], copy=False)
        state = IndexState(arrays=arrays, terms=header["terms"], ids=header["ids"], slot_sets=header["slot_sets"],
                           slot_bits=[tuple(bit) for bit in header["slot_bits"]])
        keys = header["keys"]
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, SnapshotError):
            raise
        raise SnapshotError(f"the snapshot's header does not read back: {exc}") from exc
    if not isinstance(keys, list) or len(keys) != len(state.ids):
        raise SnapshotError("the snapshot has not one claim key per row")
    return Snapshot(state, keys)


def _checksum(data: memoryview) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECKSUM_BYTES).digest()
