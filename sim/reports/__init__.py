"""Reports: the files people read (HTML, PNG plots, CSV tables) for runs and comparisons."""
