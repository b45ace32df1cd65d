"""The one place where data units (MW, MWh, KRW) meet LP units (GW, GWh, billion KRW).

Scaling keeps matrix coefficients, bounds and right-hand sides within a few orders of magnitude:
capacities of tens of GW become tens, costs of ~1e8 KRW/MW/yr become ~100 bn KRW/GW/yr.
"""
POWER = 1e-3  # MW -> GW
ENERGY = 1e-3  # MWh -> GWh
MONEY = 1e-9  # KRW -> billion KRW
# KRW/MW -> bn KRW/GW and KRW/MWh -> bn KRW/GWh (both are MONEY / POWER)
COST_PER_POWER = MONEY / POWER
COST_PER_ENERGY = MONEY / ENERGY
# dual of a power balance row (bn KRW per GW over one weighted hour) -> KRW/MWh
PRICE_TO_KRW_PER_MWH = 1.0 / COST_PER_ENERGY

LP_UNITS = {"power": "GW", "energy": "GWh", "money": "bn KRW"}
