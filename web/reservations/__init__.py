"""The reservations feature's web views."""
