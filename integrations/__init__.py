"""Integrations: provider adapters, notification channels, mailbox clients and the provider simulator."""
