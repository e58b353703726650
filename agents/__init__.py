"""Faust agents, one package per feature: the only writers of tables. streams/topics.py is the data-flow map.

Agents keep the names they had when agents/ was flat (``name="agents.<module>.<function>"``): Faust names an
agent after its module, and `faust agents` and the worker's logs show that name. Timers keep theirs too.
"""
