package io.nauta.core.patch;

import static io.nauta.core.patch.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class MergePatchTest {

  /** Name, target, patch, expected result. The first fifteen are RFC 7386 appendix A. */
  static Stream<Arguments> cases() {
    return Stream.of(
        arguments("replaces a member", "{'a':'b'}", "{'a':'c'}", "{'a':'c'}"),
        arguments("adds a member", "{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"),
        arguments("removes a member set to null", "{'a':'b'}", "{'a':null}", "{}"),
        arguments(
            "removes only the member set to null", "{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"),
        arguments("replaces an array by a string", "{'a':['b']}", "{'a':'c'}", "{'a':'c'}"),
        arguments("replaces a string by an array", "{'a':'c'}", "{'a':['b']}", "{'a':['b']}"),
        arguments(
            "merges nested objects and removes nested nulls",
            "{'a':{'b':'c'}}",
            "{'a':{'b':'d','c':null}}",
            "{'a':{'b':'d'}}"),
        arguments(
            "replaces an array of objects whole", "{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"),
        arguments("replaces an array document", "['a','b']", "['c','d']", "['c','d']"),
        arguments("replaces an object document by an array", "{'a':'b'}", "['c']", "['c']"),
        arguments("replaces the document by null", "{'a':'foo'}", "null", "null"),
        arguments("replaces the document by a string", "{'a':'foo'}", "'bar'", "'bar'"),
        arguments(
            "keeps a null the target already holds", "{'e':null}", "{'a':1}", "{'e':null,'a':1}"),
        arguments(
            "turns an array target into an object and drops nulls",
            "[1,2]",
            "{'a':'b','c':null}",
            "{'a':'b'}"),
        arguments(
            "keeps empty objects but drops nulls in new members",
            "{}",
            "{'a':{'bb':{'ccc':null}}}",
            "{'a':{'bb':{}}}"),
        arguments(
            "replaces a container list whole, unlike a strategic merge patch",
            "{'spec':{'template':{'spec':{'containers':"
                + "[{'name':'patch-demo-ctr','image':'nginx'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':"
                + "[{'name':'patch-demo-ctr-3','image':'gcr.io/google-samples/hello-app:2.0'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':"
                + "[{'name':'patch-demo-ctr-3','image':'gcr.io/google-samples/hello-app:2.0'}]}}}}"),
        arguments(
            "scales a deployment as kubectl scale --type merge does",
            "{'spec':{'replicas':2,'paused':false}}",
            "{'spec':{'replicas':3}}",
            "{'spec':{'replicas':3,'paused':false}}"),
        arguments(
            "removes a label and adds an annotation",
            "{'metadata':{'labels':{'app':'web','tier':'front'}}}",
            "{'metadata':{'labels':{'tier':null},'annotations':{'note':'x'}}}",
            "{'metadata':{'labels':{'app':'web'},'annotations':{'note':'x'}}}"),
        arguments(
            "keeps nulls inside a replacing array",
            "{'a':1}",
            "{'b':[null,{'c':null}]}",
            "{'a':1,'b':[null,{'c':null}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void appliesMergePatch(String name, String target, String patch, String expected) {
    assertThat(MergePatch.apply(json(target), json(patch))).isEqualTo(json(expected));
  }

  @Test
  void leavesTargetAndPatchUntouched() {
    JsonNode target = json("{'a':{'b':1,'c':2}}");
    JsonNode patch = json("{'a':{'b':null,'d':{'e':1}}}");
    JsonNode targetBefore = target.deepCopy();
    JsonNode patchBefore = patch.deepCopy();

    JsonNode result = MergePatch.apply(target, patch);
    ((tools.jackson.databind.node.ObjectNode) result.get("a").get("d")).put("e", 2);

    assertThat(target).isEqualTo(targetBefore);
    assertThat(patch).isEqualTo(patchBefore);
  }
}
