"""Faust agents: the only writers of tables. streams/topics.py is the data-flow map."""
