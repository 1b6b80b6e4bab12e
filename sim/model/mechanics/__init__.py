"""The weekly mechanics, one module per process: time budget, pipeline, coaching, initiatives."""
