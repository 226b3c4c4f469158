"""HTCDS 2.0 (IOM's Human Trafficking Case Data Standard): import and export of
trafficking cases in the Excel template and as XForm submissions of its XLSForm.
docs/htcds.md describes the official files and the mapping to Amparo."""
