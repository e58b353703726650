"""What only development, tests and benchmarks use; not part of the installed package."""
