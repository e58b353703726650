"""Trips: regroup each traveller's trips as reservations change, apply their edits, end trips on time, and
keep each traveller's calendar feed."""
