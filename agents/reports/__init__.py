"""Reports agents: travel trends, the vendor-month aggregation and its timers, and the publishing of their rows."""
