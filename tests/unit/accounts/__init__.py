"""Accounts: sign-up, profiles and sessions, and the login, user and session agents."""
