"""Running audits over files: picking playbooks, loading snapshots, building reports (serially,
in worker processes or on a Dask cluster), baselines, trends and a batch's outputs."""
