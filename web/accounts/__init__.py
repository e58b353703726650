"""The accounts feature's web views."""
