"""The domain of DPO Desk: types and rules, with no Qt and no SQL."""
