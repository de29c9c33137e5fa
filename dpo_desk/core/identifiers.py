"""How a subject is recognised again: the keys of an e-mail, a phone and a name with its postal address.

Every comparison of identifiers (repeat requests, the suppression list) goes through these keys, so that
"Kari.Nordmann@Example.NO", "+47 912 34 567" and "Storgata 1,\n0155 Oslo" match however they were typed.
"""

from __future__ import annotations

import re
import unicodedata

from dpo_desk.core.errors import InputError

_PUNCTUATION = re.compile(r"[^\w]+", flags=re.UNICODE)


def check_email(email: str, *, field: str = "subject.emails") -> str:
    """The address as typed (trimmed) when its syntax is valid; whether the mailbox exists is for the mail
    server to say, so nothing is looked up."""
    # Loaded when first used, as phonenumbers is: together 65 ms of the window's start, which checks nothing.
    from email_validator import EmailNotValidError, validate_email

    email = email.strip()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        reason = str(error).rstrip(".")
        raise InputError(f"{field}: {email!r} is not an e-mail address: {reason[:1].lower()}{reason[1:]}") from None
    return email


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str, country: str, *, field: str = "subject.phones") -> str:
    """The number in E.164 ("+4791234567"); a number without its country code is read as one of ``country``
    (the receiving entity's)."""
    import phonenumbers

    region = country.upper() if country.upper() in phonenumbers.SUPPORTED_REGIONS else None
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise InputError(
            f"{field}: {phone.strip()!r} is not a phone number; give it with its country code, such as +47 22 00 00 00"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_key_or_none(phone: str, country: str) -> str | None:
    """For numbers stored before they were checked: those that cannot be read match nothing."""
    try:
        return phone_key(phone, country)
    except InputError:
        return None


def name_key(name: str) -> str:
    """A name as compared: letters and digits only, casefolded, in the order written."""
    return _words(name)


def postal_key(name: str, address: str) -> str:
    """A name with its postal address, as compared; empty unless both are given (a name alone is a hint,
    never a match: two people share a name, rarely a name and a door)."""
    name_part, address_part = _words(name), _words(address)
    return f"{name_part}|{address_part}" if name_part and address_part else ""


def _words(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())
