"""The trips feature's web views."""
