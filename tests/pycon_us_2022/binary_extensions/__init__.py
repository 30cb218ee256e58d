"""Tests for the Building a Binary Extension talk: the compiled package, its scripts, its wheels."""
