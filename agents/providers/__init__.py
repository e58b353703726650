"""Providers: the registry an admin keeps, and the gate every call to a provider goes through."""
