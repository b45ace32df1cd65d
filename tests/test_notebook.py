"""The example notebook runs top to bottom (it solves `quick` itself into an empty outputs folder)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # solves scenarios end to end (make test-fast skips it)

nbformat = pytest.importorskip("nbformat", reason="nbformat is in the test extra (pip install -e '.[test]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the test extra (pip install -e '.[test]')")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore_results.ipynb"


def test_explore_results_notebook_executes(tmp_path, monkeypatch):
    monkeypatch.setenv("RE300_OUTPUTS", str(tmp_path))  # the kernel inherits it: outputs go here, not to outputs/
    repo = str(NOTEBOOK.parent.parent)  # the kernel imports re300 from this checkout
    monkeypatch.setenv("PYTHONPATH", repo + os.pathsep + os.environ.get("PYTHONPATH", ""))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on any failing cell
    assert (tmp_path / "quick" / "results.nc").is_file()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3
    last = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    notebook_twh, summary_twh = (float(x.replace(",", "")) for x in
                                 re.findall(r"([\d,]+\.\d+) TWh/yr", last))
    assert notebook_twh == summary_twh > 0
