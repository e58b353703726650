"""Notifications: changes routed to their users, published, delivered through each channel, retried."""
