#!/usr/bin/env python3
"""Measurements of deploy/bench/pod-startup.sh (docs/benchmarks.md, pod start-up latency).

  pod_startup.py nauta <api url> <namespace> <replicas> <manifest> <out.json>
      watches the namespace's pods, sends 'kubectl apply -f manifest' and records, per pod, when
      the watch delivered it ADDED, bound to a node, Running and Ready (ms, against this
      machine's clock), until every replica is Ready.
  pod_startup.py lines <start-end lines> <out.json>
  pod_startup.py swarm <docker inspect of the tasks> <create sent, ns> <out.json>
      the docker run and Swarm measurements in the same format.
  pod_startup.py summary <results dir> <pods> <rounds>
      the per-round table and the medians side by side, as markdown.

Times are arrival times of watch events, not the objects' timestamps (1 s resolution).
"""
import glob
import http.client
import json
import math
import os
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse


def now_ms():
    return time.time_ns() / 1e6


def ready(pod):
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def connect(url, timeout):
    """HTTPS with the admin's client certificate from NAUTA_PKI (Nauta runs secure), else HTTP."""
    if url.scheme != "https":
        return http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    pki = os.environ["NAUTA_PKI"]
    context = ssl.create_default_context(cafile=os.path.join(pki, "server-ca.crt"))
    context.load_cert_chain(os.path.join(pki, "admin-client.crt"),
                            os.path.join(pki, "admin-client.key"))
    return http.client.HTTPSConnection(url.hostname, url.port, timeout=timeout, context=context)


def nauta(api, namespace, replicas, manifest, out):
    url = urllib.parse.urlparse(api)
    conn = connect(url, 10)
    conn.request("GET", f"/api/v1/namespaces/{namespace}/pods")
    listed = json.loads(conn.getresponse().read())
    if listed.get("items"):
        sys.exit(f"namespace {namespace} still has pods: delete them first")
    rv = listed["metadata"]["resourceVersion"]
    watch = connect(url, 300)
    watch.request(
        "GET", f"/api/v1/namespaces/{namespace}/pods?watch=true&resourceVersion={rv}")
    resp = watch.getresponse()
    if resp.status != 200:
        sys.exit(f"watch failed: {resp.status} {resp.read()[:300]}")
    pods = {}  # name -> {added, bound, running, ready}
    done = threading.Event()

    def follow():
        while not done.is_set():
            line = resp.readline()
            if not line:
                break
            t = now_ms()
            event = json.loads(line)
            if event.get("type") not in ("ADDED", "MODIFIED"):
                continue
            pod = event["object"]
            times = pods.setdefault(pod["metadata"]["name"], {"added": t})
            if pod["spec"].get("nodeName"):
                times.setdefault("bound", t)
            if (pod.get("status") or {}).get("phase") == "Running":
                times.setdefault("running", t)
            if ready(pod):
                times.setdefault("ready", t)
            if sum(1 for p in pods.values() if "ready" in p) >= replicas:
                done.set()

    threading.Thread(target=follow, daemon=True).start()
    time.sleep(0.5)  # the watch is open before anything is created
    sent = now_ms()
    subprocess.run(["kubectl", "apply", "-f", manifest], check=True, stdout=subprocess.DEVNULL)
    applied = now_ms()
    if not done.wait(180):
        sys.exit(f"only {sum(1 for p in pods.values() if 'ready' in p)} of {replicas} pods"
                 " were Ready after 180 s")
    with open(out, "w") as f:
        json.dump({"sent": sent, "applied": applied, "pods": pods}, f)


def pct(values, p):
    """Nearest-rank percentile (with 50 values the p99 is the largest)."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def fmt(ms):
    return f"{ms / 1000:.2f} s"


# Each mode's file holds, per pod or container, "created" and "ready" in ms, plus "sent" (when
# the create was sent); lat = ready - created, all = last ready - sent.
def load(path):
    with open(path) as f:
        data = json.load(f)
    items = data["items"]
    lat = [i["ready"] - i["created"] for i in items]
    return {
        "n": len(items),
        "p50": pct(lat, 50),
        "p99": pct(lat, 99),
        "all": max(i["ready"] for i in items) - data["sent"],
        "phases": data.get("phases"),
    }


MODES = [
    ("nauta", "Nauta (deployment, --runtime docker)"),
    ("docker-run", "docker run -d, all in parallel"),
    ("docker-pod", "docker run -d, pod-shaped (sandbox + app in its netns), in parallel"),
    ("docker-seq", "docker run -d, one after another"),
    ("swarm", "Docker Swarm service"),
]


def summary(results, pods, rounds):
    table = {}
    for mode, _ in MODES:
        rows = []
        for r in range(1, rounds + 1):
            path = os.path.join(results, f"{mode}-{r}.json")
            if os.path.exists(path):
                rows.append(load(path))
        if rows:
            table[mode] = rows
    print("per round (p50 / p99 per pod or container, from its creation; all: create sent to"
          " the last one ready):")
    for mode, rows in table.items():
        print(f"  {mode:11s} " + "  ".join(
            f"[{fmt(x['p50'])} / {fmt(x['p99'])}, all {fmt(x['all'])}]" for x in rows))
    med = {m: {k: statistics.median(x[k] for x in rows) for k in ("p50", "p99", "all")}
           for m, rows in table.items()}
    print()
    print(f"| {pods} pods or containers, median of {rounds} rounds | p50 | p99 | create to all"
          " ready | Nauta ÷ this (p50 / p99 / all) |")
    print("|---|---|---|---|---|")
    base = med.get("nauta")
    for mode, title in MODES:
        if mode not in med:
            continue
        m = med[mode]
        ratio = "" if not base or mode == "nauta" else (
            f"{base['p50'] / m['p50']:.1f} / {base['p99'] / m['p99']:.1f} /"
            f" {base['all'] / m['all']:.1f}")
        print(f"| {title} | {fmt(m['p50'])} | {fmt(m['p99'])} | {fmt(m['all'])} | {ratio} |")
    phases = [x["phases"] for x in table.get("nauta", []) if x.get("phases")]
    if phases:
        print()
        print("Nauta, median per pod of each phase (median over the rounds):")
        for k in phases[0]:
            print(f"  {k}: {fmt(statistics.median(p[k] for p in phases))}")


def nauta_items(raw, out):
    """Converts the watch record into the common format, with the phases' medians."""
    with open(raw) as f:
        data = json.load(f)
    pods = [p for p in data["pods"].values() if "ready" in p]
    phases = {
        "created -> bound (controller, scheduler)": statistics.median(
            p["bound"] - p["added"] for p in pods),
        "bound -> Running (agent: sandbox, container, status write)": statistics.median(
            p["running"] - p["bound"] for p in pods),
        "Running -> Ready": statistics.median(p["ready"] - p["running"] for p in pods),
        "apply sent -> first pod created": min(p["added"] for p in pods) - data["sent"],
        "first pod created -> last pod created": max(p["added"] for p in pods)
        - min(p["added"] for p in pods),
    }
    with open(out, "w") as f:
        json.dump({"sent": data["sent"], "phases": phases,
                   "items": [{"created": p["added"], "ready": p["ready"]} for p in pods]}, f)


def nauta_events(out, events):
    """Adds to the round's phases the agent's steps per pod, from the Docker events of its
    containers (create and start of the sandbox and of the app container) between the binding
    and the watch delivering Running."""
    with open(out) as f:
        data = json.load(f)
    with open(out + ".raw") as f:
        pods = json.load(f)["pods"]
    steps = {}  # pod name -> {sandbox-create, sandbox-start, app-create, app-start}
    with open(events) as f:
        for line in f:
            e = json.loads(line)
            attrs = e["Actor"]["Attributes"]
            kind = "sandbox" if attrs.get("io.nauta.container.name") == "POD" else "app"
            if e["Action"] in ("create", "start"):
                steps.setdefault(attrs.get("io.nauta.pod.name"), {}).setdefault(
                    f"{kind}-{e['Action']}", e["timeNano"] / 1e6)
    chain = ["bound", "sandbox-create", "sandbox-start", "app-create", "app-start", "running"]
    rows = []
    for name, times in pods.items():
        t = dict(times, **steps.get(name, {}))
        if all(k in t for k in chain):
            rows.append(t)
    if rows:
        for a, b in zip(chain, chain[1:]):
            data["phases"][f"  agent: {a} -> {b}"] = statistics.median(r[b] - r[a] for r in rows)
        starts = sorted(r["app-start"] for r in rows)
        data["phases"]["  agent: first to last app container started"] = starts[-1] - starts[0]
    with open(out, "w") as f:
        json.dump(data, f)


def lines_items(lines, out):
    """'start end' lines (ns, one per docker run): created = the command's start, ready = its
    return (docker run -d returns once the container runs)."""
    items = []
    with open(lines) as f:
        for line in f:
            start, end = (int(x) / 1e6 for x in line.split())
            items.append({"created": start, "ready": end})
    with open(out, "w") as f:
        json.dump({"sent": min(i["created"] for i in items), "items": items}, f)


def rfc3339_ms(ts):
    """Docker's RFC 3339 time with nanoseconds, in ms since the epoch."""
    from datetime import datetime
    date, _, frac = ts.rstrip("Z").partition(".")
    seconds = datetime.fromisoformat(date + "+00:00").timestamp()
    return seconds * 1000 + (int((frac + "000000000")[:9]) / 1e6 if frac else 0)


def swarm_items(inspect, sent_ns, out):
    """Tasks of 'docker inspect': created = the task's CreatedAt, ready = the timestamp of its
    status 'running' (the swarm agent sets it once the container started)."""
    with open(inspect) as f:
        tasks = json.load(f)
    items = [{"created": rfc3339_ms(t["CreatedAt"]), "ready": rfc3339_ms(t["Status"]["Timestamp"])}
             for t in tasks if t["Status"]["State"] == "running"]
    with open(out, "w") as f:
        json.dump({"sent": int(sent_ns) / 1e6, "items": items}, f)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "nauta":
        api, ns, n, manifest, out = sys.argv[2:7]
        nauta(api, ns, int(n), manifest, out + ".raw")
        nauta_items(out + ".raw", out)
    elif cmd == "nauta-events":
        nauta_events(sys.argv[2], sys.argv[3])
    elif cmd == "lines":
        lines_items(sys.argv[2], sys.argv[3])
    elif cmd == "swarm":
        swarm_items(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "summary":
        summary(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
