"""Requests that arrive by e-mail: reading .eml and Outlook .msg files safely, and what they ask for."""
