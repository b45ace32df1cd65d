"""The one place where data units (MW, MWh, KRW) meet LP units (GW, GWh, billion KRW).

Scaling keeps matrix coefficients, bounds and right-hand sides within a few orders of magnitude:
capacities of tens of GW become tens, costs of ~1e8 KRW/MW/yr become ~100 bn KRW/GW/yr.
"""
POWER = 1e-3  # MW -> GW
ENERGY = 1e-3  # MWh -> GWh
MONEY = 1e-9  # KRW -> billion KRW
# KRW/MWh -> bn KRW/GWh
COST_PER_ENERGY = MONEY / ENERGY
# dual of a power balance row (bn KRW per GW over one weighted hour) -> KRW/MWh
PRICE_TO_KRW_PER_MWH = 1.0 / COST_PER_ENERGY

# annual target rows are written in TWh (= GWh x 1e-3): their coefficients are the hours a snapshot stands for (up
# to ~180 with segmented typical days), which in GWh would span 1.5e6 against the smallest capacity factors (1e-4)
TARGET_ROW = 1e-3  # GWh -> TWh, for the renewable target and export commitment rows only
TARGET_ROW_UNIT = "TWh"

LP_UNIT = {"MW": "GW", "MWh": "GWh"}  # data unit -> LP unit
