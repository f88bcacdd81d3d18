"""Reports: annual-report tables 二/三/四, the ledger (台账) in and out, statistics and the
two yearly reviews. Pure Python, no Qt."""
