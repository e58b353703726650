"""E-mail discovery: mailbox connections, sender filters, sealed secrets, and mail merged into bookings."""
