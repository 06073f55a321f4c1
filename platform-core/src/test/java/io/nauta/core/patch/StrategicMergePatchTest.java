package io.nauta.core.patch;

import static io.nauta.core.patch.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.nauta.core.errors.BadRequestException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class StrategicMergePatchTest {

  /** Wraps a pod spec as a deployment's template spec. */
  private static String deploymentPodSpec(String podSpec) {
    return "{'spec':{'template':{'spec':" + podSpec + "}}}";
  }

  /** Wraps a pod spec as a pod's spec. */
  private static String pod(String podSpec) {
    return "{'spec':" + podSpec + "}";
  }

  /**
   * Name, kind, target, patch, expected result. Where Kubernetes documents an example ("Update API
   * Objects in Place Using kubectl patch", the community strategic-merge-patch.md), the case is
   * that example; list order follows upstream (patch items lead, live-only items keep their place).
   */
  static Stream<Arguments> cases() {
    return Stream.of(
        // --- Examples of "Update API Objects in Place Using kubectl patch" ---
        arguments(
            "adds a container to a deployment by name, as in the kubectl patch task",
            "Deployment",
            deploymentPodSpec(
                "{'containers':[{'name':'patch-demo-ctr','image':'nginx'}],"
                    + "'tolerations':[{'effect':'NoSchedule','key':'dedicated','value':'test-team'}]}"),
            deploymentPodSpec("{'containers':[{'name':'patch-demo-ctr-2','image':'redis'}]}"),
            deploymentPodSpec(
                "{'containers':[{'name':'patch-demo-ctr-2','image':'redis'},"
                    + "{'name':'patch-demo-ctr','image':'nginx'}],"
                    + "'tolerations':[{'effect':'NoSchedule','key':'dedicated','value':'test-team'}]}")),
        arguments(
            "replaces tolerations, which have no patch strategy upstream",
            "Deployment",
            deploymentPodSpec(
                "{'tolerations':[{'effect':'NoSchedule','key':'dedicated','value':'test-team'}]}"),
            deploymentPodSpec(
                "{'tolerations':[{'effect':'NoSchedule','key':'disktype','value':'ssd'}]}"),
            deploymentPodSpec(
                "{'tolerations':[{'effect':'NoSchedule','key':'disktype','value':'ssd'}]}")),
        arguments(
            "clears a deployment's rollingUpdate with retainKeys when switching to Recreate",
            "Deployment",
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'30%'}}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
            "{'spec':{'strategy':{'type':'Recreate'}}}"),
        arguments(
            "keeps rollingUpdate when the patch has no retainKeys",
            "Deployment",
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'30%'}}}}",
            "{'spec':{'strategy':{'type':'Recreate'}}}",
            "{'spec':{'strategy':{'type':'Recreate','rollingUpdate':{'maxSurge':'30%'}}}}"),
        // --- Directives, with the examples of strategic-merge-patch.md ---
        arguments(
            "takes a map literally with $patch: replace",
            "Pod",
            pod("{'nodeSelector':{'disk':'ssd','zone':'a'},'restartPolicy':'Always'}"),
            pod("{'nodeSelector':{'$patch':'replace','gpu':'true'}}"),
            pod("{'nodeSelector':{'gpu':'true'},'restartPolicy':'Always'}")),
        arguments(
            "replaces a whole merging list with a $patch: replace element",
            "Pod",
            pod(
                "{'containers':[{'name':'nginx','image':'nginx-0.9'},"
                    + "{'name':'log-tailer','image':'log-tailer-1.0'}]}"),
            pod("{'containers':[{'name':'nginx','image':'nginx-1.0'},{'$patch':'replace'}]}"),
            pod("{'containers':[{'name':'nginx','image':'nginx-1.0'}]}")),
        arguments(
            "deletes a list element by merge key with $patch: delete",
            "Pod",
            pod(
                "{'containers':[{'name':'nginx','image':'nginx-1.0'},"
                    + "{'name':'log-tailer','image':'log-tailer-1.0'}]}"),
            pod(
                "{'containers':[{'name':'nginx','image':'nginx-1.0'},"
                    + "{'$patch':'delete','name':'log-tailer'}]}"),
            pod("{'containers':[{'name':'nginx','image':'nginx-1.0'}]}")),
        arguments(
            "deletes every element that shares the merge key",
            "Pod",
            pod("{'containers':[{'name':'a','image':'1'},{'name':'a','image':'2'},{'name':'b'}]}"),
            pod("{'containers':[{'$patch':'delete','name':'a'}]}"),
            pod("{'containers':[{'name':'b'}]}")),
        arguments(
            "deletes a map with $patch: delete",
            "Deployment",
            "{'spec':{'strategy':{'type':'Recreate','rollingUpdate':{'maxSurge':1}}}}",
            "{'spec':{'strategy':{'rollingUpdate':{'$patch':'delete'}}}}",
            "{'spec':{'strategy':{'type':'Recreate'}}}"),
        arguments(
            "deletes a map set to null, the equivalent form",
            "Deployment",
            "{'spec':{'strategy':{'type':'Recreate','rollingUpdate':{'maxSurge':1}}}}",
            "{'spec':{'strategy':{'rollingUpdate':null}}}",
            "{'spec':{'strategy':{'type':'Recreate'}}}"),
        arguments(
            "accepts an explicit $patch: merge as the default",
            "Pod",
            pod("{'nodeSelector':{'disk':'ssd'}}"),
            pod("{'nodeSelector':{'$patch':'merge','zone':'a'}}"),
            pod("{'nodeSelector':{'disk':'ssd','zone':'a'}}")),
        arguments(
            "deletes items from finalizers with $deleteFromPrimitiveList",
            "Pod",
            "{'metadata':{'finalizers':['a','b','c']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b','c']}}",
            "{'metadata':{'finalizers':['a']}}"),
        arguments(
            "orders finalizers with $setElementOrder",
            "Pod",
            "{'metadata':{'finalizers':['a','b','c']}}",
            "{'metadata':{'$setElementOrder/finalizers':['b','c','a']}}",
            "{'metadata':{'finalizers':['b','c','a']}}"),
        arguments(
            "orders containers by merge key with $setElementOrder",
            "Pod",
            pod(
                "{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'},"
                    + "{'name':'c','image':'3'}]}"),
            pod("{'$setElementOrder/containers':[{'name':'b'},{'name':'c'},{'name':'a'}]}"),
            pod(
                "{'containers':[{'name':'b','image':'2'},{'name':'c','image':'3'},"
                    + "{'name':'a','image':'1'}]}")),
        arguments(
            "places a new element where $setElementOrder says and keeps a live-only one in place",
            "Pod",
            pod(
                "{'containers':[{'name':'web','env':[{'name':'A','value':'1'},"
                    + "{'name':'B','value':'2'},{'name':'C','value':'3'}]}]}"),
            pod(
                "{'containers':[{'name':'web',"
                    + "'$setElementOrder/env':[{'name':'A'},{'name':'D'},{'name':'C'}],"
                    + "'env':[{'name':'D','value':'4'}]}]}"),
            pod(
                "{'containers':[{'name':'web','env':[{'name':'A','value':'1'},"
                    + "{'name':'D','value':'4'},{'name':'B','value':'2'},{'name':'C','value':'3'}]}]}")),
        arguments(
            "clears the other fields of a volume with $retainKeys",
            "Pod",
            pod("{'volumes':[{'name':'data','emptyDir':{}},{'name':'other','emptyDir':{}}]}"),
            pod(
                "{'volumes':[{'$retainKeys':['configMap','name'],'name':'data',"
                    + "'configMap':{'name':'settings'}}]}"),
            pod(
                "{'volumes':[{'name':'data','configMap':{'name':'settings'}},"
                    + "{'name':'other','emptyDir':{}}]}")),
        arguments(
            "unions a merging primitive list, new items first as upstream orders them",
            "Pod",
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'finalizers':['c','b']}}",
            "{'metadata':{'finalizers':['c','a','b']}}"),
        arguments(
            "adds and removes finalizers in one patch, as kubectl apply sends it",
            "Pod",
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'$setElementOrder/finalizers':['a','c'],"
                + "'$deleteFromPrimitiveList/finalizers':['b'],'finalizers':['c']}}",
            "{'metadata':{'finalizers':['a','c']}}"),
        // --- kubectl apply: a container port and a label removed from the manifest ---
        arguments(
            "applies kubectl apply's patch that drops a container port and a label",
            "Deployment",
            "{'metadata':{'name':'web','labels':{'app':'web','tier':'front'},"
                + "'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old'}},"
                + "'spec':{'replicas':2,'template':{'metadata':{'labels':{'app':'web'}},"
                + "'spec':{'containers':[{'name':'web','image':'nginx',"
                + "'ports':[{'containerPort':80,'protocol':'TCP'},"
                + "{'containerPort':443,'protocol':'TCP'}]}]}}}}",
            "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'},"
                + "'labels':{'tier':null}},"
                + "'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],"
                + "'containers':[{'$setElementOrder/ports':[{'containerPort':80}],'name':'web',"
                + "'ports':[{'$patch':'delete','containerPort':443}]}]}}}}",
            "{'metadata':{'name':'web','labels':{'app':'web'},"
                + "'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}},"
                + "'spec':{'replicas':2,'template':{'metadata':{'labels':{'app':'web'}},"
                + "'spec':{'containers':[{'name':'web','image':'nginx',"
                + "'ports':[{'containerPort':80,'protocol':'TCP'}]}]}}}}"),
        // --- kubectl label / annotate / set image ---
        arguments(
            "adds and overwrites labels as kubectl label does",
            "ConfigMap",
            "{'metadata':{'labels':{'env':'dev','app':'x'}},'data':{'k':'v'}}",
            "{'metadata':{'labels':{'env':'prod','team':'a'}}}",
            "{'metadata':{'labels':{'env':'prod','app':'x','team':'a'}},'data':{'k':'v'}}"),
        arguments(
            "removes an annotation set to null as kubectl annotate key- does",
            "Secret",
            "{'metadata':{'annotations':{'a':'1','b':'2'}},'data':{'k':'dg=='}}",
            "{'metadata':{'annotations':{'a':null}}}",
            "{'metadata':{'annotations':{'b':'2'}},'data':{'k':'dg=='}}"),
        arguments(
            "changes one container's image as kubectl set image does",
            "Deployment",
            deploymentPodSpec(
                "{'containers':[{'name':'web','image':'nginx:1.24','ports':"
                    + "[{'containerPort':80}]},{'name':'sidecar','image':'busybox'}]}"),
            deploymentPodSpec("{'containers':[{'name':'web','image':'nginx:1.25'}]}"),
            deploymentPodSpec(
                "{'containers':[{'name':'web','image':'nginx:1.25','ports':"
                    + "[{'containerPort':80}]},{'name':'sidecar','image':'busybox'}]}")),
        arguments(
            "ignores a null for a field the object does not have",
            "ConfigMap",
            "{'data':{'a':'1'}}",
            "{'data':{'b':null}}",
            "{'data':{'a':'1'}}"),
        arguments(
            "strips directives and nulls from a new list element",
            "Pod",
            pod("{'containers':[{'name':'a'}]}"),
            pod(
                "{'containers':[{'name':'b','image':null,'env':[{'name':'X','value':'1'},"
                    + "{'$patch':'delete','name':'Y'}]}]}"),
            pod("{'containers':[{'name':'b','env':[{'name':'X','value':'1'}]},{'name':'a'}]}")),
        arguments(
            "keeps a merging list when the patch sends an empty one",
            "Pod",
            pod("{'containers':[{'name':'a'}]}"),
            pod("{'containers':[]}"),
            pod("{'containers':[{'name':'a'}]}")),
        arguments(
            "removes a merging list set to null",
            "Pod",
            pod("{'containers':[{'name':'a'}],'imagePullSecrets':[{'name':'s'}]}"),
            pod("{'imagePullSecrets':null}"),
            pod("{'containers':[{'name':'a'}]}")),
        // --- One case per merge key of the schema ---
        arguments(
            "merges ownerReferences by uid",
            "ReplicaSet",
            "{'metadata':{'ownerReferences':[{'uid':'u1','kind':'Deployment','name':'d'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'u1','controller':true},"
                + "{'uid':'u2','kind':'Foo','name':'f'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'u1','kind':'Deployment','name':'d',"
                + "'controller':true},{'uid':'u2','kind':'Foo','name':'f'}]}}"),
        arguments(
            "merges initContainers by name",
            "Pod",
            pod("{'initContainers':[{'name':'init','image':'a'}]}"),
            pod("{'initContainers':[{'name':'init','image':'b'}]}"),
            pod("{'initContainers':[{'name':'init','image':'b'}]}")),
        arguments(
            "merges ephemeralContainers by name, as kubectl debug adds one",
            "Pod",
            pod("{'ephemeralContainers':[{'name':'debugger-1','image':'busybox'}]}"),
            pod("{'ephemeralContainers':[{'name':'debugger-2','image':'busybox'}]}"),
            pod(
                "{'ephemeralContainers':[{'name':'debugger-2','image':'busybox'},"
                    + "{'name':'debugger-1','image':'busybox'}]}")),
        arguments(
            "merges env by name",
            "Pod",
            pod(
                "{'containers':[{'name':'c','env':[{'name':'A','value':'1'},"
                    + "{'name':'B','value':'2'}]}]}"),
            pod("{'containers':[{'name':'c','env':[{'name':'B','value':'3'}]}]}"),
            pod(
                "{'containers':[{'name':'c','env':[{'name':'A','value':'1'},"
                    + "{'name':'B','value':'3'}]}]}")),
        arguments(
            "merges container ports by containerPort",
            "Pod",
            pod("{'containers':[{'name':'c','ports':[{'containerPort':80}]}]}"),
            pod(
                "{'containers':[{'name':'c','ports':[{'containerPort':80,'name':'http'},"
                    + "{'containerPort':9090}]}]}"),
            pod(
                "{'containers':[{'name':'c','ports':[{'containerPort':80,'name':'http'},"
                    + "{'containerPort':9090}]}]}")),
        arguments(
            "merges volumeMounts by mountPath",
            "Pod",
            pod("{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/data','name':'a'}]}]}"),
            pod(
                "{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/data',"
                    + "'readOnly':true},{'mountPath':'/cache','name':'b'}]}]}"),
            pod(
                "{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/data','name':'a',"
                    + "'readOnly':true},{'mountPath':'/cache','name':'b'}]}]}")),
        arguments(
            "merges volumeDevices by devicePath",
            "Pod",
            pod(
                "{'containers':[{'name':'c','volumeDevices':[{'devicePath':'/dev/a','name':'x'}]}]}"),
            pod(
                "{'containers':[{'name':'c','volumeDevices':[{'devicePath':'/dev/a','name':'y'}]}]}"),
            pod(
                "{'containers':[{'name':'c','volumeDevices':[{'devicePath':'/dev/a','name':'y'}]}]}")),
        arguments(
            "replaces envFrom, which is atomic",
            "Pod",
            pod("{'containers':[{'name':'c','envFrom':[{'configMapRef':{'name':'a'}}]}]}"),
            pod("{'containers':[{'name':'c','envFrom':[{'secretRef':{'name':'b'}}]}]}"),
            pod("{'containers':[{'name':'c','envFrom':[{'secretRef':{'name':'b'}}]}]}")),
        arguments(
            "merges volumes by name",
            "Pod",
            pod("{'volumes':[{'name':'a','emptyDir':{}}]}"),
            pod("{'volumes':[{'name':'b','secret':{'secretName':'s'}}]}"),
            pod(
                "{'volumes':[{'name':'b','secret':{'secretName':'s'}},"
                    + "{'name':'a','emptyDir':{}}]}")),
        arguments(
            "merges imagePullSecrets by name",
            "Pod",
            pod("{'imagePullSecrets':[{'name':'a'}]}"),
            pod("{'imagePullSecrets':[{'name':'a'},{'name':'b'}]}"),
            pod("{'imagePullSecrets':[{'name':'a'},{'name':'b'}]}")),
        arguments(
            "merges hostAliases by ip",
            "Pod",
            pod("{'hostAliases':[{'ip':'10.1.2.3','hostnames':['a']}]}"),
            pod("{'hostAliases':[{'ip':'10.1.2.3','hostnames':['b']}]}"),
            pod("{'hostAliases':[{'ip':'10.1.2.3','hostnames':['b']}]}")),
        arguments(
            "merges topologySpreadConstraints by topologyKey",
            "Deployment",
            deploymentPodSpec(
                "{'topologySpreadConstraints':[{'topologyKey':'zone','maxSkew':1},"
                    + "{'topologyKey':'host','maxSkew':1}]}"),
            deploymentPodSpec("{'topologySpreadConstraints':[{'topologyKey':'zone','maxSkew':2}]}"),
            deploymentPodSpec(
                "{'topologySpreadConstraints':[{'topologyKey':'zone','maxSkew':2},"
                    + "{'topologyKey':'host','maxSkew':1}]}")),
        arguments(
            "merges pod status conditions by type, as a status patch does",
            "Pod",
            "{'status':{'phase':'Pending','conditions':[{'type':'PodScheduled','status':'True'},"
                + "{'type':'Ready','status':'False'}]}}",
            "{'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}]}}",
            "{'status':{'phase':'Running','conditions':[{'type':'PodScheduled','status':'True'},"
                + "{'type':'Ready','status':'True'}]}}"),
        arguments(
            "replaces containerStatuses, which have no patch strategy upstream",
            "Pod",
            "{'status':{'containerStatuses':[{'name':'a','ready':false},{'name':'b'}]}}",
            "{'status':{'containerStatuses':[{'name':'a','ready':true}]}}",
            "{'status':{'containerStatuses':[{'name':'a','ready':true}]}}"),
        arguments(
            "merges podIPs by ip",
            "Pod",
            "{'status':{'podIPs':[{'ip':'10.244.0.5'}]}}",
            "{'status':{'podIPs':[{'ip':'fd00::5'}]}}",
            "{'status':{'podIPs':[{'ip':'fd00::5'},{'ip':'10.244.0.5'}]}}"),
        arguments(
            "merges service ports by port",
            "Service",
            "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':8443}]}}",
            "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
            "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443,'targetPort':8443}]}}"),
        arguments(
            "replaces node taints, which have no patch strategy upstream",
            "Node",
            "{'spec':{'taints':[{'key':'a','effect':'NoSchedule'},{'key':'b','effect':'NoSchedule'}]}}",
            "{'spec':{'taints':[{'key':'a','effect':'NoSchedule'}]}}",
            "{'spec':{'taints':[{'key':'a','effect':'NoSchedule'}]}}"),
        arguments(
            "merges node addresses by type",
            "Node",
            "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.1'},"
                + "{'type':'Hostname','address':'n1'}]}}",
            "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'}]}}",
            "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'},"
                + "{'type':'Hostname','address':'n1'}]}}"),
        arguments(
            "merges node conditions by type, as the node agent's heartbeat does",
            "Node",
            "{'status':{'conditions':[{'type':'Ready','status':'True','lastHeartbeatTime':'t1'},"
                + "{'type':'MemoryPressure','status':'False'}]}}",
            "{'status':{'conditions':[{'type':'Ready','lastHeartbeatTime':'t2'}]}}",
            "{'status':{'conditions':[{'type':'Ready','status':'True','lastHeartbeatTime':'t2'},"
                + "{'type':'MemoryPressure','status':'False'}]}}"),
        arguments(
            "merges deployment status conditions by type",
            "Deployment",
            "{'status':{'conditions':[{'type':'Available','status':'False'}]}}",
            "{'status':{'conditions':[{'type':'Progressing','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'Progressing','status':'True'},"
                + "{'type':'Available','status':'False'}]}}"),
        arguments(
            "merges replica set status conditions by type",
            "ReplicaSet",
            "{'status':{'conditions':[{'type':'ReplicaFailure','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'ReplicaFailure','status':'False'}]}}",
            "{'status':{'conditions':[{'type':'ReplicaFailure','status':'False'}]}}"),
        arguments(
            "merges containers of a replica set's pod template by name",
            "ReplicaSet",
            "{'spec':{'template':{'metadata':{'finalizers':['x']},"
                + "'spec':{'containers':[{'name':'a','image':'1'}]}}}}",
            "{'spec':{'template':{'metadata':{'finalizers':['y']},"
                + "'spec':{'containers':[{'name':'a','image':'2'}]}}}}",
            "{'spec':{'template':{'metadata':{'finalizers':['y','x']},"
                + "'spec':{'containers':[{'name':'a','image':'2'}]}}}}"),
        arguments(
            "merges namespace status conditions by type",
            "Namespace",
            "{'status':{'phase':'Terminating','conditions':[{'type':'A','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'B','status':'True'}]}}",
            "{'status':{'phase':'Terminating','conditions':[{'type':'B','status':'True'},"
                + "{'type':'A','status':'True'}]}}"),
        arguments(
            "replaces endpoint subsets, which are atomic",
            "Endpoints",
            "{'subsets':[{'addresses':[{'ip':'10.244.0.1'}],'ports':[{'port':80}]}]}",
            "{'subsets':[{'addresses':[{'ip':'10.244.0.2'}],'ports':[{'port':80}]}]}",
            "{'subsets':[{'addresses':[{'ip':'10.244.0.2'}],'ports':[{'port':80}]}]}"),
        arguments(
            "renews a lease by merging its spec",
            "Lease",
            "{'spec':{'holderIdentity':'node-1','leaseDurationSeconds':40,'renewTime':'t1'}}",
            "{'spec':{'renewTime':'t2'}}",
            "{'spec':{'holderIdentity':'node-1','leaseDurationSeconds':40,'renewTime':'t2'}}"),
        arguments(
            "bumps an event's count",
            "Event",
            "{'count':1,'lastTimestamp':'t1','reason':'Pulled'}",
            "{'count':2,'lastTimestamp':'t2'}",
            "{'count':2,'lastTimestamp':'t2','reason':'Pulled'}"),
        // kubectl set image: only the named container's image changes, in every workload kind.
        arguments(
            "sets a StatefulSet container's image, keeping its command and mounts",
            "StatefulSet",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'a','command':['sh'],"
                + "'volumeMounts':[{'name':'data','mountPath':'/data'}]},{'name':'side','image':'s'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'b'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'b','command':['sh'],"
                + "'volumeMounts':[{'name':'data','mountPath':'/data'}]},{'name':'side','image':'s'}]}}}}"),
        arguments(
            "sets a Job container's image",
            "Job",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'a','args':['x']}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'b'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'b','args':['x']}]}}}}"),
        arguments(
            "sets a CronJob container's image",
            "CronJob",
            "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':"
                + "[{'name':'app','image':'a','args':['x']}]}}}}}}",
            "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':"
                + "[{'name':'app','image':'b'}]}}}}}}",
            "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':"
                + "[{'name':'app','image':'b','args':['x']}]}}}}}}"),
        arguments(
            "deletes the whole document with a top-level $patch: delete",
            "ConfigMap",
            "{'data':{'a':'1'}}",
            "{'$patch':'delete'}",
            "{}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void appliesStrategicMergePatch(
      String name, String kind, String target, String patch, String expected) {
    JsonNode result =
        StrategicMergePatch.apply(json(target), json(patch), PatchSchema.forKind(kind));

    assertThat(result).isEqualTo(json(expected));
  }

  /** Name, patch against a pod, a fragment of the message. Malformed directives are 400s. */
  static Stream<Arguments> malformedCases() {
    return Stream.of(
        arguments("a patch that is a list", "[]", "must be a JSON object"),
        arguments(
            "an unknown $patch", pod("{'nodeSelector':{'$patch':'drop'}}"), "unknown patch type"),
        arguments("a $patch that is not a string", pod("{'nodeSelector':{'$patch':1}}"), "$patch"),
        arguments(
            "an unknown $patch in a list element",
            pod("{'containers':[{'$patch':'remove','name':'a'}]}"),
            "unknown patch type"),
        arguments(
            "a $retainKeys that is not a list",
            pod("{'volumes':[{'name':'a','$retainKeys':'name'}]}"),
            "$retainKeys in spec.volumes must be a list"),
        arguments(
            "a $retainKeys that is not a list of names",
            pod("{'volumes':[{'name':'a','$retainKeys':[1]}]}"),
            "must list field names"),
        arguments(
            "a patch that sets a field its $retainKeys drops",
            pod("{'volumes':[{'name':'a','$retainKeys':['name'],'emptyDir':{}}]}"),
            "the patch sets emptyDir in spec.volumes, which its $retainKeys list does not name"),
        arguments(
            "a $setElementOrder that is not a list",
            pod("{'$setElementOrder/containers':{'name':'a'}}"),
            "$setElementOrder/containers must be a list"),
        arguments(
            "a $setElementOrder item without the merge key",
            pod("{'$setElementOrder/containers':[{'image':'a'}]}"),
            "does not contain declared merge key: name"),
        arguments(
            "a $deleteFromPrimitiveList that is not a list",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}",
            "$deleteFromPrimitiveList/finalizers must be a list"),
        arguments(
            "a list element without the merge key",
            pod("{'containers':[{'image':'nginx'}]}"),
            "an element of spec.containers does not contain declared merge key: name"),
        arguments(
            "a $patch: delete without the merge key",
            pod("{'containers':[{'$patch':'delete','image':'nginx'}]}"),
            "does not contain declared merge key: name"),
        arguments(
            "a primitive in a list merged by key",
            pod("{'containers':['nginx']}"),
            "is a list of objects merged by name"),
        arguments(
            "an object in a merging primitive list",
            "{'metadata':{'finalizers':[{'a':1}]}}",
            "is a list of primitives"),
        arguments(
            "a $patch: delete in a list that is replaced whole",
            pod("{'tolerations':[{'$patch':'delete','key':'a'}]}"),
            "needs a list with a merge key"));
  }

  @ParameterizedTest(name = "rejects with 400: {0}")
  @MethodSource("malformedCases")
  void rejectsMalformedDirectives(String name, String patch, String fragment) {
    JsonNode target = json(pod("{'containers':[{'name':'a'}],'volumes':[{'name':'a'}]}"));

    assertThatThrownBy(
            () -> StrategicMergePatch.apply(target, json(patch), PatchSchema.forKind("Pod")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining(fragment);
  }

  @Test
  void matchesNumericMergeKeysByValueNotByNodeType() {
    // A parser may read 80 as an int in one document and as a long in another.
    JsonNode target = json(pod("{'containers':[{'name':'c','ports':[{'containerPort':80}]}]}"));
    ObjectNode port = JsonNodeFactory.instance.objectNode().put("containerPort", 80L);
    port.put("name", "http");
    ObjectNode container = JsonNodeFactory.instance.objectNode().put("name", "c");
    container.putArray("ports").add(port);
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("spec").putArray("containers").add(container);

    JsonNode result = StrategicMergePatch.apply(target, patch, PatchSchema.forKind("Pod"));

    JsonNode ports = result.get("spec").get("containers").get(0).get("ports");
    assertThat(ports.size()).isEqualTo(1);
    assertThat(ports.get(0).get("name").asString()).isEqualTo("http");
  }

  @Test
  void leavesTargetAndPatchUntouched() {
    JsonNode target =
        json(
            pod(
                "{'containers':[{'name':'a','env':[{'name':'X','value':'1'}]}],"
                    + "'volumes':[{'name':'v','emptyDir':{}}]}"));
    JsonNode patch =
        json(
            pod(
                "{'containers':[{'name':'a','env':[{'name':'X','value':'2'}]},{'name':'b'}],"
                    + "'volumes':[{'$retainKeys':['name','secret'],'name':'v','secret':{}}]}"));
    JsonNode targetBefore = target.deepCopy();
    JsonNode patchBefore = patch.deepCopy();

    JsonNode result = StrategicMergePatch.apply(target, patch, PatchSchema.forKind("Pod"));
    ((ObjectNode) result.get("spec").get("containers").get(0)).put("image", "changed");
    ((ObjectNode) result.get("spec").get("containers").get(1)).put("image", "changed");

    assertThat(target).isEqualTo(targetBefore);
    assertThat(patch).isEqualTo(patchBefore);
  }

  @Test
  void answersMergeKeysForNestedPodSpecPaths() {
    PatchSchema deployment = PatchSchema.forKind("Deployment");

    assertThat(deployment.strategy(List.of("spec", "template", "spec", "containers", "ports")))
        .isEqualTo(PatchSchema.FieldStrategy.mergeBy("containerPort"));
    assertThat(deployment.strategy(List.of("spec", "template", "spec", "volumes")))
        .isEqualTo(PatchSchema.FieldStrategy.mergeByRetainingKeys("name"));
    assertThat(deployment.strategy(List.of("spec", "template", "spec", "tolerations")))
        .isEqualTo(PatchSchema.FieldStrategy.REPLACE);
    assertThat(deployment.strategy(List.of("spec", "strategy")).retainKeys()).isTrue();
    assertThat(deployment.strategy(List.of("metadata", "finalizers")).mergesPrimitives()).isTrue();
  }
}
