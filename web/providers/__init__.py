"""The providers feature's web views."""
