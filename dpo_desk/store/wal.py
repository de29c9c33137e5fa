"""Checking a store's -wal before SQLite replays it. SQLite stops at the first frame whose checksum
fails and drops every frame after it without a word, committed transactions too (a damaged -wal lost
1-20 of 20 cases, then was checkpointed away). The format: https://sqlite.org/fileformat2.html#walformat
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

HEADER = 32
FRAME_HEADER = 24
MAGIC_LITTLE, MAGIC_BIG = 0x377F0682, 0x377F0683


@dataclass(frozen=True, slots=True)
class WalCheck:
    frames: int  # frames of the current generation SQLite would replay
    lost_commits: int  # committed transactions after a damaged frame, which SQLite would drop

    @property
    def damaged(self) -> bool:
        return self.lost_commits > 0


def check_wal(path: Path) -> WalCheck:
    """Walk the -wal's frames as SQLite recovers them; a frame of this generation (its salts match the
    header) that fails its checksum, with a commit after it, is damage. A torn last frame, as a crash
    leaves it, is not: nothing committed follows it."""
    data = path.read_bytes()
    if len(data) < HEADER:
        return WalCheck(0, 0)
    magic, _version, page_size, _sequence, salt1, salt2, check1, check2 = struct.unpack(">8I", data[:HEADER])
    if magic not in (MAGIC_LITTLE, MAGIC_BIG):
        return WalCheck(0, 0)  # not a -wal SQLite would replay
    order = "<" if magic == MAGIC_LITTLE else ">"
    sums = _checksum(data[:24], order, (0, 0))
    if sums != (check1, check2):
        return WalCheck(0, 0)  # SQLite ignores a -wal whose header fails: nothing would be replayed
    frame_size = FRAME_HEADER + page_size
    frames, lost, broken = 0, 0, False
    for start in range(HEADER, len(data) - frame_size + 1, frame_size):
        page, commit_size, frame_salt1, frame_salt2, frame_check1, frame_check2 = struct.unpack(
            ">6I", data[start : start + FRAME_HEADER]
        )
        if (frame_salt1, frame_salt2) != (salt1, salt2):
            continue  # a frame of an earlier generation, left in a reused file
        if broken:
            lost += commit_size != 0
            continue
        sums = _checksum(
            data[start + FRAME_HEADER : start + frame_size], order, _checksum(data[start : start + 8], order, sums)
        )
        if sums != (frame_check1, frame_check2) or page == 0:
            broken = True
            continue
        frames += 1
    return WalCheck(frames, lost)


def _checksum(chunk: bytes, order: str, start: tuple[int, int]) -> tuple[int, int]:
    s0, s1 = start
    for x0, x1 in struct.iter_unpack(f"{order}2I", chunk):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1
