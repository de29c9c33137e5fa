"""Subject data collection: the files source systems export, read and matched to a case's subject."""
