"""Reading an SQLCipher 4 store's pages without SQLCipher: what is on disk, free pages and WAL frames
included, decrypted with the raw key. Tests scan it for text that must be gone (a purge, secure_delete).

SQLCipher 4 with a raw key: AES-256-CBC with the key itself; every page ends with 80 reserved bytes (a
16-byte IV, then the HMAC); page 1 starts with the 16-byte salt instead of the SQLite header."""

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16
WAL_HEADER, FRAME_HEADER = 32, 24


def decrypt_page(page: bytes, key: bytes, *, first: bool) -> bytes:
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    body = page[SALT if first else 0 : PAGE - RESERVE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def decrypted_store(path: Path, key: bytes) -> bytes:
    """Every page of the file and of its -wal, decrypted and joined."""
    pages = []
    data = path.read_bytes()
    for number in range(len(data) // PAGE):
        pages.append(decrypt_page(data[number * PAGE : (number + 1) * PAGE], key, first=number == 0))
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        frames = wal.read_bytes()[WAL_HEADER:]
        step = FRAME_HEADER + PAGE
        for start in range(0, len(frames) - step + 1, step):
            page_number = int.from_bytes(frames[start : start + 4], "big")
            page = frames[start + FRAME_HEADER : start + step]
            pages.append(decrypt_page(page, key, first=page_number == 1))
    return b"".join(pages)
