"""The e-mail extractors: their rules, public samples, bad mail, and the support command."""
