"""Integrations: provider adapters, notification channels and mailbox clients."""
