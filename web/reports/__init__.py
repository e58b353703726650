"""Reports in the web layer: a traveller's year (API, page, card, public links) and the vendor report for support."""
