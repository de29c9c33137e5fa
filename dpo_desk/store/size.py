"""Where a store's bytes go: the pages of each table and index, counted by walking its b-tree.

SQLite's ``dbstat`` table would count them, but the SQLCipher build DPO Desk uses is compiled without it
(``SELECT * FROM dbstat`` answers "no such table"). So the pages are read here: the file's pages, with the
committed frames of its ``-wal`` laid over them, each decrypted with the store's raw key (SQLCipher 4:
AES-256-CBC with the key itself, the page's IV in its reserved bytes; page one starts with the salt), and
each b-tree walked from its root page (https://sqlite.org/fileformat2.html#b_tree_pages). Read only.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

SALT = 16  # SQLCipher 4: page one begins with the salt, not the SQLite header
RESERVED = 80  # SQLCipher 4's bytes at each page's end: the IV (16) and the HMAC-SHA512 (64)
WAL_HEADER, FRAME_HEADER = 32, 24
_U16, _U32 = struct.Struct(">H"), struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class Tree:
    """One table's or index's b-tree: its pages (overflow pages included) and what its cells hold."""

    name: str
    table: str  # the table it belongs to (an index's table; an FTS table's for its shadow tables)
    kind: str  # table, index, or fts (a shadow table of a full-text index)
    pages: int
    cells: int  # rows of a table, entries of an index
    payload: int  # bytes of the cells' content, before page overhead
    overflow_pages: int


@dataclass(frozen=True, slots=True)
class StoreSize:
    file_bytes: int  # the file, and its -wal
    page_size: int
    pages: int
    free_pages: int
    trees: tuple[Tree, ...]

    @property
    def bytes(self) -> int:
        return self.pages * self.page_size

    def lines(self, cases: int) -> list[str]:
        """The report the command line prints, largest b-tree first."""
        per = f", {self.bytes / cases:,.0f} bytes a case" if cases else ""
        lines = [
            f"store: {self.bytes / 1e6:,.1f} MB in {self.pages:,} pages of {self.page_size} bytes "
            f"({self.free_pages:,} free), {cases:,} cases{per}",
            f"{'table or index':<42} {'kind':<6} {'MB':>8} {'share':>6} {'rows':>10} {'payload MB':>10}"
            + (f" {'B/case':>7}" if cases else ""),
        ]
        shown = sorted(
            (tree for tree in self.trees if tree.pages * 1000 >= self.pages), key=lambda t: (-t.pages, t.name)
        )
        for tree in shown:
            size = tree.pages * self.page_size
            row = (
                f"{tree.name:<42} {tree.kind:<6} {size / 1e6:8.1f} {size / self.bytes:6.1%} {tree.cells:>10,} "
                f"{tree.payload / 1e6:10.1f}"
            )
            lines.append(row + (f" {size / cases:7,.0f}" if cases else ""))
        rest = [tree for tree in self.trees if tree.pages * 1000 < self.pages]
        if rest:
            pages = sum(tree.pages for tree in rest)
            lines.append(f"{len(rest)} more, under 0.1% each: {pages * self.page_size / 1e6:.1f} MB together")
        by_table: dict[str, int] = {}
        for tree in self.trees:
            by_table[tree.table] = by_table.get(tree.table, 0) + tree.pages
        lines.append("by table, with its indexes:")
        for table, pages in sorted(by_table.items(), key=lambda item: -item[1]):
            if pages * 1000 < self.pages:
                continue
            lines.append(f"  {table:<40} {pages * self.page_size / 1e6:8.1f} MB {pages / self.pages:6.1%}")
        return lines


def measure(db: Database, path: Path, key: bytes) -> StoreSize:
    """The size of each b-tree of the store at ``path`` (open as ``db``), read from its pages."""
    schema = db.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE rootpage > 0").fetchall()
    fts = {name for _, name, _, _, sql in db.execute("SELECT * FROM sqlite_master") if _is_fts(sql)}
    page_count = int(db.execute("PRAGMA page_count").fetchone()[0])
    schema = [("table", "sqlite_schema", "sqlite_schema", 1, None), *schema]
    with _Pages(path, key) as pages:
        trees = []
        for kind, name, table, root, _ in schema:
            owner = next((f for f in fts if name.startswith(f + "_")), None)
            walked = _walk(pages.read, int(root), pages.usable)
            trees.append(
                Tree(name, owner or table, "fts" if owner else kind, walked[0], walked[1], walked[2], walked[3])
            )
        return StoreSize(pages.file_bytes, pages.page_size, page_count, pages.free_pages, tuple(trees))


def _is_fts(sql: str | None) -> bool:
    return bool(sql) and "VIRTUAL TABLE" in (sql or "").upper() and "USING FTS" in (sql or "").upper()


class _Pages:
    """The store's pages as SQLite reads them now: the file's, and the -wal's committed frames over them."""

    def __init__(self, path: Path, key: bytes) -> None:
        self._file = path.open("rb")
        self._key = key
        self._wal: dict[int, bytes] = {}
        first = self._file.read(4096)
        self._encrypted = bool(key) and not first.startswith(b"SQLite format 3\0")
        header = self._decrypt(first, 1, 4096) if self._encrypted else first
        self.page_size = struct.unpack(">H", header[16:18])[0] or 65536
        self.usable = self.page_size - header[20]
        if self._encrypted and header[20] != RESERVED:
            raise ValueError(f"{path}: {header[20]} reserved bytes a page, not SQLCipher 4's {RESERVED}")
        self.file_bytes = path.stat().st_size
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            self.file_bytes += wal.stat().st_size
            self._wal = _committed_frames(wal.read_bytes(), self.page_size)
        page_one = self.read(1)
        self.free_pages = struct.unpack(">I", page_one[36:40])[0]

    def __enter__(self) -> _Pages:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def read(self, number: int) -> bytes:
        raw = self._wal.get(number)
        if raw is None:
            self._file.seek((number - 1) * self.page_size)
            raw = self._file.read(self.page_size)
        return self._decrypt(raw, number, self.page_size) if self._encrypted else raw

    def _decrypt(self, raw: bytes, number: int, page_size: int) -> bytes:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # only this report needs it

        end = page_size - RESERVED
        start = SALT if number == 1 else 0
        decryptor = Cipher(algorithms.AES(self._key), modes.CBC(raw[end : end + 16])).decryptor()
        body = decryptor.update(raw[start:end]) + decryptor.finalize()
        # Page one's first 16 bytes are the salt on disk; SQLite's header there is "SQLite format 3\0".
        return (b"SQLite format 3\0" if number == 1 else b"") + body


def _committed_frames(data: bytes, page_size: int) -> dict[int, bytes]:
    """Each page's newest frame among the -wal's committed transactions (frames of its header's salts)."""
    if len(data) < WAL_HEADER:
        return {}
    salts = data[16:24]
    frames: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    step = FRAME_HEADER + page_size
    for start in range(WAL_HEADER, len(data) - step + 1, step):
        number, commit = struct.unpack(">II", data[start : start + 8])
        if data[start + 8 : start + 16] != salts:
            break  # a frame of an earlier generation: the log ends before it
        pending[number] = data[start + FRAME_HEADER : start + step]
        if commit:
            frames |= pending
            pending = {}
    return frames


def _walk(read: Callable[[int], bytes], root: int, usable: int) -> tuple[int, int, int, int]:
    """Pages, cells (on leaf pages), payload bytes and overflow pages of the b-tree rooted at ``root``.

    A page's cell pointers are unpacked at once, and a payload size read inline when it takes one or two
    bytes (under 16 KB, nearly every cell): at 100,000 cases the walk reads some 10 million cells."""
    pages = cells = payload = overflow_pages = 0
    spill_room = usable - 4
    stack = [root]
    while stack:
        number = stack.pop()
        page = read(number)
        at = 100 if number == 1 else 0
        kind = page[at]
        count = _U16.unpack_from(page, at + 3)[0]
        pages += 1
        interior = kind in (2, 5)
        pointers = struct.unpack_from(f">{count}H", page, at + (12 if interior else 8))
        if interior:
            stack.append(_U32.unpack_from(page, at + 8)[0])
            stack.extend(_U32.unpack_from(page, cell)[0] for cell in pointers)
            if kind == 5:
                continue  # an interior table cell holds a rowid only
        table = kind == 13
        most = _most_local(usable, table=table)
        skip = 4 if interior else 0  # an index's interior cell: the child's page number, then the payload
        cells += count  # an index's entries are on its interior pages too
        for cell in pointers:
            cell += skip
            first = page[cell]
            if first < 0x80:
                size = first
            elif page[cell + 1] < 0x80:
                size = ((first & 0x7F) << 7) | page[cell + 1]
            else:
                size = _varint(page, cell)[0]
            payload += size
            if size > most:
                overflow_pages += -(-(size - _local(size, usable, table=table)) // spill_room)
    return pages + overflow_pages, cells, payload, overflow_pages


def _local(size: int, usable: int, *, table: bool) -> int:
    """How much of a cell's payload is kept on its page (the rest goes to overflow pages)."""
    most = _most_local(usable, table=table)
    if size <= most:
        return size
    least = (usable - 12) * 32 // 255 - 23
    kept = least + (size - least) % (usable - 4)
    return kept if kept <= most else least


def _most_local(usable: int, *, table: bool) -> int:
    """The largest payload a cell keeps whole on its page."""
    return usable - 35 if table else (usable - 12) * 64 // 255 - 23


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for offset in range(9):
        byte = data[at + offset]
        if offset == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + offset + 1
    raise AssertionError("unreachable")
