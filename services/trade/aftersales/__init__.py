"""TRD-04 / TRD-05: after-sales requests on docked orders (return, exchange, refund): the 7-day
no-reason return honoured (stricter for perishables, PRD-09), a response within 24 h and a
resolution within 72 h, overdue requests escalated by the active replica's clock, and
ReturnCompleted published when a return completes."""
