"""A build lock held in Qdrant itself, so builders on several machines can share one server.

The lock is a lease: one point in the collection ``<name>-lock`` whose payload names
its holder and the time its lease ends. Taking and renewing it are compare-and-swap
upserts (Qdrant's conditional update, ``update_filter``, server 1.16 or later): the
point is replaced only while it is absent, expired or already ours, and the holder is
read back to learn who won. A build renews its lease in the background while it
runs; a builder that died stops renewing, and the next one takes the lock over once
the lease has run out.

Safety does not depend on the machines' clocks agreeing: a builder whose lease was
taken over (its clock ran slow, or it hung for longer than a lease) finds that out
when it renews or commits, and its commit is refused; only when it waits for a lease
does a wrong clock matter, by making it wait too long or too short.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from typing import Any

from regionplans.errors import IndexError_

log = logging.getLogger(__name__)

LEASE_SECONDS = 60.0
WAIT_SECONDS = 30 * 60.0
_LOCK_ID = str(uuid.UUID(int=1))


def lock_collection(collection: str) -> str:
    """The collection that holds the build lock of the index ``collection``."""
    return f"{collection}-lock"


class LeaseLock:
    """The build lock of one index on one Qdrant server (or qdrant-client local mode).

    ``with LeaseLock(client, "regionplans", where=url):`` waits up to ``wait`` seconds
    for another builder's lease to end, then holds the lock, renewed every quarter
    lease, until the block ends. :meth:`check` raises when the lock was lost.
    """

    def __init__(
        self,
        client: Any,
        collection: str,
        *,
        where: str,
        lease: float = LEASE_SECONDS,
        wait: float = WAIT_SECONDS,
    ) -> None:
        self.client = client
        self.name = lock_collection(collection)
        self.where = where
        self.lease = lease
        self.wait = wait
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.lost = False
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    # -- the compare-and-swap ---------------------------------------------------
    def _ensure_collection(self) -> None:
        if not self.client.collection_exists(self.name):
            try:
                self.client.create_collection(self.name, vectors_config={})
            except IndexError_:
                raise
            except Exception:  # another builder created it first
                if not self.client.collection_exists(self.name):
                    raise
        self._check_conditional_updates()

    def _check_conditional_updates(self) -> None:
        """Refuse a server that ignores ``update_filter`` (before Qdrant 1.16): there a
        compare-and-swap would overwrite, and every builder would think it held the lock."""
        from qdrant_client import models

        probe = str(uuid.uuid5(uuid.NAMESPACE_URL, self.owner))  # one per builder
        nobody = models.Filter(
            must=[models.FieldCondition(key="owner", match=models.MatchValue(value="nobody"))]
        )
        for owner, flt in ((self.owner, None), ("overwritten", nobody)):
            self.client.upsert(
                self.name,
                points=[models.PointStruct(id=probe, vector={}, payload={"owner": owner})],
                update_filter=flt,
                wait=True,
            )
        records = self.client.retrieve(self.name, ids=[probe], with_payload=True)
        self.client.delete(self.name, points_selector=models.PointIdsList(points=[probe]), wait=True)
        if not records or (records[0].payload or {}).get("owner") != self.owner:
            raise IndexError_(
                f"the Qdrant server at {self.where} ignores conditional updates, which the "
                "index build lock needs; upgrade the server to Qdrant 1.16 or later"
            )

    def _swap(self) -> bool:
        """Take or extend the lease if it is free, expired or ours; whether we hold it."""
        from qdrant_client import models

        now = time.time()
        mine = models.FieldCondition(key="owner", match=models.MatchValue(value=self.owner))
        expired = models.FieldCondition(key="until", range=models.Range(lt=now))
        self.client.upsert(
            self.name,
            points=[
                models.PointStruct(
                    id=_LOCK_ID, vector={}, payload={"owner": self.owner, "until": now + self.lease}
                )
            ],
            update_filter=models.Filter(should=[expired, mine]),
            wait=True,
        )
        return self.holder() == self.owner

    def holder(self) -> str | None:
        """Who holds the lock now (an expired lease still names its last holder)."""
        records = self.client.retrieve(self.name, ids=[_LOCK_ID], with_payload=True)
        return str(records[0].payload.get("owner")) if records and records[0].payload else None

    # -- taking, keeping, giving back ------------------------------------------
    def acquire(self) -> None:
        self._ensure_collection()
        deadline = time.monotonic() + self.wait
        said = False
        while not self._swap():
            if time.monotonic() >= deadline:
                raise IndexError_(
                    f"another index build ({self.holder()}) holds the build lock at {self.where}; "
                    "wait for it to finish and run again"
                )
            if not said:
                log.warning("waiting for the index build of %s at %s", self.holder(), self.where)
                said = True
            time.sleep(min(1.0, self.lease / 8))
        self._stop.clear()
        self._heartbeat = threading.Thread(target=self._renew_loop, name="index-lease", daemon=True)
        self._heartbeat.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.lease / 4):
            try:
                if not self._swap():
                    self.lost = True
                    return
            except Exception:  # noqa: BLE001 - a passing network error: try again next beat
                log.warning("cannot renew the index build lock at %s", self.where, exc_info=True)

    def check(self) -> None:
        """Renew the lease now; raise when another builder has taken the lock over."""
        if self.lost or not self._swap():
            self.lost = True
            raise IndexError_(
                f"this index build lost its lock at {self.where} to {self.holder()} (it was "
                "stalled for longer than its lease); the other build's index is kept, run again"
            )

    def release(self) -> None:
        from qdrant_client import models

        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join()
            self._heartbeat = None
        mine = models.Filter(
            must=[
                models.HasIdCondition(has_id=[_LOCK_ID]),
                models.FieldCondition(key="owner", match=models.MatchValue(value=self.owner)),
            ]
        )
        try:
            self.client.delete(self.name, points_selector=models.FilterSelector(filter=mine), wait=True)
        except Exception:  # noqa: BLE001 - the lease runs out by itself; keep the build's own error
            log.warning("cannot release the index build lock at %s", self.where, exc_info=True)

    def __enter__(self) -> LeaseLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
