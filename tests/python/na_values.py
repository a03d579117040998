"""The missing-value tokens mlplay reads by default: pandas 1.x's list plus '?', without
'None'. The parity tests give the same list to pandas."""

NA_VALUES = ["", "?", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
             "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null"]
