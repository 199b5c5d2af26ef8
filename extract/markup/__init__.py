"""Text with no PDF behind it -> `Document`: plain text (`text`), and marked-up articles,
PMC JATS (`jats`) and GROBID TEI (`tei`), whose sections, references and citation links
come from the markup (`builder`). Provenance is offsets into the text; there are no pages,
so `page` is null."""
