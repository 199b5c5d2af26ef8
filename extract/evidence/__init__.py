"""`Document` (+ the nlp, timings and citations stages' results) -> the review's facts:
subtypes, treatments with status and outcome, causes, patients, cases and the long
`evidence` table, read with the review protocol's vocabulary."""
