"""Finding Penguins with a Snake (Mario Corchero): Linux features through the standard library."""
