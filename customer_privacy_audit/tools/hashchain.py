"""Tamper-evident hash chain for the append-only access log (SPEC section 10).

Pure Python (standard library only), no ORM access.

Each log row stores ``seq`` (1, 2, 3, ... without gaps), ``prev_hash`` (the
``row_hash`` of the row before it, :data:`GENESIS` for the first row) and
``row_hash = entry_hash(prev_hash, entry)``, where ``entry`` holds the covered
fields of the row (everything but the hashes). Changing, deleting, inserting
or reordering rows breaks the chain at the first affected row, which
:func:`verify_chain` names.

Notes for the writer:

* ``seq`` must be allocated without gaps under the lock that serialises
  appends (e.g. ``max(seq) + 1`` while holding the chain lock), not from a
  PostgreSQL sequence, which leaves holes when a transaction rolls back.
* The covered fields must serialise identically when written and when read
  back for verification: pass the values as stored (ids, lists of ids,
  strings, naive UTC datetimes). Datetimes are rendered by :func:`canonical`
  as ISO 8601 in UTC with microseconds, so a value truncated to seconds by the
  ORM renders as ``.000000`` both times.
* A retention purge deletes the oldest rows and keeps the ``row_hash`` (and
  ``seq``) of the last purged row as an anchor; verification then starts with
  ``start_prev=anchor_hash, start_seq=anchor_seq + 1``.
* Rewriting every row from some point on with freshly computed hashes yields
  a consistent chain; only an anchor held elsewhere (an exported
  ``last_hash``, a signed report) detects that.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "GENESIS",
    "RawJSON",
    "VerifyResult",
    "canonical",
    "entry_hash",
    "verify_chain",
]

GENESIS = "0" * 64

_UTC = _dt.timezone.utc


def _json_default(value: Any) -> Any:
    """Render the values JSON does not know, deterministically."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_UTC).replace(tzinfo=None)
        # naive datetimes are UTC (the ORM stores them so);
        # "YYYY-MM-DDTHH:MM:SS.ffffff", microseconds always present
        return value.isoformat(timespec="microseconds")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


# One encoder for all calls: json.dumps(**kwargs) would build a new one per row.
_ENCODE = json.JSONEncoder(
    sort_keys=True,
    separators=(",", ":"),
    ensure_ascii=False,
    default=_json_default,
).encode


class RawJSON(str):
    """A value already serialised as compact JSON (e.g. a jsonb column read
    as text): spliced into :func:`canonical` as is, so that verifying a
    million rows need not decode and re-encode it. ``RawJSON("[1,2]")``
    serialises exactly like the list ``[1, 2]``."""

    __slots__ = ()


def canonical(entry: dict) -> bytes:
    """Deterministic UTF-8 serialisation of the covered fields of an entry."""
    return _canonical_text(entry).encode("utf-8")


def _canonical_text(entry: dict) -> str:
    raws = sorted(k for k, v in entry.items() if isinstance(v, RawJSON))
    if not raws:
        return _ENCODE(entry)
    # keys are sorted: encode the plain keys between the raw ones and splice
    # each raw value in its place (no marker that a value could imitate)
    parts = []
    lower = None
    for key in [*raws, None]:
        chunk = {
            k: v
            for k, v in entry.items()
            if k not in raws
            and (lower is None or k > lower)
            and (key is None or k < key)
        }
        if chunk:
            parts.append(_ENCODE(chunk)[1:-1])
        if key is not None:
            parts.append(f"{_ENCODE(key)}:{entry[key]}")
            lower = key
    return "{" + ",".join(parts) + "}"


def entry_hash(prev_hash: str, entry: dict) -> str:
    """SHA-256 hex of ``prev_hash``, a newline and :func:`canonical` ``(entry)``."""
    return hashlib.sha256(
        prev_hash.encode("utf-8") + b"\n" + canonical(entry)
    ).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify_chain`.

    ``checked`` counts the rows found intact before the first problem;
    ``problem`` is one of ``"altered"``, ``"missing"``, ``"inserted"``,
    ``"broken_link"`` (None when ``ok``); ``first_bad_seq`` is the first
    sequence number concerned. ``last_seq``/``last_hash`` describe the last
    intact row (usable as the anchor of a later, incremental verification).
    """

    ok: bool
    checked: int
    first_bad_seq: int | None
    problem: str | None
    message: str
    last_seq: int | None = None
    last_hash: str | None = None

    def __bool__(self) -> bool:
        return self.ok


def _fail(
    checked: int,
    last_seq: int | None,
    last_hash: str | None,
    problem: str,
    bad_seq: int | None,
    message: str,
) -> VerifyResult:
    return VerifyResult(False, checked, bad_seq, problem, message, last_seq, last_hash)


def verify_chain(
    rows: Iterable[tuple[int, str, str, dict]],
    start_prev: str | None = GENESIS,
    start_seq: int | None = None,
) -> VerifyResult:
    """Verify ``(seq, prev_hash, row_hash, entry)`` rows ordered by ``seq``.

    Streams ``rows`` (any iterable, e.g. a server-side cursor) in O(1) memory
    and stops at the first problem:

    * ``missing``: a gap in ``seq`` (rows deleted); ``first_bad_seq`` is the
      first absent number;
    * ``inserted``: ``seq`` repeated or going back (a row added or rows
      reordered), or a row whose predecessor has no successor in the chain
      (a forged row pushed into the chain); ``first_bad_seq`` is the forged
      or out-of-place row;
    * ``broken_link``: ``prev_hash`` differs from the previous ``row_hash``;
    * ``altered``: the recomputed hash differs from ``row_hash``.

    ``start_prev`` is the hash the first row must link to (:data:`GENESIS`,
    or the anchor left by a retention purge; None accepts any).
    ``start_seq`` is the expected ``seq`` of the first row (None accepts any).
    """
    sha256 = hashlib.sha256
    encode = _canonical_text
    checked = 0
    expected = start_seq
    prev = start_prev
    prev_prev = None  # prev_hash of the previous row, to recognise forks
    last_seq = None if start_seq is None else start_seq - 1

    for seq, prev_hash, row_hash, entry in rows:
        if expected is not None and seq != expected:
            if seq > expected:
                if seq == expected + 1:
                    what = f"entry {expected} is missing"
                else:
                    what = f"entries {expected} to {seq - 1} are missing"
                return _fail(
                    checked,
                    last_seq,
                    prev,
                    "missing",
                    expected,
                    f"Chain broken: {what} (next entry present is {seq}).",
                )
            kind = "duplicate" if seq == expected - 1 else "out-of-order"
            return _fail(
                checked,
                last_seq,
                prev,
                "inserted",
                seq,
                f"Chain broken: {kind} entry {seq} after entry {expected - 1} "
                "(inserted or reordered entry).",
            )
        if prev is not None and prev_hash != prev:
            if prev_prev is not None and prev_hash == prev_prev:
                # This row and the previous one hang off the same predecessor:
                # the previous row was pushed in and this one renumbered.
                return _fail(
                    checked - 1,
                    last_seq - 1,
                    prev_prev,
                    "inserted",
                    last_seq,
                    f"Chain broken: entry {last_seq} was inserted (entry {seq} "
                    f"links to the entry before it).",
                )
            return _fail(
                checked,
                last_seq,
                prev,
                "broken_link",
                seq,
                f"Chain broken at entry {seq}: it does not link to the previous "
                "entry's hash.",
            )
        if (
            sha256((prev_hash + "\n" + encode(entry)).encode("utf-8")).hexdigest()
            != row_hash
        ):
            return _fail(
                checked,
                last_seq,
                prev,
                "altered",
                seq,
                f"Chain broken at entry {seq}: its content does not match its hash "
                "(altered entry).",
            )
        checked += 1
        last_seq = seq
        expected = seq + 1
        prev_prev = prev_hash
        prev = row_hash

    if not checked:
        return VerifyResult(
            True, 0, None, None, "No entries to verify.", last_seq, prev
        )
    return VerifyResult(
        True,
        checked,
        None,
        None,
        f"Chain intact: {checked} entries verified up to entry {last_seq}.",
        last_seq,
        prev,
    )
