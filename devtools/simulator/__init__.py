"""Provider simulator: seeded flights, hotels, cars and GDS records behind the standard interface."""
