"""Tracking: provider snapshots and subjects, poll timetables, diffs, and the news they bring a reservation."""
