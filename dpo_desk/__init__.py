"""DPO Desk: a Data Protection Officer's offline desk for data-subject requests."""

__version__ = "0.1.0"
APP_NAME = "DPO Desk"
APP_SLUG = "dpo-desk"
ORG_NAME = "DPO Desk"
