"""`Document` -> `timings` rows: every temporal expression normalised to ISO 8601 and tied
to the event it times; plus the number words and ranges the rules share. Uses the nlp
stage's sentences."""
