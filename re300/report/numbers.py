"""How the memo shows a number: one scale and one rounding per kind of quantity, in both languages.

`shown(value, kind, lang)` is the single place a number becomes text, so tests can format a CSV value the same way and
look for it in the rendered memo.
"""
from __future__ import annotations

import math

# kind -> (divide by, decimals, unit text en, unit text ko)
KINDS: dict[str, tuple[float, int, str, str]] = {
    "ratio": (1.0, 2, "× consumption", "× 소비량"),
    "share": (0.01, 1, "%", "%"),
    "twh": (1e6, 1, "TWh/yr", "TWh/년"),
    "twh_small": (1e6, 2, "TWh/yr", "TWh/년"),
    "gwh": (1e3, 1, "GWh", "GWh"),
    "trillion_krw": (1e12, 2, "trillion KRW/yr", "조 원/년"),
    "trillion_krw_pv": (1e12, 2, "trillion KRW", "조 원"),
    "krw_per_mwh": (1.0, 0, "KRW/MWh", "원/MWh"),
    "gw": (1e3, 1, "GW", "GW"),
    "gw2": (1e3, 2, "GW", "GW"),
    "mw": (1.0, 0, "MW", "MW"),
    "mwh": (1.0, 0, "MWh", "MWh"),
    "mt": (1e6, 2, "MtCO2/yr", "백만 tCO2/년"),
    "t_per_mwh": (1.0, 4, "tCO2/MWh", "tCO2/MWh"),
    "hours": (1.0, 0, "h", "시간"),
    "plain": (1.0, 2, "", ""),
}


def number(value: float, kind: str) -> str:
    """The digits only, e.g. number(2.13e13, 'trillion_krw') == '21.32' (thousands separated by commas)."""
    scale, decimals, _, _ = KINDS[kind]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    x = value / scale
    text = f"{x:,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":  # -0.0 -> 0.0
        text = text.lstrip("-")
    return text


def unit(kind: str, lang: str) -> str:
    _, _, en, ko = KINDS[kind]
    return ko if lang == "ko" else en


def shown(value: float, kind: str, lang: str) -> str:
    """Digits and unit, e.g. '21.32 trillion KRW/yr' / '21.32조 원/년', '1.7 %'."""
    digits = number(value, kind)
    u = unit(kind, lang)
    if not u:
        return digits
    if lang == "ko" and u.startswith("조"):
        return f"{digits}{u}"
    return f"{digits} {u}"
