"""Text with no PDF behind it -> `Document`: plain text (and, by the same model, marked-up
articles). Provenance is offsets into the text; there are no pages, so `page` is null."""
