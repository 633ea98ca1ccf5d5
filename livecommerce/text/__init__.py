"""Text handling shared by services: the folding normaliser that catches disguised words."""
