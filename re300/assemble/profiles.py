"""Capacity factors as the LP sees them."""
from __future__ import annotations

import numpy as np

# Capacity factors below this are set to zero when ModelData is assembled: the synthetic weather gives values down to
# 3e-10 at sunrise and sunset, which would put 1e-10 coefficients in the LP, and a small existing plant (the 4.3 MW
# Yeonggwang offshore demonstrator) times a dawn capacity factor of 1e-4 gives a right-hand side below HiGHS's 1e-6 GW.
# On the flagship the values removed are 3.1e-5 (0.003 %) of the available renewable energy.
CAPACITY_FACTOR_FLOOR = 1e-3


def floor_capacity_factors(cf: np.ndarray) -> np.ndarray:
    """Capacity factors with values below CAPACITY_FACTOR_FLOOR set to zero (numerical noise, see above)."""
    cf = np.asarray(cf, float)
    return np.where(cf < CAPACITY_FACTOR_FLOOR, 0.0, cf)
