"""YAML data tables (slides/data/*.yaml): their schema, their loading, the fences that show them."""

from deckwright.reading.datatables.fences import expand_fence
from deckwright.reading.datatables.load import load_tables
from deckwright.reading.datatables.schema import DataColumn, DataRow, DataTable, DataValue, parse_table
from deckwright.reading.datatables.spans import parse_inline

__all__ = ["DataColumn", "DataRow", "DataTable", "DataValue", "expand_fence", "load_tables", "parse_inline",
           "parse_table"]
