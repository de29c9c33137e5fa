"""Supervisory authorities the letters name (legal-rules.md §11: postal addresses verified; nothing unverified)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Authority:
    name: str
    address: tuple[str, ...]
    website: str
    note: str = ""


DATATILSYNET = Authority(
    "Datatilsynet (the Norwegian Data Protection Authority)",
    ("Postboks 458 Sentrum", "0105 Oslo", "Norway"),
    "www.datatilsynet.no",
)
BY_COUNTRY = {
    "NO": DATATILSYNET,
    "FI": Authority(
        "Office of the Data Protection Ombudsman (Tietosuojavaltuutetun toimisto)",
        ("PL 800", "00531 Helsinki", "Finland"),
        "tietosuoja.fi",
    ),
    "PL": Authority(
        "President of the Personal Data Protection Office (Prezes Urzędu Ochrony Danych Osobowych)",
        ("ul. Stawki 2", "00-193 Warszawa", "Poland"),
        "uodo.gov.pl",
    ),
}


def competent_authority(entity_country: str) -> Authority:
    """The authority for the receiving entity; outside the EEA, the state of the EEA representative (Norway)."""
    found = BY_COUNTRY.get(entity_country)
    if found is not None:
        return found
    return Authority(
        DATATILSYNET.name,
        DATATILSYNET.address,
        DATATILSYNET.website,
        note="Our representative in the EEA is established in Norway. You may also complain to the supervisory "
        "authority of the EEA country where you live or work.",
    )
