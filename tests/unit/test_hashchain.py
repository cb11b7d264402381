"""Hash chain of the access log (customer_privacy_audit/tools/hashchain.py)."""

import datetime as dt
import hashlib
import json

import pytest

T0 = dt.datetime(2026, 1, 1, 8, 0, 0)


def _entry(seq):
    return {
        "create_date": T0 + dt.timedelta(seconds=seq),
        "user_id": 2 + seq % 7,
        "action": "view_clear" if seq % 3 else "reveal",
        "model": "res.partner",
        "res_ids": [seq, seq + 1, seq + 2],
        "fields": ["phone", "email"],
        "reason": f"客户回访 {seq}",
        "request_id": None,
    }


def _chain(hashchain, count, first_seq=1, prev=None):
    """A valid chain as a list of (seq, prev_hash, row_hash, entry)."""
    prev = hashchain.GENESIS if prev is None else prev
    rows = []
    for seq in range(first_seq, first_seq + count):
        entry = _entry(seq)
        row_hash = hashchain.entry_hash(prev, entry)
        rows.append((seq, prev, row_hash, entry))
        prev = row_hash
    return rows


@pytest.fixture(scope="module")
def rows(hashchain):
    return _chain(hashchain, 1000)


def test_canonical_is_deterministic_and_compact(hashchain):
    a = {"b": 1, "a": "张三", "when": dt.datetime(2026, 3, 4, 5, 6, 7, 89)}
    b = {"when": dt.datetime(2026, 3, 4, 5, 6, 7, 89), "a": "张三", "b": 1}
    assert hashchain.canonical(a) == hashchain.canonical(b)
    assert hashchain.canonical(a) == (
        '{"a":"张三","b":1,"when":"2026-03-04T05:06:07.000089"}'.encode()
    )


def test_canonical_datetimes_are_utc_with_microseconds(hashchain):
    naive = dt.datetime(2026, 3, 4, 5, 6, 7)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    aware = dt.datetime(2026, 3, 4, 13, 6, 7, tzinfo=shanghai)
    expected = b'{"t":"2026-03-04T05:06:07.000000"}'
    assert hashchain.canonical({"t": naive}) == expected
    assert hashchain.canonical({"t": aware}) == expected
    assert hashchain.canonical({"d": dt.date(2026, 3, 4)}) == b'{"d":"2026-03-04"}'


def test_entry_hash_definition(hashchain):
    entry = _entry(1)
    expected = hashlib.sha256(
        hashchain.GENESIS.encode() + b"\n" + hashchain.canonical(entry)
    ).hexdigest()
    assert hashchain.entry_hash(hashchain.GENESIS, entry) == expected
    assert hashchain.GENESIS == "0" * 64
    assert hashchain.entry_hash("1" * 64, entry) != expected


def test_valid_chain_passes(hashchain, rows):
    result = hashchain.verify_chain(iter(rows), start_seq=1)
    assert result.ok and result
    assert result.checked == 1000
    assert result.first_bad_seq is None and result.problem is None
    assert result.last_seq == 1000 and result.last_hash == rows[-1][2]
    # start_seq is optional
    assert hashchain.verify_chain(rows).ok


def test_verify_streams_a_generator(hashchain):
    def generate():
        prev = hashchain.GENESIS
        for seq in range(1, 5001):
            entry = {"seq": seq, "action": "read"}
            row_hash = hashchain.entry_hash(prev, entry)
            yield seq, prev, row_hash, entry
            prev = row_hash

    result = hashchain.verify_chain(generate(), start_seq=1)
    assert result.ok and result.checked == 5000


def test_empty_chain_is_ok(hashchain):
    result = hashchain.verify_chain([])
    assert result.ok and result.checked == 0 and result.first_bad_seq is None
    assert hashchain.verify_chain(iter(()), start_prev="a" * 64, start_seq=101).ok


def test_altered_entry_is_found(hashchain, rows):
    tampered = list(rows)
    seq, prev, row_hash, entry = tampered[499]
    assert seq == 500
    tampered[499] = (seq, prev, row_hash, {**entry, "reason": "nothing to see"})
    result = hashchain.verify_chain(tampered, start_seq=1)
    assert not result.ok
    assert (result.first_bad_seq, result.problem) == (500, "altered")
    assert result.checked == 499
    assert "500" in result.message


def test_altered_datetime_by_one_microsecond_is_found(hashchain, rows):
    tampered = list(rows)
    seq, prev, row_hash, entry = tampered[9]
    when = entry["create_date"] + dt.timedelta(microseconds=1)
    tampered[9] = (seq, prev, row_hash, {**entry, "create_date": when})
    result = hashchain.verify_chain(tampered)
    assert (result.first_bad_seq, result.problem) == (10, "altered")


def test_rehashed_row_breaks_the_next_link(hashchain, rows):
    """Fixing up the altered row's own hash moves the break to the next row."""
    tampered = list(rows)
    seq, prev, _row_hash, entry = tampered[499]
    entry = {**entry, "user_id": 1}
    tampered[499] = (seq, prev, hashchain.entry_hash(prev, entry), entry)
    result = hashchain.verify_chain(tampered, start_seq=1)
    assert (result.first_bad_seq, result.problem) == (501, "broken_link")


def test_deleted_row_is_reported_missing(hashchain, rows):
    tampered = rows[:299] + rows[300:]
    result = hashchain.verify_chain(tampered, start_seq=1)
    assert (result.first_bad_seq, result.problem) == (300, "missing")
    assert result.checked == 299

    several = rows[:299] + rows[305:]
    result = hashchain.verify_chain(several, start_seq=1)
    assert (result.first_bad_seq, result.problem) == (300, "missing")
    assert "300 to 305" in result.message


def test_deleted_first_row_is_missing_when_start_seq_known(hashchain, rows):
    result = hashchain.verify_chain(rows[1:], start_seq=1)
    assert (result.first_bad_seq, result.problem) == (1, "missing")
    # without start_seq the link to GENESIS still fails
    result = hashchain.verify_chain(rows[1:])
    assert (result.first_bad_seq, result.problem) == (2, "broken_link")


def test_deleted_and_renumbered_is_a_broken_link(hashchain, rows):
    tail = [(seq - 1, prev, h, e) for seq, prev, h, e in rows[300:]]
    result = hashchain.verify_chain(rows[:299] + tail, start_seq=1)
    assert (result.first_bad_seq, result.problem) == (300, "broken_link")


def test_forged_row_with_duplicate_seq_is_inserted(hashchain, rows):
    """A self-consistent row hooked after row 499 under seq 500."""
    prev = rows[498][2]
    forged_entry = {**_entry(500), "user_id": 99, "reason": "cover story"}
    forged = (500, prev, hashchain.entry_hash(prev, forged_entry), forged_entry)
    for tampered in (
        [*rows[:499], forged, *rows[499:]],  # sorted before the original 500
        [*rows[:500], forged, *rows[500:]],  # sorted after it
    ):
        result = hashchain.verify_chain(tampered, start_seq=1)
        assert (result.first_bad_seq, result.problem) == (500, "inserted")


def test_forged_row_with_renumbered_tail_is_inserted(hashchain, rows):
    """Forged row 500 links to 499; the old 500.. are shifted to 501.."""
    prev = rows[498][2]
    forged_entry = {**_entry(500), "action": "export"}
    forged = (500, prev, hashchain.entry_hash(prev, forged_entry), forged_entry)
    shifted = [(seq + 1, p, h, e) for seq, p, h, e in rows[499:]]
    result = hashchain.verify_chain([*rows[:499], forged, *shifted], start_seq=1)
    assert (result.first_bad_seq, result.problem) == (500, "inserted")
    assert result.checked == 499 and result.last_seq == 499
    assert result.last_hash == prev


def test_reordered_rows_are_detected(hashchain, rows):
    tampered = list(rows)
    tampered[600], tampered[601] = tampered[601], tampered[600]
    result = hashchain.verify_chain(tampered, start_seq=1)
    assert not result.ok
    assert result.first_bad_seq == 601
    assert result.problem in {"missing", "inserted"}


def test_verification_after_retention_purge(hashchain, rows):
    anchor_seq, _prev, anchor_hash, _entry_ = rows[99]
    kept = rows[100:]
    result = hashchain.verify_chain(
        kept, start_prev=anchor_hash, start_seq=anchor_seq + 1
    )
    assert result.ok and result.checked == 900
    # without the anchor the first kept row does not link to GENESIS
    result = hashchain.verify_chain(kept)
    assert (result.first_bad_seq, result.problem) == (101, "broken_link")
    # deleting the first kept row is seen against the anchor
    result = hashchain.verify_chain(
        kept[1:], start_prev=anchor_hash, start_seq=anchor_seq + 1
    )
    assert (result.first_bad_seq, result.problem) == (101, "missing")
    # start_prev=None verifies a window without knowing its predecessor
    assert hashchain.verify_chain(kept, start_prev=None).ok


def test_incremental_verification_from_last_result(hashchain):
    first = _chain(hashchain, 50)
    done = hashchain.verify_chain(first, start_seq=1)
    more = _chain(hashchain, 20, first_seq=51, prev=done.last_hash)
    result = hashchain.verify_chain(
        more, start_prev=done.last_hash, start_seq=done.last_seq + 1
    )
    assert result.ok and result.last_seq == 70


def test_rows_read_back_as_stored_values_verify(hashchain):
    """Tuples read back as lists and datetimes as canonical text still match."""
    rows = _chain(hashchain, 10)
    stored = [
        (
            seq,
            prev,
            h,
            {
                **entry,
                "res_ids": tuple(entry["res_ids"]),
                "create_date": entry["create_date"].strftime("%Y-%m-%dT%H:%M:%S.%f"),
            },
        )
        for seq, prev, h, entry in rows
    ]
    assert hashchain.verify_chain(stored).ok
    # another text form of the same time is a different entry
    other = [
        (seq, prev, h, {**entry, "create_date": str(entry["create_date"])})
        for seq, prev, h, entry in rows
    ]
    result = hashchain.verify_chain(other)
    assert (result.first_bad_seq, result.problem) == (1, "altered")


@pytest.mark.parametrize("ids", [[], [1], [1, 2, 3], list(range(80)), None], ids=repr)
def test_raw_json_ids_hash_like_the_decoded_list(hashchain, ids):
    """Verification hashes jsonb ids read as text; sealing hashed the list."""
    entry = {"id": 7, "res_ids": ids, "reason": "x\x00raw\x000", "chain_seq": 3}
    raw = dict(entry)
    if ids is not None:
        raw["res_ids"] = hashchain.RawJSON(json.dumps(ids, separators=(",", ":")))
    assert hashchain.canonical(raw) == hashchain.canonical(entry)
    assert hashchain.entry_hash("0" * 64, raw) == hashchain.entry_hash("0" * 64, entry)
