"""Reports agents: the vendor-month aggregation, its timers, and the publishing of its rows."""
