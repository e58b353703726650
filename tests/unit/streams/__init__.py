"""The stream plumbing: what the topics carry, as the data team's schemas describe it."""
