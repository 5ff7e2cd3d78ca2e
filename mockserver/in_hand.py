"""How many requests a worker is answering, in memory it shares with gunicorn's master.

The count is made in the master, with the worker object, before the fork: a stop whose grace period ran out can
then say how many requests the workers it kills still had in hand, which it cannot ask a worker it is killing.
"""

from __future__ import annotations

import mmap
import struct
import threading

COUNT = struct.Struct("q")


class InHand:
    def __init__(self) -> None:
        self._shared = mmap.mmap(-1, COUNT.size)  # anonymous and shared: the forked worker writes, the master reads
        self._lock = threading.Lock()  # a gthread worker's threads change it together

    def add(self, change: int) -> None:
        with self._lock:
            COUNT.pack_into(self._shared, 0, self.count + change)

    @property
    def count(self) -> int:
        return COUNT.unpack_from(self._shared, 0)[0]
