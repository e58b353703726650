"""Mailbox clients for e-mail discovery: whitelisted senders' new mail, fetched raw for the extractor."""
