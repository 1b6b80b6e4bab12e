"""Experiments: runs of the model and what is computed over many of them.

`runner` runs one scenario to its tables; `replications` runs many with common random
numbers on an engine (`engines/`: a local process pool or dask); `compare`, `sweep` and
`sensitivity` analyse them.
"""
