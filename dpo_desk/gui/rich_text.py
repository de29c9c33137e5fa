"""Putting the DPO's own words into rich-text labels safely."""

import html


def escape(text: str) -> str:
    """Plain text for a rich-text label: <, > and & escaped, quotes kept as typed (labels show them as is)."""
    return html.escape(text, quote=False)
