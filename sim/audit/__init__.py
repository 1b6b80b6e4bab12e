"""The audit: which answers of the model rest on which of its assumptions."""
