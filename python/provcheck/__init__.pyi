import datetime
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

__version__: str
C2PA_SDK_VERSION: str
TRUST_LIST_DATES: str
LONG_VERSION: str
SCHEMA_VERSION: int
DEFAULT_MAX_FILE_SIZE: int
VERDICTS: Tuple[str, ...]

PathLike = Union[str, "os.PathLike[str]"]
BytesLike = Union[bytes, bytearray, memoryview]
Material = Union[PathLike, bytes]
Report = Dict[str, Any]

class Verifier:
    """Verifies images for C2PA Content Credentials; build one per worker and reuse it."""

    def __init__(
        self,
        trust_anchors: Optional[Union[Material, Sequence[Material]]] = None,
        allowed_list: Optional[Union[Material, Sequence[Material]]] = None,
        generators: Optional[Union[Material, Sequence[Material]]] = None,
        default_trust: bool = True,
        max_file_size: Optional[int] = None,
        expect: Optional[str] = None,
        sdk_trust: bool = False,
        at: Optional[Union[str, datetime.datetime]] = None,
    ) -> None: ...
    def verify_bytes(
        self, data: BytesLike, name: Optional[str] = None, expect: Optional[str] = None
    ) -> Report: ...
    def verify_path(self, path: PathLike, expect: Optional[str] = None) -> Report: ...
    def verify_many(
        self,
        items: Iterable[Union[PathLike, BytesLike, Tuple[Optional[str], BytesLike]]],
        threads: Optional[int] = None,
        expect: Optional[str] = None,
    ) -> List[Report]: ...
    def resolve_expect(self, source: str) -> str: ...

def scan_summary(
    reports: Sequence[str], elapsed_seconds: float, jobs: int, skipped: Dict[str, int] = ...
) -> str: ...
def supported(name: str, head: bytes) -> bool: ...
def reason_codes(report: Report) -> List[str]: ...
