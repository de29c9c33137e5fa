"""Write the e-mail test corpus (tests/data/mail): realistic requests in four languages, as several mail
programs send them, with the awkward parts of real mail. Run once; the files are committed.

    .venv/bin/python scripts/make_mail_corpus.py
"""

from __future__ import annotations

import base64
import quopri
from datetime import UTC, datetime
from email.header import Header
from pathlib import Path

from aspose.email_foss import msg

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "mail"
TO = "DPO Altoros <dpo@altoros.com>"

REQUESTS = {
    "en": [
        ("Subject access request", "Dear DPO,\n\nunder Article 15 GDPR please send me a copy of all personal data "
         "you hold about me, and tell me who you shared it with.\n\nKind regards,\n{name}"),
        ("Please delete my data", "Hello,\n\nI no longer want to hear from you. Please delete my personal data and "
         "unsubscribe me from all newsletters.\n\n{name}"),
        ("Wrong job title in your records", "Hi,\n\nmy job title and phone number in your CRM are wrong; please "
         "correct them to Head of IT and +47 400 00 000.\n\nThanks, {name}"),
        ("Data portability request", "Please export my data in a machine-readable format (JSON or CSV) so I can "
         "transfer it to another provider.\n\n{name}"),
        ("Withdrawal of consent", "I withdraw my consent to being contacted about your webinars and events.\n{name}"),
        ("Restriction of processing", "I contest the accuracy of the data you hold on me. Please restrict the "
         "processing until you have checked it.\n\nRegards,\n{name}"),
    ],
    "nb": [
        ("Innsynsbegjæring", "Hei,\n\njeg ber om innsyn i hvilke personopplysninger dere har lagret om meg, og en "
         "kopi av dem.\n\nMed vennlig hilsen\n{name}"),
        ("Sletting av personopplysninger", "Hei,\n\njeg ber om sletting av alle mine personopplysninger, og at dere "
         "slutter å sende meg markedsføring.\n\nHilsen {name}"),
        ("Retting av opplysninger", "Telefonnummeret mitt er feil i deres system. Kan dere korrigere det?\n\n{name}"),
        ("Samtykke", "Jeg trekker tilbake samtykke til nyhetsbrev fra dere.\n\n{name}"),
    ],
    "fi": [
        ("Tarkastusoikeuspyyntö", "Hei,\n\nhaluan käyttää tarkastusoikeuttani: lähettäkää minulle jäljennös "
         "kaikista minua koskevista henkilötiedoista.\n\nYstävällisin terveisin\n{name}"),
        ("Tietojeni poistaminen", "Pyydän poistamaan tietoni rekisteristänne ja kiellän suoramarkkinoinnin.\n\n"
         "Terveisin {name}"),
        ("Virheellinen osoite", "Osoitteeni on virheellinen. Korjatkaa se, kiitos.\n\n{name}"),
        ("Suostumuksen peruuttaminen", "Peruutan suostumukseni uutiskirjeeseen.\n\n{name}"),
    ],
    "pl": [
        ("Wniosek o dostęp do danych", "Dzień dobry,\n\nna podstawie art. 15 RODO proszę o kopię moich danych "
         "osobowych oraz informację, komu je udostępniono.\n\nZ poważaniem\n{name}"),
        ("Żądanie usunięcia danych", "Dzień dobry,\n\nproszę o usunięcie moich danych osobowych i wypisanie z "
         "newslettera.\n\nPozdrawiam\n{name}"),
        ("Sprzeciw wobec marketingu", "Wnoszę sprzeciw wobec przetwarzania moich danych w celach marketingowych. "
         "Przestańcie wysyłać mi oferty.\n\n{name}"),
        ("Przeniesienie danych", "Proszę o przeniesienie moich danych do innego administratora.\n\n{name}"),
    ],
}
PEOPLE = {"en": ("John Doe", "john.doe"), "nb": ("Kari Nordmann", "kari.nordmann"),
          "fi": ("Matti Meikäläinen", "matti.meikalainen"), "pl": ("Jan Kowalski", "jan.kowalski")}
CHARSETS = {"en": "us-ascii", "nb": "iso-8859-15", "fi": "iso-8859-15", "pl": "iso-8859-2"}
MAILERS = (
    ("X-Mailer", "Microsoft Outlook 16.0"),
    ("User-Agent", "Mozilla Thunderbird 128.3"),
    ("X-Mailer", "Apple Mail (2.3774.600.62)"),
    ("X-Google-Original-From", "Gmail"),
    ("User-Agent", "Roundcube Webmail/1.6.9"),
)


def rfc2047(text: str, charset: str = "utf-8", mode: str = "b") -> str:
    if text.isascii():
        return text
    if mode == "b":
        return Header(text, charset).encode()
    return "=?{}?Q?{}?=".format(charset, quopri.encodestring(text.encode(charset), header=True).decode())


def headers(lang: str, number: int, subject: str, *, date: str | None, mailer: tuple[str, str]) -> list[str]:
    name, local = PEOPLE[lang]
    lines = [
        f"From: {rfc2047(name)} <{local}.{number}@example.com>",
        f"To: {TO}",
        f"Subject: {rfc2047(subject, 'utf-8', 'b' if number % 2 else 'q')}",
        f"Message-ID: <{lang}-{number}-request@mail.example.com>",
        "MIME-Version: 1.0",
        f"{mailer[0]}: {mailer[1]}",
    ]
    if date is not None:
        lines.insert(3, f"Date: {date}")
    return lines


def body_text(lang: str, template: str) -> str:
    return template.format(name=PEOPLE[lang][0])


def write(name: str, lines: list[str]) -> None:
    (OUT / name).write_bytes("\r\n".join(lines).encode("utf-8", "surrogateescape") + b"\r\n")


def plain(lang: str, number: int, subject: str, text: str, *, encoding: str, date: str | None, mailer) -> list[str]:
    charset = "utf-8" if encoding != "8bit" else CHARSETS[lang]
    raw = text.encode(charset if charset != "us-ascii" else "ascii", errors="replace")
    if encoding == "base64":
        payload = base64.encodebytes(raw).decode().splitlines()
    elif encoding == "quoted-printable":
        payload = quopri.encodestring(raw).decode().splitlines()
    else:
        payload = raw.decode(charset if charset != "us-ascii" else "ascii").splitlines()
    return headers(lang, number, subject, date=date, mailer=mailer) + [
        f'Content-Type: text/plain; charset="{charset}"; format=flowed',
        f"Content-Transfer-Encoding: {encoding}",
        "",
        *payload,
    ]


def alternative(lang: str, number: int, subject: str, text: str, date: str, mailer) -> list[str]:
    html = "<html><head><style>p{margin:0}</style></head><body>" + "".join(
        f"<p>{line or '&nbsp;'}</p>" for line in text.splitlines()) + "</body></html>"
    boundary = f"=_alt_{number}"
    return headers(lang, number, subject, date=date, mailer=mailer) + [
        f'Content-Type: multipart/alternative; boundary="{boundary}"', "", f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: base64", "",
        *base64.encodebytes(text.encode()).decode().splitlines(), f"--{boundary}",
        'Content-Type: text/html; charset="utf-8"', "Content-Transfer-Encoding: quoted-printable", "",
        *quopri.encodestring(html.encode()).decode().splitlines(), f"--{boundary}--",
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    number = 0
    encodings = ("quoted-printable", "base64", "8bit")
    for lang, requests in REQUESTS.items():
        for subject, template in requests:
            number += 1
            text = body_text(lang, template)
            date = f"Mon, {number % 27 + 1:02d} Jun 2026 09:{number:02d}:00 +0200"
            mailer = MAILERS[number % len(MAILERS)]
            if number % 3 == 0:
                lines = alternative(lang, number, subject, text, date, mailer)
            else:
                lines = plain(lang, number, subject, text, encoding=encodings[number % 3], date=date, mailer=mailer)
            write(f"{number:02d}-{lang}-{mailer[1].split()[0].lower()}.eml", lines)

    # The awkward ones.
    text = body_text("en", REQUESTS["en"][0][1])
    write("20-en-missing-date.eml", plain("en", 20, "Access request", text, encoding="7bit", date=None,
                                          mailer=MAILERS[1]))
    write("21-en-absurd-date.eml", plain("en", 21, "Access request", text, encoding="7bit",
                                         date="Thu, 01 Jan 1970 00:00:00 +0000", mailer=MAILERS[1]))
    html_only = headers("nb", 22, "Innsyn", date="Tue, 02 Jun 2026 10:00:00 +0200", mailer=MAILERS[4]) + [
        'Content-Type: text/html; charset="iso-8859-1"', "Content-Transfer-Encoding: quoted-printable", "",
        *quopri.encodestring("<html><body><p>Jeg ber om innsyn i mine opplysninger.</p><script>x()</script>"
                             "<p>Hilsen Kari Nordmann</p></body></html>".encode("latin-1")).decode().splitlines(),
    ]
    write("22-nb-html-only.eml", html_only)
    boundary = "=_mixed_23"
    inner = plain("pl", 230, "Żądanie usunięcia", body_text("pl", REQUESTS["pl"][1][1]), encoding="base64",
                  date="Wed, 03 Jun 2026 08:00:00 +0200", mailer=MAILERS[0])
    forwarded = headers("en", 23, "Fwd: Żądanie usunięcia danych", date="Wed, 03 Jun 2026 11:00:00 +0200",
                        mailer=MAILERS[0]) + [
        f'Content-Type: multipart/mixed; boundary="{boundary}"', "", f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"', "",
        "Forwarding a deletion request that reached our Warsaw office.", f"--{boundary}",
        'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="request.eml"', "",
        *inner, f"--{boundary}",
        "Content-Type: application/pdf", "Content-Transfer-Encoding: base64",
        "Content-Disposition: attachment; filename*=UTF-8''wniosek%20o%20usuni%C4%99cie.pdf", "",
        *base64.encodebytes(b"%PDF-1.4\n% fake scan, blacked out\n").decode().splitlines(), f"--{boundary}--",
    ]
    write("23-pl-forward-as-attachment.eml", forwarded)
    chain = plain("fi", 24, "VS: Fwd: Tietojeni poistaminen", "Välitän asiakkaan pyynnön.\n\n---------- Forwarded "
                  "message ---------\nFrom: Matti Meikäläinen <matti@example.fi>\nDate: ma 1. kesäk. 2026\nSubject: "
                  "Tietojeni poistaminen\n\n> Pyydän poistamaan tietoni rekisteristänne.\n> Terveisin Matti",
                  encoding="quoted-printable", date="Thu, 04 Jun 2026 12:00:00 +0300", mailer=MAILERS[3])
    write("24-fi-forwarded-chain.eml", chain)
    odd = headers("pl", 25, "Usunięcie danych", date="Fri, 05 Jun 2026 09:00:00 +0200", mailer=MAILERS[4]) + [
        'Content-Type: text/plain; charset="windows-1250"', "Content-Transfer-Encoding: 8bit", "",
    ]
    (OUT / "25-pl-windows-1250.eml").write_bytes("\r\n".join(odd).encode() + b"\r\n" + "Proszę o usunięcie moich "
                                                "danych. Zażółć gęślą jaźń.\r\nJan Kowalski\r\n".encode("cp1250"))
    broken = plain("en", 26, "Delete me", "Please erase my data.", encoding="7bit",
                   date="Sat, 06 Jun 2026 09:00:00 +0000", mailer=MAILERS[2])
    broken[broken.index('Content-Type: text/plain; charset="utf-8"; format=flowed')] = (
        'Content-Type: multipart/mixed; boundary="never-closed"')
    write("26-en-defective-multipart.eml", broken + ["--never-closed", "Content-Type: text/plain", "",
                                                      "Please erase my data."])
    unknown = plain("nb", 27, "Slett meg", "Slett alle opplysninger om meg.", encoding="7bit",
                    date="Sun, 07 Jun 2026 09:00:00 +0200", mailer=MAILERS[1])
    unknown[unknown.index('Content-Type: text/plain; charset="utf-8"; format=flowed')] = (
        'Content-Type: text/plain; charset="x-unknown-charset"')
    write("27-nb-unknown-charset.eml", unknown)
    bidi = headers("en", 28, "Access request", date="Mon, 08 Jun 2026 09:00:00 +0000", mailer=MAILERS[0])
    bidi[0] = "From: =?utf-8?b?" + base64.b64encode("Ann\u202efdp.exe Example".encode()).decode() + "?= <ann@example.com>"
    write("28-en-bidi-name.eml", bidi + ['Content-Type: text/plain; charset="utf-8"', "", "Please send me a copy of "
                                         "my data."])
    write("29-en-cc-and-delivered-to.eml", ["Delivered-To: dpo@altoros.com"] + plain(
        "en", 29, "Objection", "I object to direct marketing. Stop sending me emails.", encoding="7bit",
        date="Tue, 09 Jun 2026 09:00:00 -0400", mailer=MAILERS[4])[:1] + ["To: sales@altoros.com",
        "Cc: dpo@altoros.com"] + plain("en", 29, "Objection", "I object to direct marketing. Stop sending me emails.",
                                       encoding="7bit", date="Tue, 09 Jun 2026 09:00:00 -0400",
                                       mailer=MAILERS[4])[2:])
    write("30-en-duplicate-of-01.eml", plain("en", 1, REQUESTS["en"][0][0], body_text("en", REQUESTS["en"][0][1]),
                                            encoding="quoted-printable", date="Mon, 02 Jun 2026 09:01:00 +0200",
                                            mailer=MAILERS[1]))

    for index, (lang, (subject, template)) in enumerate((("pl", REQUESTS["pl"][1]), ("nb", REQUESTS["nb"][0])), 31):
        outlook = msg.MapiMessage.create(subject, body_text(lang, template))
        outlook.set_property(msg.PropertyId.SENDER_NAME, PEOPLE[lang][0])
        outlook.set_property(msg.PropertyId.SENDER_EMAIL_ADDRESS, f"{PEOPLE[lang][1]}.{index}@example.com")
        outlook.set_property(msg.PropertyId.MESSAGE_DELIVERY_TIME, datetime(2026, 6, 10, 8, index, tzinfo=UTC))
        outlook.add_recipient("dpo@altoros.com", display_name="DPO Altoros")
        outlook.add_attachment("dowód skan zaczerniony.pdf" if lang == "pl" else "legitimasjon.pdf",
                               b"%PDF-1.4 fake redacted scan\n", mime_type="application/pdf")
        outlook.save(str(OUT / f"{index}-{lang}-outlook.msg"))
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
