"""Cells of the CSV files people download, safe to open in a spreadsheet."""

# Excel reads a file as UTF-8 (and shows Bengali) only when it starts with this mark.
BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet; a leading ' keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
