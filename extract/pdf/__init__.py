"""PDF bytes -> `Document`: characters (pdfium or pdfplumber), page layout (lines, blocks,
columns, reading order, running headers removed), structure (title, sections, captions,
references) and metadata. Imports only `extract.document` and `extract.stages`."""
