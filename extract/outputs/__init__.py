"""Tables -> files: the table schemas (the column contract), Parquet/CSV/DuckDB writers,
the Excel workbook, the HTML report with its plots and annotated page images."""
