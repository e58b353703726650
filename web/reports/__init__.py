"""Reports: a traveller's year in travel (/api/v1/me/summary/{year})."""
