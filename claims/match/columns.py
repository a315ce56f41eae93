"""Growable numpy columns, and the range arithmetic the index and the search share."""

from __future__ import annotations

from array import array

import numpy as np


def _starts(lengths: np.ndarray, offset: int) -> np.ndarray:
    """Where each of consecutive segments of these lengths starts, the first at `offset`."""
    starts = np.empty(len(lengths), dtype=np.int64)
    starts[:1] = offset
    np.cumsum(lengths[:-1], out=starts[1:])
    starts[1:] += offset
    return starts


class _Column:
    """A numpy array that grows by doubling, so appends cost amortised O(1).

    While a bulk load fills it (`bulk` ... `finish`), values go to a compact `array.array`
    instead, which grows in place: the arrays' copies made by doubling would raise the peak
    memory of loading a large base by tens of megabytes."""

    __slots__ = ("_building", "data", "size")

    def __init__(self, dtype: type | np.dtype, values: np.ndarray | None = None):
        self._building: array | None = None
        if values is None:
            self.data = np.zeros(64, dtype=dtype)
            self.size = 0
        else:
            self.data = np.asarray(values, dtype=dtype).copy()
            self.size = len(self.data)

    def bulk(self) -> None:
        """Collect appends compactly until `finish`."""
        self._building = array(_TYPECODES[self.data.dtype.char], self.view().tolist())

    def finish(self) -> None:
        """Turn what a bulk load collected into the numpy array, of exactly its size."""
        if self._building is not None:
            # A view on the collected buffer, not a copy: a copy would briefly double the
            # largest columns at the peak of a bulk load. Later appends grow a new array.
            self.data = np.frombuffer(self._building, dtype=self.data.dtype)
            self.size = len(self.data)
            self._building = None

    def extend(self, values: np.ndarray | list[int] | list[bool]) -> int:
        """Append values; return the index of the first."""
        if self._building is not None:
            start = len(self._building)
            self._building.frombytes(np.asarray(values, dtype=self.data.dtype).tobytes())
            return start
        start, end = self.size, self.size + len(values)
        if end > len(self.data):
            grown = np.zeros(max(end, 2 * len(self.data)), dtype=self.data.dtype)
            grown[:start] = self.data[:start]
            self.data = grown
        self.data[start:end] = values
        self.size = end
        return start

    def view(self) -> np.ndarray:
        """The filled part (a view: do not keep it across appends)."""
        return self.data[: self.size]

    @property
    def length(self) -> int:
        """How many values it holds (also while a bulk load fills it)."""
        return len(self._building) if self._building is not None else self.size

# array.array type codes of the columns' numpy types
_TYPECODES = {np.dtype(np.int32).char: "i", np.dtype(np.int64).char: "q", np.dtype(np.bool_).char: "b",
              np.dtype(np.uint64).char: "Q"}


def _ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The indices start..end-1 of every range, concatenated, and each range's length."""
    counts = ends - starts
    offsets = np.cumsum(counts) - counts
    return np.arange(int(counts.sum())) - np.repeat(offsets - starts, counts), counts


def _spans(starts: np.ndarray, ends: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of every span start..end-1, concatenated, and which span each comes from."""
    indices, counts = _ranges(starts, ends)
    return values[indices], np.repeat(np.arange(len(starts)), counts)
