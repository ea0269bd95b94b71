"""policyqa: cited question answering over Chinese science-policy texts, offline on a CPU."""

__version__ = "0.1.0"
