"""Download throughput: autarky's Transfer (sha256, fsync, sidecar, progress) vs a bare httpx stream.

Serves a file of random bytes from a loopback ``http.server`` and downloads it both ways, a few times,
printing the best time of each and their ratio.  ``python bench/fetch/run.py [MB]`` (default 200).
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from autarky.fetch import RetryPolicy, Transfer


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "srv"
        root.mkdir()
        (root / "blob.bin").write_bytes(os.urandom(size_mb << 20))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/blob.bin"
        bare, ours = [], []
        for i in range(3):
            t0 = time.perf_counter()
            with httpx.Client() as c, c.stream("GET", url) as r, (Path(tmp) / "bare.bin").open("wb") as fh:
                for chunk in r.iter_raw():
                    fh.write(chunk)
            bare.append(time.perf_counter() - t0)
            dest = Path(tmp) / f"ours{i}.bin"
            t0 = time.perf_counter()
            with Transfer(retry=RetryPolicy(retries=0), progress=lambda d, t=None, desc=None: None) as tr:
                tr.download(url, dest)
            ours.append(time.perf_counter() - t0)
            dest.unlink()
        httpd.shutdown()
        httpd.server_close()
    b, o = min(bare), min(ours)
    print(f"{size_mb} MB over loopback: bare httpx {b:.2f}s ({size_mb / b:.0f} MB/s), "
          f"autarky Transfer {o:.2f}s ({size_mb / o:.0f} MB/s), ratio {o / b:.2f}x")


if __name__ == "__main__":
    main()
