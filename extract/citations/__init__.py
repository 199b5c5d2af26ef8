"""`Document` -> `references` and `citations` rows (the reference list parsed by a CRF,
in-text markers linked), then, across the corpus, `works` (references merged), the citation
graph, its analyses and its export files."""
