"""Providers: what an admin may register, and how often and how hard a provider may be asked."""
