"""Enrich: a corpus report -> paragraphs with section kinds, topics, regulation mentions, concepts and its report card."""
