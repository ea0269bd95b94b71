"""One error hierarchy, translated at the edges: a CLI message and exit status 2, or an HTTP status."""


class PolicyQAError(Exception):
    """Base of every error policyqa reports to a user; the CLI and HTTP layer translate it."""

    http_status = 500


class InputError(PolicyQAError):
    """The caller sent something we cannot use (empty or oversized question, bad parameter)."""

    http_status = 400


class NotFoundError(PolicyQAError):
    http_status = 404


class ConfigError(PolicyQAError):
    """A setting has a value we cannot use."""

    http_status = 500


class IngestError(PolicyQAError):
    """A corpus file could not be read or decoded."""

    http_status = 422


class ModelError(PolicyQAError):
    """The embedding model is unknown, missing or does not match its checksum."""

    http_status = 500


class IndexLoadError(PolicyQAError):
    """The index is missing, corrupt or was built with other settings."""

    http_status = 503


class AuthError(PolicyQAError):
    """Missing or wrong API key."""

    http_status = 401


class StoreUnavailableError(PolicyQAError):
    """The index store (a Milvus server) cannot be reached; the service is not ready until it can."""

    http_status = 503
