"""Notifications: rules and wording, the notifier's agents, the dispatcher, hub and channels."""
