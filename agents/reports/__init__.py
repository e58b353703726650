"""Reports: keep each traveller's facts as reservations, trips and tracked changes flow, and publish each
year's figures to the data team."""
