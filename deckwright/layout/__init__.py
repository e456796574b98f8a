"""Layout: fonts, the text measurer, geometry, tables, fitting; produces the plan writers translate."""
