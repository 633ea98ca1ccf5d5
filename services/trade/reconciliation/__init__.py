"""PLT-01: docked orders reconciled with the trading platforms' own figures, per session (order by
order), per platform over a period (session by session) and nightly for the day before."""
