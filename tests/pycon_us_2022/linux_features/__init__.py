"""Tests for the examples of "Finding Penguins with a Snake" (Linux features)."""
