#!/usr/bin/env python3
"""The soak's load and checks (deploy/bench/soak.sh starts Nauta and runs this).

For --duration seconds: config maps created, updated and deleted, pods created and deleted, a
deployment scaled up and down, each at a steady rate, and one watcher per kind. A watcher keeps
what it has seen (name -> resourceVersion); when its watch ends it resumes from the last
resourceVersion it saw (that is not an error), and only on 410 it lists again. Errors are: a request
that failed (any status but the expected one), an event that contradicts what the watcher holds
(ADDED for an object it has, MODIFIED/DELETED for one it does not have, a resourceVersion not newer
than the one it has), and at the end any difference between a watcher's state and a fresh list.
Prints latency per verb (p50, p99) and the API server's heap after a full GC at the start and
the end (jcmd).
"""

import argparse
import json
import re
import subprocess
import sys
import threading
import time
import ssl
import urllib.error
import urllib.request

NS = "soak"
KINDS = {
    "configmaps": "/api/v1/namespaces/%s/configmaps" % NS,
    "pods": "/api/v1/namespaces/%s/pods" % NS,
    "deployments": "/apis/apps/v1/namespaces/%s/deployments" % NS,
}

lock = threading.Lock()
latencies = {}  # verb -> [seconds]
errors = []  # strings
counters = {"watch_resumes": 0, "watch_relists": 0, "events": 0, "retried": 0}
stop = threading.Event()  # watchers
writers_stop = threading.Event()


def error(msg):
    with lock:
        errors.append(msg)
    print("soak: ERROR " + msg, file=sys.stderr, flush=True)


def call(server, method, path, body=None, content_type="application/json", verb=None,
         expect=(200, 201)):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(server + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    started = time.monotonic()
    for attempt in range(10):
        retry_after = None
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, payload = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, payload = e.code, e.read()
            retry_after = e.headers.get("Retry-After")
            if retry_after is None:
                # Kubernetes also puts it in the header; Nauta so far only in the Status body.
                try:
                    retry_after = json.loads(payload)["details"]["retryAfterSeconds"]
                except (ValueError, KeyError, TypeError):
                    pass
        except Exception as e:  # connection refused, timeout
            status, payload = 0, str(e).encode()
        # As client-go: a 429 or 5xx that says Retry-After is tried again after that wait (e.g.
        # 504 "Too large resource version" while the watch cache catches up); counted apart.
        # (client-go reads only the header.)
        if retry_after is None or not (status == 429 or 500 <= status <= 599):
            break
        with lock:
            counters["retried"] += 1
        time.sleep(min(float(retry_after), 5))
    elapsed = time.monotonic() - started
    if verb:
        with lock:
            latencies.setdefault(verb, []).append(elapsed)
    if status not in expect:
        error("%s %s -> %s %s" % (method, path, status, payload[:300].decode(errors="replace")))
        return status, None
    return status, json.loads(payload) if payload else None


def paced(rate, body):
    """Runs body() about rate times a second until stopped."""
    interval = 1.0 / rate
    next_at = time.monotonic()
    i = 0
    while not writers_stop.is_set():
        body(i)
        i += 1
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            writers_stop.wait(delay)
        else:
            next_at = time.monotonic()


def configmap_worker(server, worker, rate):
    base = KINDS["configmaps"]

    def one(i):
        name = "cm-%d-%d" % (worker, i)
        _, cm = call(server, "POST", base, {"apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": {"name": name}, "data": {"v": "0"}},
                     verb="create")
        if cm is None:
            return
        cm["data"]["v"] = "1"
        _, cm = call(server, "PUT", base + "/" + name, cm, verb="update")
        if i % 2 == 0:  # half of them stay a while, deleted with the next one
            return
        call(server, "DELETE", base + "/cm-%d-%d" % (worker, i - 1), verb="delete")
        call(server, "DELETE", base + "/" + name, verb="delete")
        call(server, "GET", base + "?limit=50", verb="list")

    paced(rate, one)


def pod_worker(server, rate):
    base = KINDS["pods"]

    def one(i):
        name = "pod-%d" % i
        call(server, "POST", base, {
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"soak": "pod"}},
            "spec": {"containers": [{"name": "c", "image": "nauta/busybox:local",
                                     "command": ["sleep", "3600"]}]}}, verb="create")
        call(server, "GET", base + "/" + name, verb="get")
        if i >= 5:  # five pods live at any time
            call(server, "DELETE", base + "/pod-%d" % (i - 5), verb="delete",
                 expect=(200, 202, 404))

    paced(rate, one)


def deployment_worker(server, period):
    base = KINDS["deployments"]
    call(server, "POST", base, {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nauta/busybox:local",
                                                       "command": ["sleep", "3600"]}]}}}},
         verb="create")
    sizes = [1, 3, 5, 2]

    def one(i):
        call(server, "PATCH", base + "/web", {"spec": {"replicas": sizes[i % len(sizes)]}},
             content_type="application/merge-patch+json", verb="patch")

    paced(1.0 / period, one)


class Watcher:
    """Follows one kind: list, then watch; resumes from its last resourceVersion."""

    def __init__(self, server, kind):
        self.server, self.kind, self.path = server, kind, KINDS[kind]
        self.state = {}  # name -> resourceVersion (int)
        self.rv = None
        self.lock = threading.Lock()

    def relist(self):
        _, lst = call(self.server, "GET", self.path)
        if lst is None:
            return False
        with self.lock:
            self.state = {o["metadata"]["name"]: int(o["metadata"]["resourceVersion"])
                          for o in lst["items"]}
            self.rv = lst["metadata"]["resourceVersion"]
        return True

    def run(self):
        while not stop.is_set() and not self.relist():
            stop.wait(1)
        while not stop.is_set():
            url = "%s%s?watch=true&allowWatchBookmarks=true&timeoutSeconds=60&resourceVersion=%s" % (
                self.server, self.path, self.rv)
            try:
                with urllib.request.urlopen(url, timeout=90) as resp:
                    for line in resp:
                        if stop.is_set():
                            return
                        if not self.apply(json.loads(line)):
                            break
            except urllib.error.HTTPError as e:
                if e.code == 410:
                    self.relist_after_expiry()
                    continue
                error("watch %s -> %s" % (self.kind, e.code))
                stop.wait(1)
                continue
            except Exception as e:
                if not stop.is_set():
                    print("soak: watch %s ended: %s; resuming" % (self.kind, e), file=sys.stderr)
            with lock:
                counters["watch_resumes"] += 1

    def relist_after_expiry(self):
        with lock:
            counters["watch_relists"] += 1
        self.relist()

    def apply(self, event):
        kind, obj = event["type"], event["object"]
        if kind == "ERROR":
            if obj.get("code") == 410:
                self.relist_after_expiry()
            else:
                error("watch %s: ERROR %s" % (self.kind, obj))
            return False
        rv = int(obj["metadata"]["resourceVersion"])
        with self.lock:
            self.rv = str(rv)
            if kind == "BOOKMARK":
                return True
            with lock:
                counters["events"] += 1
            name = obj["metadata"]["name"]
            have = self.state.get(name)
            if kind == "ADDED" and have is not None:
                error("watch %s: ADDED %s at %d, already held at %d" % (self.kind, name, rv, have))
            elif kind in ("MODIFIED", "DELETED") and have is None:
                error("watch %s: %s %s at %d, never seen (missed)" % (self.kind, kind, name, rv))
            elif have is not None and rv <= have:
                error("watch %s: %s %s at %d, not newer than %d (duplicate)" % (
                    self.kind, kind, name, rv, have))
            if kind == "DELETED":
                self.state.pop(name, None)
            else:
                self.state[name] = rv
        return True

    def compare_with_list(self):
        _, lst = call(self.server, "GET", self.path)
        fresh = {o["metadata"]["name"]: int(o["metadata"]["resourceVersion"]) for o in lst["items"]}
        with self.lock:
            return fresh == self.state, fresh, dict(self.state)


def heap_after_gc(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], check=True, capture_output=True)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], check=True, capture_output=True,
                         text=True).stdout
    used = re.search(r"used (\d+)K", out)
    return int(used.group(1)) // 1024 if used else -1


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--pid", type=int, required=True, help="the API server JVM, for jcmd")
    ap.add_argument("--duration", type=float, default=600)
    ap.add_argument("--configmap-workers", type=int, default=2)
    ap.add_argument("--configmap-rate", type=float, default=2.0, help="cycles/s per worker")
    ap.add_argument("--pod-rate", type=float, default=1.0)
    ap.add_argument("--scale-period", type=float, default=10.0)
    ap.add_argument("--heap-every", type=float, default=120.0,
                    help="seconds between heap-after-GC samples during the run")
    ap.add_argument("--cacert", help="the server CA (HTTPS)")
    ap.add_argument("--cert", help="a client certificate (the admin's)")
    ap.add_argument("--key", help="its private key")
    args = ap.parse_args()
    if args.cacert:
        # deploy/nauta up serves HTTPS and wants a client certificate: every urlopen uses it.
        ctx = ssl.create_default_context(cafile=args.cacert)
        if args.cert:
            ctx.load_cert_chain(args.cert, args.key)
        urllib.request.install_opener(
            urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx)))

    call(args.server, "POST", "/api/v1/namespaces",
         {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    heap_start = heap_after_gc(args.pid)
    print("soak: heap after GC at the start: %d MiB" % heap_start, flush=True)
    heap_samples = [(0, heap_start)]

    watchers = [Watcher(args.server, k) for k in KINDS]
    threads = [threading.Thread(target=w.run, daemon=True) for w in watchers]
    threads += [threading.Thread(target=configmap_worker, args=(args.server, i, args.configmap_rate),
                                 daemon=True) for i in range(args.configmap_workers)]
    threads.append(threading.Thread(target=pod_worker, args=(args.server, args.pod_rate),
                                    daemon=True))
    threads.append(threading.Thread(target=deployment_worker,
                                    args=(args.server, args.scale_period), daemon=True))
    for t in threads:
        t.start()
    started = time.monotonic()
    next_heap = args.heap_every
    while time.monotonic() - started < args.duration:
        time.sleep(max(0, min(60, args.duration - (time.monotonic() - started))))
        elapsed = time.monotonic() - started
        with lock:
            done = sum(len(v) for v in latencies.values())
        print("soak: %4.0f s, %d requests, %d errors" % (elapsed, done, len(errors)), flush=True)
        if elapsed >= next_heap and elapsed < args.duration - 1:
            # A full GC pauses the server a moment: the latencies around it include that pause.
            heap_samples.append((elapsed, heap_after_gc(args.pid)))
            print("soak: heap after GC at %.0f s: %d MiB" % heap_samples[-1], flush=True)
            next_heap += args.heap_every
    writers_stopped = time.monotonic()
    writers_stop.set()
    # Writers finish their current request; watchers are compared once they caught up.
    time.sleep(2)
    deadline = time.monotonic() + 30
    mismatched = list(watchers)
    while mismatched and time.monotonic() < deadline:
        time.sleep(1)
        mismatched = [w for w in mismatched if not w.compare_with_list()[0]]
    stop.set()
    for w in mismatched:
        _, fresh, held = w.compare_with_list()
        missing = sorted(set(fresh) - set(held))[:5]
        extra = sorted(set(held) - set(fresh))[:5]
        stale = sorted(n for n in fresh if n in held and fresh[n] != held[n])[:5]
        error("watcher %s differs from a fresh list: missing %s, extra %s, stale %s" % (
            w.kind, missing, extra, stale))
    heap_end = heap_after_gc(args.pid)

    print("\nsoak: %.0f s of load, watchers compared %.1f s after the writes ended" % (
        writers_stopped - started, time.monotonic() - writers_stopped))
    print("%-8s %8s %9s %9s" % ("verb", "count", "p50 ms", "p99 ms"))
    for verb in sorted(latencies):
        v = latencies[verb]
        print("%-8s %8d %9.1f %9.1f" % (verb, len(v), percentile(v, 50) * 1000,
                                        percentile(v, 99) * 1000))
    print("watch events %d, watch resumes %d, relists after 410 %d" % (
        counters["events"], counters["watch_resumes"], counters["watch_relists"]))
    print("requests retried after a 429/5xx with Retry-After: %d" % counters["retried"])
    heap_samples.append((writers_stopped - started, heap_end))
    print("heap after full GC: start %d MiB, end %d MiB" % (heap_start, heap_end))
    print("heap after full GC over the run: " + ", ".join(
        "%.0f s: %d MiB" % sample for sample in heap_samples))
    print("errors: %d" % len(errors))
    for e in errors[:20]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
