"""Python Oddities Explained (Trey Hunner): runnable companions to the page."""
