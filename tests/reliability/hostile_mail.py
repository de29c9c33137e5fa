"""Suite T12's hostile mail, made in memory: what stalled the parser, at sizes that did."""

from __future__ import annotations

HEAD = b"From: Kari <kari@example.no>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0100\r\nMessage-ID: <h@example.no>\r\n"


def _mail(headers: bytes, body: bytes = b"Jeg ber om innsyn.\r\n") -> bytes:
    return HEAD + headers + b"\r\n" + body


_REQUEST = b"Jeg ber om innsyn i alle opplysninger dere har om meg, og i hvem som har mottatt dem.\r\n"


def _addresses(count: int, start: int = 0) -> bytes:
    return b", ".join(b"person%d@example.com" % number for number in range(start, start + count))


def corpus() -> dict[str, bytes]:
    """Each one either reads or is refused, in well under 2 s."""
    word = b"=?utf-8?q?innsyn?="
    to_us = b"To: privacy@altoros.no\r\n"
    return {
        # Measured before the limits: 92 s in read_mail, 10.5 s, and so on.
        "subject of 50,000 encoded words": _mail(to_us + b"Subject: " + b" ".join([word] * 50_000) + b"\r\n"),
        "20,000 To addresses": _mail(b"Subject: x\r\nTo: " + _addresses(20_000) + b"\r\n"),
        "5,000 header fields": _mail(to_us + b"Subject: x\r\n" + b"X-Trace: a\r\n" * 5_000),
        "a 40 KB folded header": _mail(to_us + b"Subject: x\r\nX-Long: a\r\n" + b" folded line\r\n" * 3_000),
        "a part whose file name is 50,000 encoded words": _mail(
            to_us + b"Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n",
            b"--b\r\nContent-Type: text/plain\r\n\r\ninnsyn\r\n--b\r\nContent-Type: application/pdf\r\n"
            b'Content-Disposition: attachment; filename="'
            + b" ".join([word] * 50_000)
            + b'"\r\n\r\nJVBERi0=\r\n--b--\r\n',
        ),
        # The parser holds some eight times a part's size: 49 MB of text took 1.9 s and 375 MB.
        "a 6 MB text body": _mail(to_us + b"Subject: x\r\n", _REQUEST * (6 * 2**20 // len(_REQUEST))),
        "a 6 MB text part beside an attachment": _mail(
            to_us + b'Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
            b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + _REQUEST * (6 * 2**20 // len(_REQUEST))
            + b"\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n"
            b"\r\nJVBERi0=\r\n--b--\r\n",
        ),
        # Just inside the limits: read, and quickly.
        "a 4 MB text body": _mail(to_us + b"Subject: x\r\n", _REQUEST * (4 * 2**20 // len(_REQUEST))),
        "a 6 MB attachment": _mail(
            to_us + b"Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n",
            b"--b\r\nContent-Type: text/plain\r\n\r\ninnsyn\r\n--b\r\nContent-Type: application/pdf\r\n"
            b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=id.pdf\r\n\r\n"
            + b"JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0KeJwrVAhUKFQwAAAwAwMK\r\n"
            * (6 * 2**20 // 86)
            + b"--b--\r\n",
        ),
        "eight To fields of 30 KB": _mail(
            b"Subject: x\r\n" + b"".join(b"To: " + _addresses(1_300, n * 1_300) + b"\r\n" for n in range(8))
        ),
        "a subject of 1,700 encoded words": _mail(to_us + b"Subject: " + b" ".join([word] * 1_700) + b"\r\n"),
    }
