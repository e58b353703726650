"""Reports: a traveller's year in travel, from facts each reservation, trip and tracked change contributes."""
