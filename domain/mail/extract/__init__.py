"""Confirmation e-mail -> canonical reservations: the message split into parts, each part read by its extractor."""
