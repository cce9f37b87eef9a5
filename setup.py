"""The package list only; everything else is in pyproject.toml.

`playbook.rulesets` and `playbook.schemas` are the top-level rulesets/ and schemas/ folders
mapped into the package, which a folder search cannot find, so the list is computed here.
"""

from setuptools import find_packages, setup

setup(packages=find_packages(include=["playbook", "playbook.*"]) + ["playbook.rulesets", "playbook.schemas"])
