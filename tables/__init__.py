"""Faust tables (RocksDB-backed, one changelog topic each): one concern per module."""
