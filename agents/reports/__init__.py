"""Reports: keep the travel-trends aggregation up to date as reservations change."""
