"""Reservations: field validation, commands, listings, and their agents."""
