"""The Qt-free application layer: the session (Desk), the declared actions and settings forms, long work, the log."""
