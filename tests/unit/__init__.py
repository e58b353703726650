"""Unit tests, one package per feature as in the source: pure rules, agents through test_context(), local servers."""
