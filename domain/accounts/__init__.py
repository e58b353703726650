"""Accounts: sign-up and profile rules, and refresh-token families with reuse detection."""
