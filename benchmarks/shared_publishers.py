"""Several publishers, one database: 1,000 due posts, sent by `linkie serve` and three `linkie
publish-due` running at once in separate processes, on SQLite and on PostgreSQL in the same run.

    .venv/bin/python benchmarks/shared_publishers.py [--posts 1000] [--due-processes 3]

For each database: a real migrated one (a SQLite file; a database on a throwaway PostgreSQL
server started here, as the tests start it), a connected user whose token is sealed by the real
TokenCipher under a file keyring the processes share, and the LinkedIn test server on 127.0.0.1.
Printed per database: posts LinkedIn received twice (duplicates), posts never sent (lost), how
many each kind of publisher sent, the wall time from the first process's start to the last post
published, and posts per second; then PostgreSQL's throughput as a ratio of SQLite's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test servers live in tests/

import keyring  # noqa: E402
from sqlalchemy import Engine, func, insert, select  # noqa: E402

from linkie_desktop.db import queries  # noqa: E402
from linkie_desktop.db.engine import reading, transaction  # noqa: E402
from linkie_desktop.db.migrate import prepare_database  # noqa: E402
from linkie_desktop.db.models import OAuthStatus, Post  # noqa: E402
from linkie_desktop.db.types import utc_now  # noqa: E402
from linkie_desktop.domain.status import PostStatus  # noqa: E402
from linkie_desktop.services.secrets import SecretStore, TokenCipher  # noqa: E402
from tests.fakes.file_keyring import ENV_FILE, FileKeyring  # noqa: E402
from tests.fakes.linkedin_server import FakeLinkedIn  # noqa: E402
from tests.postgres_server import PostgresServer, postgres_bin_dir  # noqa: E402

LINKIE = Path(sys.executable).parent / "linkie"
POSTS_PATH = "/rest/posts"


def _fill(engine: Engine, server: FakeLinkedIn, posts: int) -> None:
    token = server.issue_token()
    sealed = TokenCipher(SecretStore()).encrypt(token, "access_token")
    due = utc_now() - timedelta(minutes=1)
    with transaction(engine) as session:
        user_id = queries.get_or_create_local_user(session).id
        queries.upsert_user_settings(
            session,
            user_id,
            {
                "linkedin_oauth_status": OAuthStatus.CONNECTED,
                "linkedin_connected": 1,
                "linkedin_person_urn": f"urn:li:person:{server.profile['sub']}",
                "linkedin_access_token": sealed,
                "linkedin_token_expires_at": utc_now() + timedelta(days=60),
            },
        )
        session.execute(
            insert(Post),
            [
                {
                    "id": f"post-{n:05d}",
                    "user_id": user_id,
                    "content": f"Shared post {n}",
                    "status": PostStatus.SCHEDULED,
                    "scheduled_at": due,
                    "retry_count": 0,
                    "created_at": due,
                    "updated_at": due,
                }
                for n in range(posts)
            ],
        )


def _published(engine: Engine) -> int:
    with reading(engine) as session:
        return int(
            session.scalar(
                select(func.count()).where(Post.status == PostStatus.PUBLISHED).select_from(Post)
            )
            or 0
        )


def _run(label: str, url: str, data: Path, posts: int, due_processes: int) -> dict[str, float]:
    server = FakeLinkedIn().start()
    engine, _ = prepare_database(url)
    try:
        _fill(engine, server, posts)
        env = os.environ | {
            "LINKIE_DB": url,
            "LINKIE_DATA_DIR": str(data),
            "LINKIE_LINKEDIN_API_BASE": server.base_url,
            "LINKIE_PUBLISH_INTERVAL_S": "600",
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            "PYTHONPATH": str(ROOT),
        }
        started = time.perf_counter()
        serve = subprocess.Popen(
            [str(LINKIE), "--db", url, "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        dues = [
            subprocess.Popen(
                [str(LINKIE), "--db", url, "publish-due", "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for _ in range(due_processes)
        ]
        by_due = 0
        for due in dues:
            out, _ = due.communicate(timeout=600)
            by_due += sum(1 for row in json.loads(out or "[]") if row["outcome"] == "published")
        give_up = time.monotonic() + 600
        while _published(engine) < posts and time.monotonic() < give_up:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        serve.terminate()
        serve.wait(timeout=90)
        sent = Counter(r.json()["commentary"] for r in server.requests_to("POST", POSTS_PATH))
        duplicates = sum(count - 1 for count in sent.values() if count > 1)
        lost = posts - len(sent)
        print(
            f"{label:<11} {posts} posts, serve + {due_processes}× publish-due: "
            f"duplicates {duplicates}, lost {lost}, published {_published(engine)}; "
            f"sent by publish-due {by_due}, by serve {len(sent) - by_due}; "
            f"{elapsed:.2f} s, {posts / elapsed:.0f} posts/s"
        )
        return {"seconds": elapsed, "duplicates": duplicates, "lost": lost}
    finally:
        engine.dispose()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--due-processes", type=int, default=3)
    args = parser.parse_args()
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL's server programs are missing: run scripts/setup.sh")
    with tempfile.TemporaryDirectory(prefix="linkie-shared-") as folder:
        root = Path(folder)
        os.environ[ENV_FILE] = str(root / "keyring.json")
        keyring.set_keyring(FileKeyring())  # type: ignore[no-untyped-call]
        sqlite = _run(
            "SQLite", f"sqlite:///{root / 'linkie.db'}", root, args.posts, args.due_processes
        )
        pg = PostgresServer(bin_dir)
        pg.start()
        try:
            url = pg.new_database()
            postgresql = _run("PostgreSQL", url, root, args.posts, args.due_processes)
        finally:
            pg.stop()
    ratio = sqlite["seconds"] / postgresql["seconds"]
    print(f"PostgreSQL throughput ÷ SQLite's: ×{ratio:.2f}")


if __name__ == "__main__":
    main()
