"""Notifications: who hears about a reservation change, when, and in which words."""
