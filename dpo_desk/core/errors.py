"""Errors the user can act on, as opposed to bugs."""


class DeskError(Exception):
    """A problem with what the user asked for; the message says what and where, in one line."""


class InputError(DeskError):
    """Input that is malformed, impossible or incomplete."""


class NotFoundError(DeskError):
    """A reference, entity or record that does not exist."""


class RefusedError(DeskError):
    """An action the rules do not allow in the current state."""
