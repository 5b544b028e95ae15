"""Compare: hits → the region × aspect table with quotes and sources in every cell."""
