"""Reports: travellers' years, vendors' months and the data team's analytics, aggregated as the streams flow."""
