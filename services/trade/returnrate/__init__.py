"""TRD-06: return rates per merchant and per anchor over a rolling window; above the threshold a
ReturnRateExceeded warning that the anchor service's credit archive records."""
