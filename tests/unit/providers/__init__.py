"""Providers: the breaker and request limits, the adapters, and the provider simulator."""
