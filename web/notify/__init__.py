"""The notifications feature's web views."""
