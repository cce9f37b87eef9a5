"""playbook: audit chat-community groups against declarative playbooks."""

__version__ = "0.1.0"
