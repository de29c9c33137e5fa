"""Printable documents composed as HTML, with no Qt: the GUI's PDF writer renders them."""
