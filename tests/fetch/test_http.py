"""Transfers against a real loopback server: resume, verify, retry, give up with one clear line."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from fetchserver import Loopback, closed_port

from autarky.errors import AuthError, FormatError, NetworkError, UnknownItemError, UsageError
from autarky.fetch import RetryPolicy, Transfer
from autarky.fetch.http import _retry_after, read_sidecar, sidecar_path

BODY = os.urandom(300_000)  # a transfer test needs bytes, not data


def fast(retries: int = 3, **kw: float) -> RetryPolicy:
    return RetryPolicy(retries=retries, backoff=kw.get("backoff", 0.01), max_backoff=kw.get("max_backoff", 0.05),
                       max_wait=kw.get("max_wait", 5.0))


def test_download_writes_file_and_checksum_sidecar(server: Loopback, tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    seen: list[tuple[int, int | None]] = []
    with Transfer(retry=fast(), progress=lambda d, t=None, desc=None: seen.append((d, t))) as t:
        d = t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert (tmp_path / "f.zip").read_bytes() == BODY
    assert d.sha256 == hashlib.sha256(BODY).hexdigest() and d.bytes == len(BODY)
    assert d.etag == server.resources["/f.zip"].etag and d.last_modified is not None
    assert read_sidecar(tmp_path / "f.zip")["sha256"] == d.sha256
    assert not (tmp_path / "f.zip.part").exists()
    assert seen[-1] == (len(BODY), len(BODY))
    assert server.hits("/f.zip")[0].headers["accept-encoding"] == "identity"


def test_a_verified_cached_file_is_reused_without_a_request(server: Loopback, tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    with Transfer(retry=fast()) as t:
        t.download(server.url + "f.zip", tmp_path / "f.zip")
        again = t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert again.reused and again.sha256 == hashlib.sha256(BODY).hexdigest()
    assert len(server.hits("/f.zip")) == 1


def test_a_cached_file_that_no_longer_matches_its_checksum_is_downloaded_again(server: Loopback,
                                                                                tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    with Transfer(retry=fast()) as t:
        t.download(server.url + "f.zip", tmp_path / "f.zip")
        damaged = bytearray(BODY)
        damaged[1000] ^= 0xFF
        (tmp_path / "f.zip").write_bytes(bytes(damaged))
        again = t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert not again.reused
    assert (tmp_path / "f.zip").read_bytes() == BODY
    assert len(server.hits("/f.zip")) == 2


def test_a_dropped_connection_resumes_with_a_range_request_for_the_rest(server: Loopback, tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    server.drop_after["/f.zip"] = 120_000
    with Transfer(retry=fast()) as t:
        d = t.download(server.url + "f.zip", tmp_path / "f.zip")
    first, second = server.hits("/f.zip")
    assert first.status == 200 and first.sent == 120_000
    assert second.headers["range"] == "bytes=120000-"
    assert second.headers["if-range"] == server.resources["/f.zip"].etag
    assert second.status == 206 and second.sent == len(BODY) - 120_000
    assert d.resumed_from == 120_000
    assert (tmp_path / "f.zip").read_bytes() == BODY
    assert d.sha256 == hashlib.sha256(BODY).hexdigest()


def test_a_second_run_continues_the_part_file_of_a_failed_one(server: Loopback, tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    server.drop_after["/f.zip"] = 100_000
    with Transfer(retry=fast(retries=0)) as t, pytest.raises(NetworkError, match=r"stopped|connection"):
        t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert (tmp_path / "f.zip.part").stat().st_size == 100_000
    assert not (tmp_path / "f.zip").exists()
    with Transfer(retry=fast(retries=0)) as t:
        d = t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert server.hits("/f.zip")[1].headers["range"] == "bytes=100000-"
    assert server.hits("/f.zip")[1].sent == len(BODY) - 100_000
    assert (tmp_path / "f.zip").read_bytes() == BODY and d.resumed_from == 100_000


def test_a_server_that_ignores_range_restarts_the_file_cleanly(server: Loopback, tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    server.drop_after["/f.zip"] = 100_000
    server.ignore_range.add("/f.zip")
    with Transfer(retry=fast()) as t:
        d = t.download(server.url + "f.zip", tmp_path / "f.zip")
    second = server.hits("/f.zip")[1]
    assert second.headers["range"] == "bytes=100000-" and second.status == 200 and second.sent == len(BODY)
    assert (tmp_path / "f.zip").read_bytes() == BODY and d.resumed_from == 0


def test_a_file_changed_on_the_server_since_the_part_began_is_downloaded_whole(server: Loopback,
                                                                                tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    server.drop_after["/f.zip"] = 100_000
    with Transfer(retry=fast(retries=0)) as t, pytest.raises(NetworkError):
        t.download(server.url + "f.zip", tmp_path / "f.zip")
    new = os.urandom(200_000)
    server.add("/f.zip", new)  # new content, new ETag: If-Range no longer matches
    with Transfer(retry=fast()) as t:
        t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert server.hits("/f.zip")[1].status == 200
    assert (tmp_path / "f.zip").read_bytes() == new


def test_http_429_is_retried_after_what_retry_after_asks(server: Loopback, tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    server.fail["/f.zip"] = [429, 429]
    server.retry_after = "7"
    sleeps: list[float] = []
    with Transfer(retry=fast(max_wait=60), sleep=sleeps.append) as t:
        t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert sleeps == [7.0, 7.0]
    assert [h.status for h in server.hits("/f.zip")] == [429, 429, 200]
    assert (tmp_path / "f.zip").read_bytes() == BODY


def test_http_500_forever_backs_off_exponentially_then_fails_in_one_line(server: Loopback, tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    server.fail_forever["/f.zip"] = 500
    sleeps: list[float] = []
    policy = RetryPolicy(retries=3, backoff=0.5, max_backoff=10, max_wait=60)
    with Transfer(retry=policy, sleep=sleeps.append) as t, pytest.raises(NetworkError) as err:
        t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(server.hits("/f.zip")) == 4
    message = str(err.value)
    assert "\n" not in message
    assert message == "127.0.0.1: HTTP 500 Internal Server Error (tried 4 times); try again later"
    assert not (tmp_path / "f.zip").exists()


def test_a_retry_after_beyond_the_waiting_limit_gives_up_at_once(server: Loopback, tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    server.fail["/f.zip"] = [503]
    server.retry_after = "3600"
    sleeps: list[float] = []
    with Transfer(retry=fast(max_wait=60), sleep=sleeps.append) as t, pytest.raises(NetworkError, match="3600s"):
        t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert sleeps == []


def test_offline_is_one_clear_line_after_few_retries(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/f.zip"
    sleeps: list[float] = []
    policy = RetryPolicy(retries=5, backoff=1, connect_retries=2)
    with Transfer(retry=policy, sleep=sleeps.append) as t, pytest.raises(NetworkError) as err:
        t.download(url, tmp_path / "f.zip")
    assert sleeps == [1.0, 2.0]  # an unreachable server gets 2 retries, not 5
    message = str(err.value)
    assert message.startswith("cannot reach 127.0.0.1: ")
    assert message.endswith("; check your connection or --base-url")
    assert "\n" not in message
    assert not (tmp_path / "f.zip").exists()


def test_not_found_and_refused_are_not_retried(server: Loopback, tmp_path: Path) -> None:
    server.fail_forever["/missing.zip"] = 404
    server.fail_forever["/secret"] = 401
    with Transfer(retry=fast()) as t:
        with pytest.raises(UnknownItemError, match="not found"):
            t.download(server.url + "missing.zip", tmp_path / "m.zip")
        with pytest.raises(AuthError, match="HTTP 401"):
            t.get_json(server.url + "secret")
    assert len(server.hits("/missing.zip")) == 1 and len(server.hits("/secret")) == 1


def test_a_download_that_does_not_match_the_publishers_checksum_is_refused(server: Loopback,
                                                                           tmp_path: Path) -> None:
    server.add("/f.csv", BODY)
    with Transfer(retry=fast()) as t:
        with pytest.raises(FormatError, match="md5"):
            t.download(server.url + "f.csv", tmp_path / "f.csv", expected=("md5", "0" * 32))
        assert not (tmp_path / "f.csv").exists() and not (tmp_path / "f.csv.part").exists()
        d = t.download(server.url + "f.csv", tmp_path / "f.csv", expected=("md5", hashlib.md5(BODY).hexdigest()))
    assert d.bytes == len(BODY)


def test_revalidation_keeps_an_unchanged_file_and_replaces_a_changed_one(server: Loopback, tmp_path: Path) -> None:
    server.add("/data/inputs.csv", b"a,b\n1,2\n", "text/csv")
    with Transfer(retry=fast()) as t:
        t.download(server.url + "data/inputs.csv", tmp_path / "inputs.csv", revalidate=True)
        same = t.download(server.url + "data/inputs.csv", tmp_path / "inputs.csv", revalidate=True)
        assert same.reused and server.hits("/data/inputs.csv")[1].status == 304
        assert server.hits("/data/inputs.csv")[1].headers["if-none-match"] == server.resources["/data/inputs.csv"].etag
        server.add("/data/inputs.csv", b"a,b\n1,3\n", "text/csv")
        changed = t.download(server.url + "data/inputs.csv", tmp_path / "inputs.csv", revalidate=True)
    assert not changed.reused and (tmp_path / "inputs.csv").read_bytes() == b"a,b\n1,3\n"


def test_proxies_from_the_environment_are_honoured(server: Loopback, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    server.add("/f.zip", BODY)
    monkeypatch.setenv("ALL_PROXY", server.url)
    with Transfer(retry=fast(retries=0)) as t:
        t.download("http://publisher.invalid/f.zip", tmp_path / "f.zip")
    hit = server.hits("/f.zip")[0]
    assert hit.proxied and (tmp_path / "f.zip").read_bytes() == BODY


def test_get_json_spaces_calls_and_rejects_what_is_not_json(server: Loopback) -> None:
    server.add("/api", json.dumps({"ok": 1}).encode(), "application/json")
    server.add("/html", b"<html>maintenance</html>", "text/html")
    sleeps: list[float] = []
    with Transfer(retry=fast(), min_interval=30, sleep=sleeps.append) as t:
        assert t.get_json(server.url + "api")[0] == {"ok": 1}
        t.get_json(server.url + "api")
        with pytest.raises(FormatError, match="not JSON"):
            t.get_json(server.url + "html")
    assert len(sleeps) == 2 and all(25 < s <= 30 for s in sleeps)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert _retry_after("120") == 120.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412400.0) == 80.0
    assert _retry_after("soon") is None and _retry_after(None) is None


def test_sidecar_sits_beside_the_file(tmp_path: Path) -> None:
    assert sidecar_path(tmp_path / "BACI_HS17_V202301.zip").name == "BACI_HS17_V202301.zip.autarky.json"


def test_two_fetches_of_one_file_do_not_write_it_together(server: Loopback, tmp_path: Path) -> None:
    import fcntl

    server.add("/f.zip", BODY)
    with (tmp_path / "f.zip.lock").open("a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with Transfer(retry=fast()) as t, pytest.raises(UsageError, match="another autarky fetch"):
            t.download(server.url + "f.zip", tmp_path / "f.zip")
    assert server.log == []


def test_a_part_that_was_already_complete_is_finished_without_downloading_again(server: Loopback,
                                                                               tmp_path: Path) -> None:
    server.add("/f.zip", BODY)
    server.drop_after["/f.zip"] = len(BODY)  # every byte arrives, then the connection closes
    with Transfer(retry=fast(retries=0)) as t:
        t.download(server.url + "f.zip", tmp_path / "f.zip")
    # as if killed between the last byte and the rename: the complete part is still a .part
    (tmp_path / "f.zip").rename(tmp_path / "f.zip.part")
    (tmp_path / "f.zip.part.json").write_text(json.dumps({"url": server.url + "f.zip",
                                                          "etag": server.resources["/f.zip"].etag}))
    with Transfer(retry=fast(retries=0)) as t:
        d = t.download(server.url + "f.zip", tmp_path / "f.zip")
    last = server.hits("/f.zip")[-1]
    assert last.status == 416 and last.sent == 0
    assert (tmp_path / "f.zip").read_bytes() == BODY and d.sha256 == hashlib.sha256(BODY).hexdigest()
