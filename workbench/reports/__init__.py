"""Reports: a document model rendered to HTML and PDF, charts and static maps, XLSX."""
