"""Allow `python -m playbook`."""

from playbook.cli import main

if __name__ == "__main__":  # not when a spawned worker (Dask's, multiprocessing's) imports it again
    main()
