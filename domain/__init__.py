"""Pure rules, one package per feature: no I/O, no app, and no import from the layers that use them."""
