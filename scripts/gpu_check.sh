#!/usr/bin/env bash
# The GPU check of issue 17, for a bare machine with an NVIDIA GPU and no network (Python 3.12 with numpy, scipy,
# pandas, xarray, matplotlib, pybind11 and scikit-build-core installed; CUDA toolkit with nvcc; cmake). From the
# repository root, with two folders brought along (both kept out of git):
#   .gpu/cupdlpx-src.tar.gz   the offline cuPDLPx 0.3.0 bundle (shared/gpu/README.md)
#   .whl/                      the wheels of scripts/gpu_wheels.sh
#
#   scripts/gpu_check.sh                  # about 5-7 minutes; prints every figure, and copies them to $OUT if set
#
# Steps: build cuPDLPx and its Python module from the bundle (skipped if `import cupdlpx` already works); install
# the wheels and re300 into a scratch folder (mktemp -d; pip --no-index); the CPU tests of the GPU path and `pytest -m gpu`; the
# full-year flagship `re300 solve models/re300_2050_full.yaml` (phase table, objective against the HiGHS reference,
# quality); then, while the time budget lasts, scripts/gpu_measure.py (tolerances against IPX on the flagship and
# on the full year, crossover on the full year with a time limit).
# Environment: CHECK_BUDGET_S (default 450: no optional stage starts after it), CROSSOVER_S (default 90),
# TOLERANCES (default 1e-4,1e-5,1e-6,1e-7).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
T0=$(date +%s)
BUDGET="${CHECK_BUDGET_S:-450}"
SCRATCH="$(mktemp -d -t re300-gpu.XXXXXX)"   # build, site-packages and outputs of this check
LOG_DIR="${OUT:-$SCRATCH/log}"
mkdir -p "$LOG_DIR"
LOG="$LOG_DIR/gpu_check.log"
exec > >(tee "$LOG") 2>&1
elapsed() { echo $(( $(date +%s) - T0 )); }
stage() { echo; echo "==== [$(elapsed) s] $*"; }
fail() { echo "GPU CHECK FAILED: $*"; exit 1; }
PY=python3

stage "machine"
nvidia-smi -L || fail "nvidia-smi found no GPU"
$PY --version; nvcc --version | tail -n 1; cmake --version | head -n 1
git log --oneline -1 2>/dev/null || true

# cuBLAS / cuSPARSE of the pip wheels (if that is where they are) on the loader's path, for the module's import
NV_LIB="$($PY - <<'EOF' 2>/dev/null
import glob, os
try:
    import nvidia
    for r in nvidia.__path__:
        for d in (os.path.join(r, "cu13", "lib"), os.path.join(r, "cu12", "lib")):
            if glob.glob(os.path.join(d, "libcusparse.so*")):
                print(d); raise SystemExit
except ImportError:
    pass
EOF
)"
[ -n "$NV_LIB" ] && export LD_LIBRARY_PATH="$NV_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

stage "cuPDLPx: build from the bundle"
if $PY -c "import cupdlpx" 2>/dev/null; then
  echo "cupdlpx already importable: $($PY -c 'import cupdlpx; print(cupdlpx.__version__, cupdlpx.__file__)')"
else
  [ -f .gpu/cupdlpx-src.tar.gz ] || fail ".gpu/cupdlpx-src.tar.gz missing (copy shared/gpu/cupdlpx-src.tar.gz there)"
  B="$SCRATCH/cupdlpx-build"; mkdir -p "$B"
  tar xzf .gpu/cupdlpx-src.tar.gz -C "$B" || fail "cannot unpack the bundle"
  t=$(date +%s)
  (cd "$B/cupdlpx-offline" && BUILD_PYTHON=1 ./build_h200.sh > "$LOG_DIR/cupdlpx_build.log" 2>&1) \
    || { tail -n 40 "$LOG_DIR/cupdlpx_build.log"; fail "cuPDLPx build failed (log: $LOG_DIR/cupdlpx_build.log)"; }
  tail -n 3 "$LOG_DIR/cupdlpx_build.log"
  echo "built in $(( $(date +%s) - t )) s"
fi

stage "re300 and its wheels into $SCRATCH/site (no network)"
ls .whl/*.whl >/dev/null 2>&1 || fail ".whl/ holds no wheels (run scripts/gpu_wheels.sh where there is network)"
$PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SCRATCH/site" .whl/*.whl \
  || fail "pip could not install the wheels"
export PYTHONPATH="$ROOT:$SCRATCH/site${PYTHONPATH:+:$PYTHONPATH}"
if ! $PY -m pip install -q --no-index --no-deps --no-build-isolation --no-compile --no-cache-dir --target "$SCRATCH/site-re300" . ; then
  echo "(re300 not installed as a package; it runs from the checkout on PYTHONPATH)"
fi
$PY - <<'EOF' || fail "imports"
import importlib
for name in ("re300", "pyomo", "highspy", "pvlib", "tsam", "pydantic", "h5netcdf", "numpy", "pandas", "xarray", "scipy", "cupdlpx"):
    m = importlib.import_module(name)
    print(f"{name} {getattr(m, '__version__', '')} {getattr(m, '__file__', '')}")
from re300.solve.cupdlpx import check_available, gpu_devices
check_available()
print("GPU:", gpu_devices())
EOF

stage "CPU tests of the GPU path (stand-in module, crossover, errors, quality)"
$PY -m pytest -q -p no:cacheprovider tests/test_cupdlpx.py tests/test_quality.py 2>&1 | tail -n 15

stage "pytest -m gpu"
$PY -m pytest -m gpu -q -rA -s -p no:cacheprovider tests/test_cupdlpx_gpu.py 2>&1 | grep -E "^\[gpu\]|passed|failed|PASSED|FAILED|SKIPPED|Error|error" | cut -c1-1500
GPU_RC=${PIPESTATUS[0]}

stage "full hourly year: re300 solve models/re300_2050_full.yaml"
$PY -m re300.cli solve models/re300_2050_full.yaml --output-dir "$SCRATCH/out" 2>&1 | grep -v "^ *[0-9]\+ \+[0-9]" | tail -n 40
FULL_RC=${PIPESTATUS[0]}
M="$SCRATCH/out/re300_2050_full/manifest.json"
if [ -f "$M" ]; then
  cp "$M" "$LOG_DIR/manifest_full.json"
  $PY - "$M" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
s, t = m["solver"], m["timings_s"]
ref = 20013.109
obj = s["objective_bn_krw_per_yr"]
print(f"GPU: {s.get('gpu')}; cuPDLPx {s.get('cupdlpx_version')}, status {s['status']} ({s.get('cupdlpx_status')}), "
      f"{s.get('cupdlpx_iterations')} iterations, tolerance {s.get('tolerance')}")
print(f"objective {obj:,.3f} bn KRW/yr vs HiGHS IPX reference {ref:,.3f} (rel {abs(obj - ref) / ref:.1e})")
print(f"LP {s['rows']:,} x {s['columns']:,} ({s['nonzeros']:,} nnz)")
print("phase table (s): " + ", ".join(f"{k} {v:.2f}" for k, v in t.items()))
print("solve phase (s): " + ", ".join(f"{k} {v:.2f}" for k, v in s["timings_s"].items()))
q = s["quality"]
print("quality: " + ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in q.items()))
EOF
else
  echo "no manifest: the full-year run failed (exit $FULL_RC)"
fi

left=$(( BUDGET - $(elapsed) ))
stage "tolerance measurements (scripts/gpu_measure.py, $left s left of the budget)"
if [ "$left" -gt 60 ]; then
  $PY scripts/gpu_measure.py --budget-s "$(( left - 30 ))" --full-crossover-s "${CROSSOVER_S:-90}" \
    --tolerances "${TOLERANCES:-1e-4,1e-5,1e-6,1e-7}" --json "$LOG_DIR/measure.json" 2>&1 \
    | grep -E "^\[measure\]|Error|error" | cut -c1-1500
else
  echo "skipped: too little time left"
fi

stage "done: pytest -m gpu exit $GPU_RC, full year exit $FULL_RC"
[ "$GPU_RC" = 0 ] && [ "$FULL_RC" = 0 ]
