"""The mail-discovery feature's web views."""
