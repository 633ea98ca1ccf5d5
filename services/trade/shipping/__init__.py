"""TRD-03: shipping within the promised time. The ship-by time of a paid order comes from the
session's shipping promise (SES-10, from the session service's events) or the default; the
platforms record logistics; the active replica raises an alert for each order not shipped by then."""
