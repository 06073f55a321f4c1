"""The official Kubernetes Python client (Debian's python3-kubernetes) against Nauta.

Each case is what a program that keeps its state in the Kubernetes API relies on: optimistic
concurrency (409), watches resumed from a list's resourceVersion, 410 for an expired one, paging,
patches, subresources, custom resources, and the client's own leader election. Run by
PythonClientIT: python3 official_client.py KUBECONFIG NAMESPACE; prints "ok <case>" or
"FAIL <case>: <why>" per case, and exits 1 if any failed.
"""
import datetime
import json
import sys
import threading
import time
import traceback

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
NS = sys.argv[2]
v1 = client.CoreV1Api()
apps = client.AppsV1Api()
coord = client.CoordinationV1Api()
ext = client.ApiextensionsV1Api()
custom = client.CustomObjectsApi()
failures = []


def report(line):
    # One write per line: print() writes its arguments one by one, and the client's leader
    # election logs to stderr (merged by the test) could land between them.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def case(fn):
    started = time.monotonic()
    try:
        fn()
        report("ok %s %.1fs" % (fn.__name__, time.monotonic() - started))
    except Exception as e:  # noqa: BLE001 - every failure is reported, not just assertions
        failures.append(fn.__name__)
        report("FAIL %s: %s" % (fn.__name__, repr(e)[:800]))
        traceback.print_exc(limit=4)
    return fn


def status_of(e):
    body = json.loads(e.body) if e.body else {}
    return e.status, body.get("reason"), body


def cm(name, **data):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data=data or None)


v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))


@case
def a_stale_replace_is_409_conflict():
    made = v1.create_namespaced_config_map(NS, cm("state", a="1"))
    stale = made.metadata.resource_version
    made.data["a"] = "2"
    v1.replace_namespaced_config_map("state", NS, made)
    made.data["a"] = "3"
    made.metadata.resource_version = stale
    try:
        v1.replace_namespaced_config_map("state", NS, made)
        raise AssertionError("a replace at a stale resourceVersion was accepted")
    except ApiException as e:
        code, reason, _ = status_of(e)
        assert (code, reason) == (409, "Conflict"), (code, reason)
    assert v1.read_namespaced_config_map("state", NS).data["a"] == "2"


@case
def a_second_create_is_409_already_exists():
    try:
        v1.create_namespaced_config_map(NS, cm("state"))
        raise AssertionError("created twice")
    except ApiException as e:
        code, reason, body = status_of(e)
        assert (code, reason) == (409, "AlreadyExists"), body
        assert body["details"]["name"] == "state" and body["details"]["kind"] == "configmaps", body


@case
def a_watch_from_a_lists_resource_version_sees_every_later_write_in_order():
    rv = v1.list_namespaced_config_map(NS).metadata.resource_version

    def writer():
        time.sleep(0.3)
        for i in range(5):
            v1.create_namespaced_config_map(NS, cm(f"w{i}"))
        v1.delete_namespaced_config_map("w0", NS)

    threading.Thread(target=writer).start()
    seen = []
    w = watch.Watch()
    for ev in w.stream(v1.list_namespaced_config_map, NS, resource_version=rv, timeout_seconds=20):
        seen.append((ev["type"], ev["object"].metadata.name))
        if len(seen) == 6:
            w.stop()
    assert seen == [("ADDED", f"w{i}") for i in range(5)] + [("DELETED", "w0")], seen


@case
def a_watch_from_an_expired_resource_version_is_410_gone():
    # The server under test keeps 2 s of history: a version older than that has been compacted.
    old = v1.create_namespaced_config_map(NS, cm("expired")).metadata.resource_version
    v1.patch_namespaced_config_map("expired", NS, {"data": {"x": "1"}})
    time.sleep(4)
    v1.patch_namespaced_config_map("expired", NS, {"data": {"x": "2"}})
    try:
        for ev in watch.Watch().stream(
            v1.list_namespaced_config_map, NS, resource_version=old, timeout_seconds=5
        ):
            raise AssertionError(f"an expired watch delivered {ev['type']}")
        raise AssertionError("an expired watch ended without an error")
    except ApiException as e:
        assert e.status == 410, e


@case
def a_watch_that_allows_bookmarks_streams_the_writes():
    rv = v1.list_namespaced_config_map(NS).metadata.resource_version
    threading.Thread(
        target=lambda: (time.sleep(0.3), v1.create_namespaced_config_map(NS, cm("marked")))
    ).start()
    w, delivered = watch.Watch(), []
    for ev in w.stream(
        v1.list_namespaced_config_map, NS, resource_version=rv, allow_watch_bookmarks=True,
        timeout_seconds=20,
    ):
        if ev["type"] == "BOOKMARK":  # only a resourceVersion, never older than the start
            assert int(ev["raw_object"]["metadata"]["resourceVersion"]) >= int(rv), ev
            continue
        assert (ev["type"], ev["object"].metadata.name) == ("ADDED", "marked"), ev
        delivered.append(ev)
        w.stop()
    assert delivered, "the write was not delivered"


@case
def a_list_pages_with_limit_and_continue():
    for i in range(7):
        v1.create_namespaced_secret(
            NS, client.V1Secret(metadata=client.V1ObjectMeta(name=f"s{i}", labels={"page": "y"}))
        )
    names, token, pages = [], None, 0
    while True:
        page = v1.list_namespaced_secret(NS, label_selector="page=y", limit=3, _continue=token)
        pages += 1
        names += [s.metadata.name for s in page.items]
        token = page.metadata._continue
        if not token:
            break
    assert names == [f"s{i}" for i in range(7)] and pages == 3, (names, pages)


@case
def merge_and_json_patches_apply():
    v1.patch_namespaced_config_map("state", NS, {"metadata": {"labels": {"tier": "db"}}})
    v1.patch_namespaced_config_map("state", NS, [{"op": "add", "path": "/data/b", "value": "9"}])
    got = v1.read_namespaced_config_map("state", NS)
    assert got.data == {"a": "2", "b": "9"} and got.metadata.labels == {"tier": "db"}, got
    try:
        v1.patch_namespaced_config_map("state", NS, [{"op": "test", "path": "/data/a", "value": "7"}])
        raise AssertionError("a failed JSON patch test was applied")
    except ApiException as e:
        assert e.status == 422, e


def deployment(name, replicas):
    labels = {"app": name}
    return client.V1Deployment(
        metadata=client.V1ObjectMeta(name=name),
        spec=client.V1DeploymentSpec(
            replicas=replicas,
            selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels),
                spec=client.V1PodSpec(
                    containers=[client.V1Container(name="c", image="nauta/busybox:local")]
                ),
            ),
        ),
    )


@case
def status_and_scale_subresources_write_only_their_part():
    apps.create_namespaced_deployment(NS, deployment("web", 2))
    apps.patch_namespaced_deployment_status(
        "web", NS, {"spec": {"replicas": 9}, "status": {"observedGeneration": 1, "replicas": 2}}
    )
    got = apps.read_namespaced_deployment("web", NS)
    assert got.spec.replicas == 2 and got.status.replicas == 2, got
    scale = apps.read_namespaced_deployment_scale("web", NS)
    assert scale.spec.replicas == 2 and scale.status.selector == "app=web", scale
    apps.patch_namespaced_deployment_scale("web", NS, {"spec": {"replicas": 4}})
    assert apps.read_namespaced_deployment("web", NS).spec.replicas == 4


@case
def an_invalid_object_is_422_with_its_causes():
    try:
        v1.create_namespaced_config_map(NS, cm("Not_A_Name"))
        raise AssertionError("an invalid name was accepted")
    except ApiException as e:
        code, reason, body = status_of(e)
        assert (code, reason) == (422, "Invalid"), body
        assert body["details"]["causes"][0]["field"] == "metadata.name", body


@case
def a_lease_takes_python_datetimes_and_answers_them_in_utc():
    now = datetime.datetime.now(datetime.timezone.utc)
    lease = coord.create_namespaced_lease(
        NS,
        client.V1Lease(
            metadata=client.V1ObjectMeta(name="leader"),
            spec=client.V1LeaseSpec(
                holder_identity="a", lease_duration_seconds=15, acquire_time=now, renew_time=now
            ),
        ),
    )
    later = now + datetime.timedelta(seconds=5)
    lease.spec.holder_identity = "b"
    lease.spec.renew_time = later.astimezone(datetime.timezone(datetime.timedelta(hours=2)))
    coord.replace_namespaced_lease("leader", NS, lease)
    raw = coord.read_namespaced_lease("leader", NS, _preload_content=False)
    spec = json.loads(raw.data)["spec"]
    assert spec["holderIdentity"] == "b", spec
    assert spec["renewTime"] == later.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), spec


@case
def the_clients_own_leader_election_leads():
    from kubernetes.leaderelection import electionconfig, leaderelection
    from kubernetes.leaderelection.resourcelock.configmaplock import ConfigMapLock

    led = threading.Event()
    lock = ConfigMapLock("py-election", NS, "candidate-1")
    cfg = electionconfig.Config(
        lock, lease_duration=4, renew_deadline=3, retry_period=1,
        onstarted_leading=led.set, onstopped_leading=lambda: None,
    )
    election = leaderelection.LeaderElection(cfg)
    threading.Thread(target=election.run, daemon=True).start()
    assert led.wait(15), "never led"
    record = v1.read_namespaced_config_map("py-election", NS).metadata.annotations
    held = json.loads(record["control-plane.alpha.kubernetes.io/leader"])
    assert held["holderIdentity"] == "candidate-1", held


@case
def a_custom_resource_has_status_and_watches():
    group = "py.example.com"
    ext.create_custom_resource_definition({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"widgets.{group}"},
        "spec": {
            "group": group, "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
            "versions": [{
                "name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
                    "status": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
                }}},
            }],
        },
    })
    for _ in range(100):
        conditions = ext.read_custom_resource_definition(f"widgets.{group}").status.conditions or []
        if any(c.type == "Established" and c.status == "True" for c in conditions):
            break
        time.sleep(0.2)
    custom.create_namespaced_custom_object(group, "v1", NS, "widgets", {
        "apiVersion": f"{group}/v1", "kind": "Widget", "metadata": {"name": "w1"},
        "spec": {"size": 3}, "status": {"ok": False},
    })
    got = custom.get_namespaced_custom_object(group, "v1", NS, "widgets", "w1")
    assert "status" not in got, got  # status is the subresource's, not the create's
    custom.patch_namespaced_custom_object_status(
        group, "v1", NS, "widgets", "w1", {"status": {"ok": True}, "spec": {"size": 99}}
    )
    got = custom.get_namespaced_custom_object(group, "v1", NS, "widgets", "w1")
    assert got["status"] == {"ok": True} and got["spec"] == {"size": 3}, got
    rv = custom.list_namespaced_custom_object(group, "v1", NS, "widgets")["metadata"]["resourceVersion"]
    threading.Thread(target=lambda: (time.sleep(0.3), custom.patch_namespaced_custom_object(
        group, "v1", NS, "widgets", "w1", {"spec": {"size": 4}}))).start()
    w = watch.Watch()
    for ev in w.stream(custom.list_namespaced_custom_object, group, "v1", NS, "widgets",
                       resource_version=rv, timeout_seconds=20):
        assert ev["type"] == "MODIFIED" and ev["object"]["spec"]["size"] == 4, ev
        w.stop()


@case
def a_delete_with_preconditions_is_409_on_a_mismatch():
    current = v1.read_namespaced_config_map("state", NS)
    wrong = client.V1DeleteOptions(preconditions=client.V1Preconditions(uid="00000000-0000-0000-0000-000000000000"))
    try:
        v1.delete_namespaced_config_map("state", NS, body=wrong)
        raise AssertionError("deleted despite a wrong uid")
    except ApiException as e:
        assert e.status == 409, e
    right = client.V1DeleteOptions(preconditions=client.V1Preconditions(
        uid=current.metadata.uid, resource_version=current.metadata.resource_version))
    v1.delete_namespaced_config_map("state", NS, body=right)


@case
def a_dry_run_writes_nothing():
    made = v1.create_namespaced_config_map(NS, cm("dry", k="v"), dry_run="All")
    assert made.metadata.name == "dry" and made.metadata.uid, made
    try:
        v1.read_namespaced_config_map("dry", NS)
        raise AssertionError("a dry run was stored")
    except ApiException as e:
        assert e.status == 404, e


@case
def selectors_filter_lists():
    pods = v1.list_pod_for_all_namespaces(field_selector=f"metadata.namespace={NS}")
    assert pods.items == [], pods
    named = v1.list_namespaced_secret(NS, field_selector="metadata.name=s1", label_selector="page in (y)")
    assert [s.metadata.name for s in named.items] == ["s1"], named
    try:
        v1.list_namespaced_pod(NS, field_selector="spec.nonsense=1")
        raise AssertionError("an unsupported field selector was accepted")
    except ApiException as e:
        assert e.status == 400, e


@case
def an_eviction_deletes_a_pod_and_a_budget_is_validated():
    v1.create_namespaced_pod(NS, client.V1Pod(
        metadata=client.V1ObjectMeta(name="evicted", labels={"app": "evicted"}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nauta/busybox:local")])))
    v1.create_namespaced_pod_eviction("evicted", NS, client.V1Eviction(
        metadata=client.V1ObjectMeta(name="evicted", namespace=NS)))
    try:
        v1.read_namespaced_pod("evicted", NS)
        raise AssertionError("an evicted pending pod is still there")
    except ApiException as e:
        assert e.status == 404, e
    policy = client.PolicyV1Api()
    try:
        policy.create_namespaced_pod_disruption_budget(NS, client.V1PodDisruptionBudget(
            metadata=client.V1ObjectMeta(name="both"),
            spec=client.V1PodDisruptionBudgetSpec(min_available=1, max_unavailable=1,
                                                  selector=client.V1LabelSelector(match_labels={"app": "x"}))))
        raise AssertionError("a budget with both bounds was accepted")
    except ApiException as e:
        code, reason, _ = status_of(e)
        assert (code, reason) == (422, "Invalid"), e
    made = policy.create_namespaced_pod_disruption_budget(NS, client.V1PodDisruptionBudget(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1PodDisruptionBudgetSpec(min_available="50%",
                                              selector=client.V1LabelSelector(match_labels={"app": "web"}))))
    assert made.spec.min_available == "50%", made


@case
def discovery_and_access_reviews_answer():
    assert client.VersionApi().get_code().major == "1"
    assert "apps" in [g.name for g in client.ApisApi().get_api_versions().groups]
    assert "pods" in [r.name for r in v1.get_api_resources().resources]
    review = client.AuthorizationV1Api().create_self_subject_access_review(
        client.V1SelfSubjectAccessReview(spec=client.V1SelfSubjectAccessReviewSpec(
            resource_attributes=client.V1ResourceAttributes(verb="get", resource="pods", namespace=NS))))
    assert review.status.allowed, review.status


print("failed:", len(failures), failures, flush=True)
sys.exit(1 if failures else 0)
