"""`Document` -> the shared language layer: sentences, abbreviations, the spaCy pipeline
(trained NER heads, the review protocol's ruler, ConText assertions) and the scope of each
sentence (the reported case or the literature). Reads the PDF stage's Document only."""
