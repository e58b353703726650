"""Trips: reservations grouped into trips, their names and ends, and who may see or change them."""
