"""Putting the DPO's own words into rich-text labels safely."""

import html


def escape(text: str) -> str:
    """Plain text for a rich-text label: <, > and & escaped, quotes kept as typed (labels show them as is)."""
    return html.escape(text, quote=False)


def sentence(text: str) -> str:
    """Capital first letter, the rest as written ("DSR-2026-0001" and "Art. 12(5)" keep their case)."""
    return text[:1].upper() + text[1:]
