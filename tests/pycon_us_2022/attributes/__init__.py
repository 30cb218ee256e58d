"""Tests for the Understanding Attributes examples."""
