"""Allow `python -m playbook`."""

from playbook.cli import main

main()
