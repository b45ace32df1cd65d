"""Input tables (CSV, long format, unit + source per number) -> validated `InputTables`; hourly demand."""
from re300.inputs.demand import hourly_demand, korean_public_holidays, sector_shapes
from re300.inputs.tables import EXPECTED_UNITS, InputTables, load_tables

__all__ = ["EXPECTED_UNITS", "InputTables", "hourly_demand", "korean_public_holidays", "load_tables", "sector_shapes"]
