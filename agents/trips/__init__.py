"""Trips: regroup each traveller's trips as reservations change, apply their edits, and end trips on time."""
