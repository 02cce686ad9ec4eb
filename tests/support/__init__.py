"""What the tests share: where things are (:mod:`paths`), the seed corpus and searches over it
(:mod:`seeds`), generated samples, reference matchers in plain Python, a plain evaluator of
query trees on the postings (:mod:`plain_tree`), the server in a child process,
hostile-markup checks and the real-report sample. Imported as ``tests.support``."""
