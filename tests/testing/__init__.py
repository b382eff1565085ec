"""Tests of firecrawl_feedback.testing, the reference (fake) server."""
