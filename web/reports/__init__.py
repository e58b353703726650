"""Reports in the web layer: the vendor report for support staff (API and page)."""
