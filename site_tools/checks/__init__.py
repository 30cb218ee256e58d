"""What the test suite runs besides the tests: page rules, the Sybil set-up, the built site."""
