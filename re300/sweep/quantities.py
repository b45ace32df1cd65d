"""The key quantities that `re300 mga` ranges: their names, labels and how each is summed from the LP's variables.

One source for the command line (`re300.sweep.cli`: choices and defaults of `--quantities`) and for the near-optimal
solves and their memo (`re300.sweep.mga`). This module imports no numpy or pandas at the top, so every `re300`
command can read the names cheaply.

A quantity is total installed capacity [MW] = existing capacity of the matching assets + Σ of their new-capacity
variables (`capacity_new` for generators, `power_new` for storage, `link_new` for links).
"""
from __future__ import annotations

from dataclasses import dataclass

from re300.errors import Re300Error

QUANTITY_NAMES = ("offshore_wind", "onshore_wind", "pv", "storage_power", "hvdc_corridor")
DEFAULT_QUANTITIES = ("offshore_wind", "pv", "storage_power", "hvdc_corridor")
LABELS = {
    "offshore_wind": "offshore wind (every area)",
    "onshore_wind": "onshore wind",
    "pv": "solar PV (utility, rooftop and floating)",
    "storage_power": "storage power (batteries, pumped hydro and hydrogen fuel cells)",
    "hvdc_corridor": "transmission capacity to the capital region (HVDC links and the AC route)",
}

@dataclass(frozen=True)
class Quantity:
    """A sum of new-capacity variables plus the matching existing capacity [MW]."""

    name: str  # one of QUANTITY_NAMES (or any label in tests)
    region: str  # a region, a link's sending region, or "all"
    family: str  # capacity_new | power_new | link_new
    members: tuple[str, ...]  # labels in the variable family: "technology|region" or link names
    existing_mw: float
    where: str = ""  # words for the memo: "in Jeonnam", "on the jeonbuk_capital corridor"

    @property
    def key(self) -> str:
        return f"{self.name}:{self.region}"


def default_quantities(data, names=DEFAULT_QUANTITIES, pv_technologies=None) -> list[Quantity]:
    """Quantities for `names`: a total over Honam ("all") and, where assets sit in several regions, one per region.

    pv_technologies: technologies counted as PV (default: names ending in 'pv').
    """
    import numpy as np  # here, not at the top: the command line reads the names above without numpy

    from re300.model.names import GENERATORS, LINKS, STORAGE_POWER

    unknown = [n for n in names if n not in QUANTITY_NAMES]
    if unknown:
        raise Re300Error(f"unknown MGA quantity {unknown[0]!r}; expected one of {', '.join(QUANTITY_NAMES)}")
    gens, st, links = data.generators, data.storage, data.links
    out: list[Quantity] = []

    def add_group(name, frame, family, expandable):
        if frame is None or not len(frame):
            return
        labels = [f"{t}|{r}" for t, r in zip(frame["technology"], frame["region"])]
        regions = list(dict.fromkeys(frame["region"]))
        groups = [("all", np.ones(len(frame), bool))] + ([(r, (frame["region"] == r).to_numpy()) for r in regions] if len(regions) > 1 else [])
        for region, mask in groups:
            members = tuple(lab for lab, m, e in zip(labels, mask, expandable) if m and e)
            where = "in Honam" if region == "all" else f"in {region.capitalize()}"
            out.append(Quantity(name, region, family, members, float(frame.loc[mask, "existing_mw"].sum()), where))

    for name in names:
        if name in ("offshore_wind", "onshore_wind", "pv"):
            if name == "pv":
                techs = set(pv_technologies or [t for t in gens["technology"] if str(t).endswith("pv")])
            else:  # offshore wind of every area (offshore_wind, offshore_wind_south, ...)
                techs = {t for t in gens["technology"] if str(t) == name or str(t).startswith(name + "_")}
            frame = gens[gens["technology"].isin(techs)].reset_index(drop=True)
            add_group(name, frame, GENERATORS.variable, (np.nan_to_num(frame["max_new_mw"].to_numpy(float)) > 0))
        elif name == "storage_power":
            add_group(name, st.reset_index(drop=True), STORAGE_POWER.variable, np.nan_to_num(st["max_new_mw"].to_numpy(float)) > 0)
        else:
            export = {r for r, k in data.region_kind.items() if k == "export"}
            frame = links[links["to_region"].isin(export)].reset_index(drop=True)
            if not len(frame):
                continue
            expandable = np.nan_to_num(frame["max_new_mw"].to_numpy(float)) > 0
            out.append(Quantity(name, "all", LINKS.variable, tuple(l for l, e in zip(frame["link"], expandable) if e),
                                float(frame["existing_mw"].sum()), "on all corridors"))
            if len(frame) > 1:
                senders = list(frame["from_region"])
                for i, row in frame.iterrows():
                    # one row per corridor, named by its sending region (by the link where a region sends on several)
                    region = str(row["from_region"]) if senders.count(row["from_region"]) == 1 else str(row["link"])
                    out.append(Quantity(name, region, LINKS.variable, (row["link"],) if expandable[i] else (),
                                        float(row["existing_mw"]),
                                        f"on the {row['link']} corridor ({str(row['from_region']).capitalize()} to "
                                        f"{str(row['to_region']).capitalize()})"))
    keys = [q.key for q in out]
    if len(set(keys)) != len(keys):  # pragma: no cover - guards the naming above
        raise ValueError(f"MGA quantities are not unique: {keys}")
    return out
