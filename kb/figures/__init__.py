"""Figures: the numbers the paragraphs state, the stored table of them, and the answers about them."""
