"""Faust agents: the only writers of tables. topics.py is the data-flow map."""
