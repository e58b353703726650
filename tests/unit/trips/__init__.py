"""Trips: grouping, naming, ending and sharing rules."""
