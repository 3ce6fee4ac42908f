"""Short-lived copies kept in each worker's memory, valid while their data's stamp holds."""

import threading
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class KeptCopy:
    stamp: tuple
    kept_until: datetime
    copy: object


class KeptCopies:
    """Copies of what a page shows (a rendered page, an answer, a list), kept by this worker
    while the data they come from has the same stamp, until a moment the caller chooses: a busy
    page then skips its queries and its templates. At most `most` are kept; the oldest go first."""

    def __init__(self, most: int):
        self.most = most
        self.copies: dict[object, KeptCopy] = {}
        self.lock = threading.Lock()

    def get(self, key, stamp: tuple, now: datetime):
        kept = self.copies.get(key)
        if kept is None or kept.stamp != stamp or not now < kept.kept_until:
            return None
        return kept.copy

    def keep(self, key, stamp: tuple, kept_until: datetime, copy) -> None:
        with self.lock:
            self.copies.pop(key, None)
            while len(self.copies) >= self.most:
                self.copies.pop(next(iter(self.copies)))
            self.copies[key] = KeptCopy(stamp, kept_until, copy)

    def forget(self) -> None:
        with self.lock:
            self.copies.clear()
