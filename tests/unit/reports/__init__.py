"""Reports: aggregation rules, summaries and exports."""
