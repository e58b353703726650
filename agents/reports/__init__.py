"""Reports agents: each traveller's year facts, travel trends, the vendor-month aggregation, their timers, and the
publishing of their rows to the data team."""
