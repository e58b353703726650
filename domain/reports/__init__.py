"""Reports: a traveller's year, vendor statistics per month and travel trends, as stream aggregations."""
