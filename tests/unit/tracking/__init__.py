"""Tracking: snapshots, subjects, schedules and diffs, the tracking agents and the poller."""
