"""The example notebook runs top to bottom on the flagship (the session's solved flagship is copied into an empty
outputs folder; the notebook would solve it itself if absent)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # solves scenarios end to end (make test-fast skips it)

nbformat = pytest.importorskip("nbformat", reason="nbformat is in the test extra (pip install -e '.[test]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the test extra (pip install -e '.[test]')")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore_results.ipynb"


def test_explore_results_notebook_executes(tmp_path, monkeypatch, flagship_run):
    shutil.copytree(flagship_run, tmp_path / "re300_2050")
    monkeypatch.setenv("RE300_OUTPUTS", str(tmp_path))  # the kernel inherits it: outputs go here, not to outputs/
    repo = str(NOTEBOOK.parent.parent)  # the kernel imports re300 from this checkout
    monkeypatch.setenv("PYTHONPATH", repo + os.pathsep + os.environ.get("PYTHONPATH", ""))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on any failing cell
    assert (tmp_path / "re300_2050" / "results.nc").is_file()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # capacity, storage over the year, a week of dispatch, price duration
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "representative | 8760 calendar hours | 8760 modelled | Σ weight_h = 8,760 h" in text
    months, year = (float(x.replace(",", "")) for x in re.findall(r"demand: months ([\d,]+\.\d+) TWh = year ([\d,]+\.\d+)", text)[0])
    assert months == year > 0
    assert "8760 rows;" in text
    last = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    notebook_twh, summary_twh = (float(x.replace(",", "")) for x in
                                 re.findall(r"([\d,]+\.\d+) TWh/yr", last))
    assert notebook_twh == summary_twh > 0
