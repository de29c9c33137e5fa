"""How long work says how far it is: a task's ``progress`` (see ``application/jobs.py``) fits this."""

from collections.abc import Callable

# done, total and what is being done ("Writing page 3 of 40…"); it may raise to stop the work.
Progress = Callable[[int, int, str], None]
