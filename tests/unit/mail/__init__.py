"""E-mail discovery: mailboxes, filters, secrets, bookings, the mail clients, agent and poller."""
