"""What leaves DPO Desk for the subject or another controller: the portability bundle and the access copy."""
