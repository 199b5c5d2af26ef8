"""A folder of PDFs -> a `Corpus`: per-document processing (`process`), the local worker
pool and Dask (`workers`), resource guards, the incremental cache, and the corpus step and
writing (`pipeline`). The top of the package: it imports every stage, none imports it."""
