"""Reservations: apply each command to its reservation, and keep each user's index for listings."""
