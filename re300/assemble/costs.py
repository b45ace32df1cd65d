"""Costs and capacities of every asset for one cost year: the rows of ModelData's generator, storage and link frames.

Annualised capital cost = capex × capital recovery factor CRF(r, n) × the scenario's capex factor, with
CRF(r, n) = r / (1 − (1 + r)^−n) at the scenario's discount rate r and the asset's lifetime n. New capacity is
bounded by potential × the scenario's potential factor − existing (no expansion where the potential is missing or
the scenario says `no_expansion`). Units: MW, MWh, KRW (money year of inputs/constants.csv).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from re300.errors import InputError


def capital_recovery_factor(rate: float, lifetime_yr: float) -> float:
    """Annuity factor: annual payment per KRW invested, rate r over n years: r / (1 − (1 + r)^−n) (1/n if r = 0)."""
    if lifetime_yr <= 0:
        raise ValueError("lifetime must be positive")
    if rate == 0:
        return 1.0 / lifetime_yr
    return rate / (1.0 - (1.0 + rate) ** (-lifetime_yr))


def discount_rate(sc, tables) -> float:
    """The scenario's discount rate, else `discount_rate` of inputs/constants.csv [fraction/yr]."""
    return sc.prices.discount_rate if sc.prices.discount_rate is not None else tables.constant("discount_rate")


def _annuity(rate: float, lifetime_yr: float) -> float:
    """CRF for a finite lifetime; 0 for an asset without one (no investment cost)."""
    return capital_recovery_factor(rate, lifetime_yr) if np.isfinite(lifetime_yr) else 0.0


def storage_part(sc, row, tech: str, part: str, power_max_new: float) -> tuple[float, float]:
    """(existing, largest new) capacity of a storage part ('energy' [MWh] or 'charge' [MW]) from capacities.csv:
    a missing potential means no limit when the power may expand (no expansion otherwise)."""
    existing = float(np.nan_to_num(row.get(f"existing_{part}", np.nan), nan=0.0))
    potential = row.get(f"potential_{part}", np.nan) * sc.technologies.potential_factor.get(tech, 1.0)
    if tech in sc.technologies.no_expansion:
        return existing, 0.0
    if np.isnan(potential):
        return existing, np.inf if power_max_new > 0 else 0.0
    return existing, max(potential - existing, 0.0)


def part_lifetime(p, key: str, default: float) -> float:
    """Lifetime of a storage part (tank, electrolyser) [yr]; the power part's when the table has none."""
    life = p.get(key, np.nan)
    return default if not np.isfinite(life) else life


def _power_limits(sc, row, tech: str) -> tuple[float, float]:
    """(existing, largest new) power capacity [MW] of a capacities.csv row after the scenario's factors."""
    existing = float(np.nan_to_num(row["existing"], nan=0.0))
    potential = row["potential"] * sc.technologies.potential_factor.get(tech, 1.0)
    max_new = 0.0 if (np.isnan(potential) or tech in sc.technologies.no_expansion) else max(potential - existing, 0.0)
    return existing, max_new


def generator_row(sc, tech: str, region: str, row, p, renewable: bool, dispatchable: bool, rate: float) -> dict:
    """A generator of `tech` in `region`: capacities [MW], annualised capex [KRW/MW/yr], O&M and the marginal cost
    (vom + fuel or the scenario's purchase price for non-renewable supply) [KRW/MWh], emissions [tCO2/MWh]."""
    existing, max_new = _power_limits(sc, row, tech)
    life = p.get("lifetime", np.nan)
    capex = np.nan_to_num(p.get("capex", 0.0)) * sc.technologies.capex_factor.get(tech, 1.0)
    fuel = np.nan_to_num(p.get("fuel_price", 0.0))
    bought = dispatchable and not renewable and capex == 0  # non-renewable energy bought, not built
    if bought and sc.prices.nonrenewable_price_krw_per_mwh is not None:
        fuel = sc.prices.nonrenewable_price_krw_per_mwh
    return dict(
        technology=tech, region=region, renewable=renewable, existing_mw=existing, max_new_mw=max_new,
        capex_annual_krw_per_mw=capex * _annuity(rate, life), fom_krw_per_mw=np.nan_to_num(p.get("fom", 0.0)),
        vom_krw_per_mwh=np.nan_to_num(p.get("vom", 0.0)) + fuel,
        emission_t_per_mwh=np.nan_to_num(p.get("emission_factor", 0.0)), lifetime_yr=life,
        capacity_credit=float(np.nan_to_num(p.get("capacity_credit", 0.0))),
    )


def storage_row(sc, tech: str, region: str, row, p, rate: float) -> dict:
    """A storage of `tech` in `region`: power [MW], energy [MWh] and (hydrogen) charging power [MW], each with its
    annualised capex and O&M; efficiencies, standing loss, fixed duration [h] and lifetimes [yr]."""
    existing, max_new = _power_limits(sc, row, tech)
    factor = sc.technologies.capex_factor.get(tech, 1.0)
    life = p.get("lifetime", np.nan)
    duration = p.get("fixed_duration", np.nan)
    e_exist, e_new = storage_part(sc, row, tech, "energy", max_new)
    separate = bool(np.isfinite(p.get("capex_charge", np.nan)))
    c_exist, c_new = storage_part(sc, row, tech, "charge", max_new) if separate else (0.0, 0.0)
    life_e = part_lifetime(p, "lifetime_energy", life)
    life_c = part_lifetime(p, "lifetime_charge", life)
    capex = np.nan_to_num(p.get("capex", 0.0)) * factor
    return dict(
        technology=tech, region=region, existing_mw=existing, existing_mwh=e_exist, max_new_mw=max_new,
        max_new_mwh=e_new, capex_annual_krw_per_mw=capex * _annuity(rate, life),
        capex_annual_krw_per_mwh=np.nan_to_num(p.get("capex_energy", 0.0)) * factor * _annuity(rate, life_e),
        fom_krw_per_mw=np.nan_to_num(p.get("fom", 0.0)), fom_krw_per_mwh=np.nan_to_num(p.get("fom_energy", 0.0)),
        vom_krw_per_mwh=np.nan_to_num(p.get("vom", 0.0)),
        efficiency_charge=p["efficiency_charge"], efficiency_discharge=p["efficiency_discharge"],
        standing_loss_per_h=np.nan_to_num(p.get("standing_loss", 0.0)),
        fixed_duration_h=duration if np.isfinite(duration) and duration > 0 else np.nan,
        linked_across_days=tech not in sc.time.storage_within_day,
        separate_charge_power=separate, charge_existing_mw=c_exist, charge_max_new_mw=c_new,
        charge_capex_annual_krw_per_mw=(np.nan_to_num(p.get("capex_charge", 0.0)) * factor * _annuity(rate, life_c)
                                        if separate else 0.0),
        charge_fom_krw_per_mw=np.nan_to_num(p.get("fom_charge", 0.0)) if separate else 0.0,
        lifetime_yr=life, energy_lifetime_yr=life_e, charge_lifetime_yr=life_c,
        capacity_credit=float(np.nan_to_num(p.get("capacity_credit", 0.0))),
        sale_price_krw_per_mwh=float(np.nan_to_num(p.get("sale_price", 0.0))),
        sale_max_mwh_per_yr=float(np.nan_to_num(row.get("max_sales", 0.0), nan=0.0)),
    )


def link_rows(sc, tables, rate: float) -> list[dict]:
    """Every link of inputs/links.csv: capex = (capex per MW·km × length + terminals) × scenario factor, annualised;
    fixed O&M as a share of capex; the scenario's `max_new_mw` and `no_expansion` override the table's max_new."""
    links = []
    for name, row in tables.link_parameters().iterrows():
        capex = (row["capex_per_km"] * row["length"] + row["capex_terminal"]) * sc.links.capex_factor.get(name, 1.0)
        max_new = row["max_new"]
        if name in sc.links.max_new_mw:
            max_new = sc.links.max_new_mw[name]
        if name in sc.links.no_expansion:
            max_new = 0.0
        links.append(dict(
            link=name, from_region=row["from_region"], to_region=row["to_region"], bidirectional=bool(row["bidirectional"]),
            length_km=row["length"], existing_mw=row["existing"], max_new_mw=np.nan_to_num(max_new, nan=0.0),
            capex_annual_krw_per_mw=capex * capital_recovery_factor(rate, row["lifetime"]),
            fom_krw_per_mw=row["fom_share"] * capex, efficiency=row["efficiency"], lifetime_yr=row["lifetime"],
            capacity_credit=float(np.nan_to_num(row.get("capacity_credit", 0.0), nan=0.0)),
        ))
    return links


def asset_rows(sc, tables, year: int, rate: float, cf_columns, capacities=None) -> tuple[list, list, list, list]:
    """(generators, their capacity-factor keys, storage, links) with the costs of `year`. The row order does not depend
    on `year` (pathway periods stack them). A variable renewable without a profile is an input error.
    capacities: the frame of `tables.capacities()` to use (default: that frame)."""
    inputs = Path(sc.inputs_dir)
    tp = tables.technology_parameters(year)
    families = tables.technologies["family"]
    renewable_flag = tables.technologies["renewable"]
    gens, gen_keys, stores = [], [], []
    for (region, tech), row in (tables.capacities() if capacities is None else capacities).iterrows():
        if tech in sc.technologies.exclude:
            continue
        family = families[tech]
        if family in ("variable_renewable", "dispatchable"):
            gens.append(generator_row(sc, tech, region, row, tp.loc[tech], bool(renewable_flag[tech]),
                                      family == "dispatchable", rate))
            if family == "dispatchable":
                gen_keys.append(None)
            elif (tech, region) in cf_columns:
                gen_keys.append((tech, region))
            else:
                raise InputError(inputs / "profile_sites.csv", f"no capacity-factor profile for ({tech}, {region})",
                                 expected="a row mapping this technology and region to a weather site")
        elif family == "storage":
            stores.append(storage_row(sc, tech, region, row, tp.loc[tech], rate))
        else:
            raise InputError(inputs / "technologies.csv", f"technology {tech!r} has an unknown family", column="family",
                             value=family, expected="variable_renewable, dispatchable or storage")
    return gens, gen_keys, stores, link_rows(sc, tables, rate)
