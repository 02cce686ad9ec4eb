"""The embedded engine: numpy postings in generations on disk, the Whoosh store, tiers and ranking."""
