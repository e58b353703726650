"""What every feature's rules share: domain errors, whole numbers from text, places and clocks."""
