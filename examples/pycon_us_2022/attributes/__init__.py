"""Understanding Attributes (Reuven M. Lerner): attribute lookup and descriptors, in Python."""
