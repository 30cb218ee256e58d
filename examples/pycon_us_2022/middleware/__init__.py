"""Implementing Shared Functionality using Middleware (Amit Saha): the page's runnable examples."""
