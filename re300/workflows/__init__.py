"""Procedures that solve more than one LP: the myopic pathway (`myopic`) and the premium of hourly RE100 matching
(`re100_premium`). Near-optimal alternatives (MGA) run their solve chains on Dask workers: `re300.sweep`."""
