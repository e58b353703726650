"""Tracking: follow reservations by subject, poll providers on a timetable, diff and record what changed."""
