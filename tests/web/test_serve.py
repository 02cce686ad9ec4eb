"""`kb serve`, started as a user would, spoken to over HTTP."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from urllib.parse import quote

from tests.support.server import get, running_server


def test_kb_serve_builds_missing_index_and_answers_over_http(corpus_dir, tmp_path):
    """GIVEN a corpus and no index WHEN `kb serve` starts on a free port
    THEN it builds the index, binds 127.0.0.1 and answers pages and the API."""
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    with running_server(corpus, index) as base:
        assert (index / "CURRENT").is_file()
        assert listening_addresses(int(base.rsplit(":", 1)[1])) == {"127.0.0.1"}
        status, data = get(base + "/api/search?q=" + quote("法律顾问"))
        assert status == 200 and data["total"] > 0
        assert len(data["facets"]["agency"]) == 5
        status, page = get(base + "/?q=" + quote("双随机一公开"))
        assert status == 200 and "<mark>双随机、一公开</mark>" in page
        status, err = get(base + "/api/search?size=0")
        assert status == 400 and "size" in err["error"]
        status, err = get(base + "/api/reports/nope")
        assert status == 404 and "error" in err


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses on which something listens on ``port`` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hex_port = local.partition(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found
