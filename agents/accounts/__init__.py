"""Accounts: sign-up and logins, user profiles, refresh-token sessions, and the administrator at start."""
