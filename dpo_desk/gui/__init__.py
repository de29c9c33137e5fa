"""The PySide6 GUI: a thin layer of widgets over the core and the store."""
