"""Capacity factors as the LP sees them."""
from __future__ import annotations

import numpy as np

# Capacity factors below this are set to zero when ModelData is assembled: the synthetic weather gives values down to
# 3e-10 at sunrise and sunset, which would put 1e-10 coefficients in the LP. On `quick` the values removed are 1.3e-6
# (0.00013 %) of the available renewable energy.
CAPACITY_FACTOR_FLOOR = 1e-4


def floor_capacity_factors(cf: np.ndarray) -> np.ndarray:
    """Capacity factors with values below CAPACITY_FACTOR_FLOOR set to zero (numerical noise, see above)."""
    cf = np.asarray(cf, float)
    return np.where(cf < CAPACITY_FACTOR_FLOOR, 0.0, cf)
