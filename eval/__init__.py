"""Evaluation: retrieval quality on judged queries, and comparison-table accuracy."""
