#!/usr/bin/env bash
# Download, here (with network), the wheels that re300 needs on a GPU machine without network, beyond what its image
# already holds (Python 3.12 with numpy, scipy, pandas, xarray, matplotlib, h5py, pyyaml, requests, scikit-learn,
# tqdm, pytest, pybind11, scikit-build-core): for Python 3.12, manylinux x86_64, into .whl/ (kept out of git through
# .git/info/exclude). scripts/gpu_check.sh installs them there with `pip --no-index`.
#
#   scripts/gpu_wheels.sh            # then carry .whl (and .gpu with cupdlpx-src.tar.gz) to the GPU machine
#
# Versions are the ones re300 is tested with. Not brought: dask/distributed (sweeps only), koreanize-matplotlib
# (memo figures only), the test extras (pypsa, notebooks): the GPU check does not import them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DEST="${WHEEL_DIR:-.whl}"
PY="${PYTHON:-python3}"
exclude="$(git rev-parse --git-path info/exclude)"
mkdir -p "$(dirname "$exclude")" "$DEST"
grep -qxF "/$DEST/" "$exclude" 2>/dev/null || echo "/$DEST/" >> "$exclude"

PACKAGES=(
  pyomo==6.10.1
  highspy==1.15.1
  highspy-extras==1.15.1
  h5netcdf==1.8.3
  pvlib==0.16.1
  pytz==2026.6
  tzdata==2026.6
  pydantic==2.14.4
  pydantic-core==2.50.5
  annotated-types==0.8.0
  typing-inspection==0.4.5
  typing-extensions==4.16.0
  tsam==4.1.1
)
PLATFORMS=(--platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64
           --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64)
"$PY" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  "${PLATFORMS[@]}" -d "$DEST" "${PACKAGES[@]}"

# one version of each package, or pip --no-index stops the whole install
dups="$(ls "$DEST"/*.whl | xargs -n1 basename | cut -d- -f1 | tr 'A-Z-' 'a-z_' | sort | uniq -d)"
if [ -n "$dups" ]; then echo "more than one wheel of: $dups (remove the older ones from $DEST)" >&2; exit 1; fi
echo "== $(ls "$DEST"/*.whl | wc -l) wheels in $DEST ($(du -sh "$DEST" | cut -f1)):"
ls -1 "$DEST"
