"""Trips: reservations grouped into trips, shared, and followed from calendars."""
