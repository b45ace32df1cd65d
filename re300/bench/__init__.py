"""`make bench` / `python -m re300.bench`: time each phase and the peak memory of scenario runs; write
outputs/bench/bench.json and bench.md.

Each case runs in a fresh process (so peak RSS is that run's own) with outputs under outputs/bench/runs/.
Default cases: `quick` (2 weeks), the flagship `re300_2050` (24 typical days + the peak-demand and least-wind
days, each in 12 segments: 312 snapshots), the same with HiPO (`re300_2050-hipo`; `<case>-<method>` runs any case with another HiGHS
method), on one week (`re300_2050_week28`), the five-period `pathway` on representative days, and on the full year
(`re300_2050_full`, HiGHS time limit `--full-time-limit`, with interior point (IPX) and with HiPO), and the same LP
through PyPSA (`pypsa:<case>`, built from that run's results.nc inputs: `pypsa:quick` and the week and full-year
cases; the representative-day cases link storage across days, which the PyPSA rebuild refuses).
`--error-table` runs the full year, the default (24 typical days in 12 segments), 16 and 32 segmented days, 8/16/24/32
hourly typical days (`re300_2050_rep<N>h`) and the 3-hourly year, and tabulates their error against the full year.
`--reuse` takes a case's finished outputs from an earlier bench instead of solving again.

    python -m re300.bench [--cases quick,re300_2050,...] [--full-time-limit 1800] [--error-table] [--reuse]

The cases solve the shipped scenarios (models/, inputs/), so the benchmark runs from a source checkout.
Modules: `cases` (the scenario file of each case, one case in a child process, its PyPSA twin), `error_table`
(reduced horizons against the full year), `pypsa` (the same LP rebuilt in PyPSA, an independent cross-check) and
`__main__` (the command: every case, bench.json and bench.md).
"""
