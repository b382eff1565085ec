"""Benchmarks of firecrawl_feedback against its floors; run through scripts/bench.py."""
