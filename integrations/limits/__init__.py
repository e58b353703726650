"""Shared counters behind the attempt limits: in Redis for every worker, or in this worker's memory."""
