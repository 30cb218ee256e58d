"""What the talks' examples share: one command-line convention, a background HTTP server, and
where benchmark results and their environment stamp are saved. Not talk content: the examples
of each talk are under examples/<event>/<talk>/."""
