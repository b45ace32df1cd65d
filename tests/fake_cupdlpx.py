"""A stand-in for the `cupdlpx` module (GPU LP solver) for the CPU tests: the same `Model` interface as cuPDLPx 0.3
(constructor arguments, setObjectiveConstant, setParams with its alias names, optimize, X / Pi / StatusName / ...),
solved with scipy's linprog (HiGHS), so re300's hand-over and read-back are tested without a GPU.

Pi follows cuPDLPx's convention for min cᵀx s.t. l <= Ax <= u: Pi_i > 0 where the lower bound l_i holds the row,
Pi_i < 0 where the upper bound u_i does (its dual objective is Σ max(Pi,0) l + min(Pi,0) u + bound terms; see
cuPDLPx's dual_solution_dual_objective_contribution_kernel); that is d objective / d bound, which linprog's marginals
give. `Model.noise` perturbs X and Pi like a first-order solution; `Model.status` forces a termination status.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

__version__ = "0.0-fake"

ALIASES = {"TimeLimit": "time_sec_limit", "IterationLimit": "iteration_limit", "OutputFlag": "verbose",
           "OptimalityTol": "eps_optimal_relative", "FeasibilityTol": "eps_feasible_relative", "Presolve": "presolve",
           "FeasibilityPolishing": "feasibility_polishing"}
DEFAULTS = {"time_sec_limit": 3600.0, "iteration_limit": 2 ** 31 - 1, "verbose": True, "eps_optimal_relative": 1e-4,
            "eps_feasible_relative": 1e-4, "presolve": True, "feasibility_polishing": False}


class PDLP:
    MINIMIZE, MAXIMIZE = 1, -1
    OPTIMAL, PRIMAL_INFEASIBLE, DUAL_INFEASIBLE, TIME_LIMIT = 0, 1, 2, 3


class Model:
    last = None  # the last Model built (the tests read what re300 handed over)
    noise = 0.0  # relative perturbation of X and Pi after solving
    status = None  # force this StatusName (e.g. "TIME_LIMIT")

    def __init__(self, objective_vector, constraint_matrix, constraint_lower_bound, constraint_upper_bound,
                 variable_lower_bound=None, variable_upper_bound=None, objective_constant=0.0):
        m, n = constraint_matrix.shape
        self.c = np.array(objective_vector, float)
        if self.c.shape != (n,) or not np.isfinite(self.c).all():
            raise ValueError("objective_vector must be finite, one entry per column")
        if not sp.issparse(constraint_matrix):
            raise TypeError("this fake takes a scipy.sparse matrix")
        self.A = sp.csr_matrix(constraint_matrix, dtype=float)
        self.constr_lb = self._bound(constraint_lower_bound, m, -np.inf)
        self.constr_ub = self._bound(constraint_upper_bound, m, np.inf)
        self.lb = self._bound(variable_lower_bound, n, -np.inf)
        self.ub = self._bound(variable_upper_bound, n, np.inf)
        if (self.constr_lb > self.constr_ub).any() or (self.lb > self.ub).any():
            raise ValueError("lower bounds must be <= upper bounds")
        self.c0 = float(objective_constant)
        self.params = dict(DEFAULTS)
        self.X = self.Pi = self.RC = self.ObjVal = self.DualObj = self.StatusName = None
        Model.last = self

    @staticmethod
    def _bound(v, size, default):
        if v is None:
            return np.full(size, default)
        a = np.array(v, float).ravel()
        if a.size != size or np.isnan(a).any():
            raise ValueError("bound of the wrong length or with NaN")
        return a

    def setObjectiveConstant(self, c0):
        self.c0 = float(c0)

    def setParams(self, **kwargs):
        for k, v in kwargs.items():
            key = ALIASES.get(k, k)
            if key not in self.params:
                raise KeyError(f"Unknown parameter '{k}'")
            self.params[key] = v

    def optimize(self):
        A, l, u = self.A, self.constr_lb, self.constr_ub
        eq = l == u
        up = ~eq & np.isfinite(u)
        lo = ~eq & np.isfinite(l)
        A_ub = sp.vstack([A[np.flatnonzero(up)], -A[np.flatnonzero(lo)]]).tocsr()
        b_ub = np.concatenate([u[up], -l[lo]])
        res = linprog(self.c, A_ub=A_ub if A_ub.shape[0] else None, b_ub=b_ub if b_ub.size else None,
                      A_eq=A[np.flatnonzero(eq)] if eq.any() else None, b_eq=l[eq] if eq.any() else None,
                      bounds=list(zip(np.where(np.isfinite(self.lb), self.lb, None),
                                      np.where(np.isfinite(self.ub), self.ub, None))), method="highs")
        self.IterCount, self.Runtime, self.RescalingTime = int(getattr(res, "nit", 0)), 0.01, 0.0
        if res.status != 0:
            self.StatusName = {2: "PRIMAL_INFEASIBLE", 3: "DUAL_INFEASIBLE"}.get(res.status, "ITERATION_LIMIT")
            self.X, self.Pi = np.full(A.shape[1], np.nan), np.full(A.shape[0], np.nan)
            return
        pi = np.zeros(A.shape[0])
        if eq.any():
            pi[eq] = res.eqlin.marginals
        k = int(up.sum())
        if k or lo.any():
            mu = res.ineqlin.marginals  # d objective / d b_ub (<= 0)
            pi[np.flatnonzero(up)] += mu[:k]
            pi[np.flatnonzero(lo)] -= mu[k:]  # b_ub = -l, so d objective / d l = -mu
        x = np.asarray(res.x, float)
        if self.noise:
            rng = np.random.default_rng(0)
            x = x + self.noise * (1.0 + np.abs(x)) * rng.uniform(-1, 1, x.size)
            pi = pi + self.noise * (1.0 + np.abs(pi)) * rng.uniform(-1, 1, pi.size)
        self.X, self.Pi = x, pi
        self.RC = self.c - A.T @ pi
        self.ObjVal = float(self.c @ x + self.c0)
        self.DualObj = float(res.fun + self.c0)
        self.RelGap = abs(self.ObjVal - self.DualObj) / (1 + abs(self.ObjVal) + abs(self.DualObj))
        self.RelPrimalResidual = self.RelDualResidual = 0.0
        self.StatusName = self.status or "OPTIMAL"
