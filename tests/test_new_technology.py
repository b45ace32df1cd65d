"""A new technology of a known family is rows in inputs/, no code (docs/adding-a-technology.md): compressed-air
storage (CAES) added to a copy of the inputs as one row of technologies.csv, its parameters and its potential in
Jeonnam. On quick's winter week it is built when it is cheap, its energy balance closes, and it is priced in
costs.csv by the same rules as every storage technology (annualised capex from its own rows)."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from re300.results.tables import energy_balance_residual
from re300.run import run_scenario

pytestmark = pytest.mark.slow  # solves quick on one week

SOURCE = "illustration for the test (cheap on purpose so that it is built), not a sourced figure; 2024 KRW"
CAES_PARAMETERS = {  # parameter: (value, unit)
    "capex": (2.0e8, "KRW/MW"), "capex_energy": (1.0e7, "KRW/MWh"), "fom": (2.0e6, "KRW/MW/yr"),
    "fom_energy": (0.0, "KRW/MWh/yr"), "vom": (0.0, "KRW/MWh"), "efficiency_charge": (0.8, "fraction"),
    "efficiency_discharge": (0.8, "fraction"), "standing_loss": (0.0, "fraction/h"), "lifetime": (30, "yr"),
    "capacity_credit": (1.0, "fraction"),
}


def add_caes(inputs):
    with open(inputs / "technologies.csv", "a", encoding="utf-8") as f:
        f.write('caes,storage,true,"Compressed air energy storage (adiabatic)",압축공기 저장,none\n')
    with open(inputs / "technology_parameters.csv", "a", encoding="utf-8") as f:
        for name, (value, unit) in CAES_PARAMETERS.items():
            f.write(f'caes,{name},,{value},{unit},"{SOURCE}",estimate\n')
    with open(inputs / "capacities.csv", "a", encoding="utf-8") as f:
        for name, value, unit in (("existing", 0, "MW"), ("existing_energy", 0, "MWh"), ("potential", 3000, "MW"),
                                  ("potential_energy", 30000, "MWh")):
            f.write(f'jeonnam,caes,{name},{value},{unit},"{SOURCE}",estimate\n')


def test_caes_is_rows_in_inputs_and_the_model_builds_and_prices_it(tmp_path, repo_root):
    inputs = tmp_path / "inputs"
    shutil.copytree(repo_root / "inputs", inputs)
    add_caes(inputs)
    scenario = tmp_path / "caes.yaml"
    scenario.write_text(f"extends: {repo_root / 'models' / 'quick.yaml'}\nname: caes\ninputs_dir: {inputs}\n"
                        "time: {weeks: [2], weights: null}\n", encoding="utf-8")
    run = run_scenario(scenario, output_dir=tmp_path / "out", echo=False)
    cap = pd.read_csv(run / "capacity.csv")
    caes = cap[(cap.technology == "caes") & (cap.region == "jeonnam")].set_index("kind")
    power, energy = float(caes.loc["power", "new"]), float(caes.loc["energy", "new"])
    assert power > 1.0 and energy > 1.0  # built
    assert power <= 3000 + 1e-6 and energy <= 30000 + 1e-6  # within the potential of its rows
    ds = xr.open_dataset(run / "results.nc", engine="h5netcdf")
    assert float(abs(energy_balance_residual(ds)).max()) <= 1e-6 * float(ds.demand_mw.max())
    # its investment cost item = (capex x CRF) x new power + (capex_energy x CRF) x new energy at the scenario's rate
    r = float(ds["input_discount_rate"]) if "input_discount_rate" in ds else 0.045
    crf = r / (1 - (1 + r) ** -30)
    costs = pd.read_csv(run / "costs.csv")
    invest = costs[(costs.asset == "caes") & (costs.component == "investment")]["value"].sum()
    assert invest == pytest.approx(crf * (2.0e8 * power + 1.0e7 * energy), rel=1e-6)
    # charging and discharging through its efficiencies: discharge <= 0.8 x 0.8 x charge over the cyclic week
    e = pd.read_csv(run / "energy.csv")
    rows = e[(e.technology == "caes") & (e.region == "jeonnam")].set_index("quantity")["value"]
    assert np.isclose(rows["storage_discharge"], 0.64 * rows["storage_charge"], rtol=1e-6)
