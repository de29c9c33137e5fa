"""Files the app ships: the letter font."""
