"""Reservations: field validation, commands applied to reservation state, and listings."""
