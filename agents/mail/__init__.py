"""E-mail discovery: the mailbox agent, the mail poller, and the clients and reading they use."""
