"""The deferred-work queue (``emulator/deferred.py``): applied strictly in order of arrival, one
batch at a time, by the worker thread or, for work queued while a server thread serves a
request (``answer_first``), by that thread once it has answered."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import requests

from emulator.clock import Clock
from emulator.deferred import WorkQueue, answer_first
from emulator.testing import EmulatorHandle
from emulator.testing.server import ThreadServer


def _serving(work: WorkQueue, fn) -> None:
    """What ``serving._KeepAliveTask.service`` does around one request that queues ``fn``."""
    queued: list[WorkQueue] = []
    token = answer_first.set(queued)
    try:
        work.submit(fn)
    finally:
        answer_first.reset(token)
    for queue in queued:
        queue.apply_due()


def test_work_queued_while_serving_is_applied_by_the_serving_thread_after_its_answer():
    work = WorkQueue(Clock())
    ran_in: list[str] = []
    queued: list[WorkQueue] = []
    token = answer_first.set(queued)
    try:
        work.submit(lambda: ran_in.append(threading.current_thread().name))
    finally:
        answer_first.reset(token)
    assert queued == [work] and ran_in == []  # nothing applied while the request is served
    assert work.pending() == [{"label": "", "due": None}]
    work.apply_due()
    assert ran_in == [threading.current_thread().name]
    assert work.drain(timeout=1) == 0
    work.stop()


def test_outside_a_server_the_worker_applies_it_and_work_not_due_waits_for_the_worker():
    clock = Clock()
    clock.freeze()
    work = WorkQueue(clock)
    ran_in: list[str] = []
    work.submit(lambda: ran_in.append(threading.current_thread().name))
    assert work.drain(timeout=5) == 0 and ran_in == ["deferred-work"]
    queued: list[WorkQueue] = []
    token = answer_first.set(queued)
    try:  # due later: only the worker, polling the clock, can apply it
        work.submit(lambda: ran_in.append("later"), due=clock.now() + timedelta(seconds=60))
    finally:
        answer_first.reset(token)
    assert queued == []
    work.apply_due()
    assert work.drain(timeout=1) == 1 and ran_in == ["deferred-work"]
    clock.advance(61)
    assert work.drain(timeout=5) == 0 and ran_in == ["deferred-work", "later"]
    work.stop()


def test_many_serving_threads_and_the_worker_apply_everything_once_in_order_never_two_at_once():
    work = WorkQueue(Clock())
    submitted: list[int] = []
    applied: list[int] = []
    order = threading.Lock()  # submissions in one order, which the queue must keep
    state = {"applying": 0, "overlaps": 0}
    drained: list[int] = []

    def item(n: int):
        def fn() -> None:
            state["applying"] += 1
            if state["applying"] > 1:
                state["overlaps"] += 1
            time.sleep(0)  # let the other threads run mid-item, as a real update would
            applied.append(n)
            state["applying"] -= 1
        return fn

    def server_thread(first: int) -> None:
        for n in range(first, first + 300):
            if n % 7 == 0:  # some work is queued outside any request: the worker takes it
                with order:
                    submitted.append(n)
                    work.submit(item(n))
                continue
            queued: list[WorkQueue] = []
            token = answer_first.set(queued)
            with order:
                submitted.append(n)
                work.submit(item(n))
            answer_first.reset(token)
            for queue in queued:
                queue.apply_due()
            if n % 50 == 0:
                drained.append(work.drain(timeout=5))

    threads = [threading.Thread(target=server_thread, args=(i * 1000,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert work.drain(timeout=10) == 0
    assert applied == submitted and len(applied) == 1800
    assert state["overlaps"] == 0
    assert len(drained) > 20 and set(drained) == {0}  # every drain saw all due work applied, none timed out
    work.stop()


def test_an_async_put_over_http_is_answered_then_applied():
    with ThreadServer() as server:
        handle = EmulatorHandle(server.app, server.url)
        url = f"{server.url}/v3/database/1/profiles?access_token=demo-copernica-token"
        reply = requests.put(f"{url}&fields%5B%5D=customerid%3D%3D4567&async=1&create=0",
                             json={"fields": {"firstname": "Queued"}}, timeout=10)
        assert reply.status_code == 204 and "X-Created" not in reply.headers
        assert handle.drain() == 0
        names = requests.get(f"{url}&fields%5B%5D=customerid%3D%3D4567", timeout=10).json()["data"]
        assert [p["fields"]["firstname"] for p in names] == ["Queued"]
