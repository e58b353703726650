"""The rules every feature shares: places and clocks, whole numbers from text."""
