"""provcheck: check images for C2PA Content Credentials and say whether the claimed source is
authentic.

    >>> import provcheck
    >>> v = provcheck.Verifier()            # once per worker process
    >>> r = v.verify_path("photo.jpg")      # the report of `provcheck verify --json`, as a dict
    >>> r["verdict"]                         # authentic, mismatched, tampered, untrusted, unsigned, error

Every check runs with the GIL released. A bad, truncated or hostile file gives a report with
verdict ``error`` and a reason code; only misuse (wrong argument types, an unknown ``expect``
source) raises ``TypeError`` / ``ValueError``. The report format is documented in
docs/report.md of the provcheck repository (schema docs/report.schema.json).
"""

from ._provcheck import (  # noqa: F401
    C2PA_SDK_VERSION,
    DEFAULT_MAX_FILE_SIZE,
    LONG_VERSION,
    SCHEMA_VERSION,
    TRUST_LIST_DATES,
    Verifier,
    __version__,
    scan_summary,
    supported,
)

VERDICTS = ("authentic", "mismatched", "tampered", "untrusted", "unsigned", "error")
"""Every verdict a report can carry."""


def reason_codes(report):
    """The reason codes of a report dict, in order."""
    return [r.get("code") for r in report.get("reasons", [])]


__all__ = [
    "Verifier",
    "VERDICTS",
    "reason_codes",
    "scan_summary",
    "supported",
    "__version__",
    "C2PA_SDK_VERSION",
    "TRUST_LIST_DATES",
    "LONG_VERSION",
    "SCHEMA_VERSION",
    "DEFAULT_MAX_FILE_SIZE",
]
