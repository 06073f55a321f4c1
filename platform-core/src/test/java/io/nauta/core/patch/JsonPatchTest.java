package io.nauta.core.patch;

import static io.nauta.core.patch.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.UnprocessableEntityException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class JsonPatchTest {

  /** Name, target, patch, expected result. Most come from RFC 6902 appendix A. */
  static Stream<Arguments> applicableCases() {
    return Stream.of(
        arguments(
            "adds an object member",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/baz','value':'qux'}]",
            "{'baz':'qux','foo':'bar'}"),
        arguments(
            "inserts an array element before the index",
            "{'foo':['bar','baz']}",
            "[{'op':'add','path':'/foo/1','value':'qux'}]",
            "{'foo':['bar','qux','baz']}"),
        arguments(
            "adds at the index one past the end",
            "{'foo':['bar']}",
            "[{'op':'add','path':'/foo/1','value':'baz'}]",
            "{'foo':['bar','baz']}"),
        arguments(
            "appends to an array with a dash",
            "{'spec':{'finalizers':['a']}}",
            "[{'op':'add','path':'/spec/finalizers/-','value':'b'}]",
            "{'spec':{'finalizers':['a','b']}}"),
        arguments(
            "adds an array as one value",
            "{'foo':['bar']}",
            "[{'op':'add','path':'/foo/-','value':['abc','def']}]",
            "{'foo':['bar',['abc','def']]}"),
        arguments(
            "adds a nested member object",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/child','value':{'grandchild':{}}}]",
            "{'foo':'bar','child':{'grandchild':{}}}"),
        arguments(
            "add replaces an existing member",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/foo','value':1}]",
            "{'foo':1}"),
        arguments(
            "add at the root replaces the document",
            "{'foo':'bar'}",
            "[{'op':'add','path':'','value':{'baz':1}}]",
            "{'baz':1}"),
        arguments(
            "adds a label whose key holds a slash escaped as ~1",
            "{'metadata':{'labels':{}}}",
            "[{'op':'add','path':'/metadata/labels/app.kubernetes.io~1name','value':'web'}]",
            "{'metadata':{'labels':{'app.kubernetes.io/name':'web'}}}"),
        arguments(
            "decodes ~01 as ~1, not as a slash",
            "{}",
            "[{'op':'add','path':'/~01','value':'x'}]",
            "{'~1':'x'}"),
        arguments(
            "removes an object member",
            "{'baz':'qux','foo':'bar'}",
            "[{'op':'remove','path':'/baz'}]",
            "{'foo':'bar'}"),
        arguments(
            "removes an array element",
            "{'foo':['bar','qux','baz']}",
            "[{'op':'remove','path':'/foo/1'}]",
            "{'foo':['bar','baz']}"),
        arguments(
            "replaces a value",
            "{'baz':'qux','foo':'bar'}",
            "[{'op':'replace','path':'/baz','value':'boo'}]",
            "{'baz':'boo','foo':'bar'}"),
        arguments(
            "replaces an array element",
            "{'spec':{'containers':[{'image':'a'},{'image':'b'}]}}",
            "[{'op':'replace','path':'/spec/containers/1/image','value':'c'}]",
            "{'spec':{'containers':[{'image':'a'},{'image':'c'}]}}"),
        arguments(
            "replaces the whole document at the root",
            "{'foo':'bar'}",
            "[{'op':'replace','path':'','value':[1]}]",
            "[1]"),
        arguments(
            "moves a value",
            "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
            "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
            "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"),
        arguments(
            "moves an array element",
            "{'foo':['all','grass','cows','eat']}",
            "[{'op':'move','from':'/foo/1','path':'/foo/3'}]",
            "{'foo':['all','cows','eat','grass']}"),
        arguments(
            "moving a value onto itself changes nothing",
            "{'a':{'b':1}}",
            "[{'op':'move','from':'/a','path':'/a'}]",
            "{'a':{'b':1}}"),
        arguments(
            "copies a value",
            "{'a':{'b':[1]}}",
            "[{'op':'copy','from':'/a','path':'/c'},{'op':'add','path':'/c/b/-','value':2}]",
            "{'a':{'b':[1]},'c':{'b':[1,2]}}"),
        arguments(
            "passes a test of an equal value",
            "{'baz':'qux','foo':['a',2,'c']}",
            "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]",
            "{'baz':'qux','foo':['a',2,'c']}"),
        arguments(
            "compares numbers by value in a test",
            "{'replicas':1}",
            "[{'op':'test','path':'/replicas','value':1.0}]",
            "{'replicas':1}"),
        arguments(
            "compares objects regardless of member order in a test",
            "{'a':{'x':1,'y':2}}",
            "[{'op':'test','path':'/a','value':{'y':2,'x':1}}]",
            "{'a':{'x':1,'y':2}}"),
        arguments(
            "ignores unrecognised members of an operation",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/baz','value':'qux','xyz':123}]",
            "{'foo':'bar','baz':'qux'}"),
        arguments(
            "guards an update with a test, as kubectl users do for optimistic writes",
            "{'metadata':{'resourceVersion':'7'},'spec':{'replicas':1}}",
            "[{'op':'test','path':'/metadata/resourceVersion','value':'7'},"
                + "{'op':'replace','path':'/spec/replicas','value':3}]",
            "{'metadata':{'resourceVersion':'7'},'spec':{'replicas':3}}"),
        arguments("applies an empty patch as no change", "{'a':1}", "[]", "{'a':1}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applicableCases")
  void appliesOperationsInOrder(String name, String target, String patch, String expected) {
    assertThat(JsonPatch.apply(json(target), json(patch))).isEqualTo(json(expected));
  }

  /** Name, target, patch, expected message. Well-formed operations that do not fit: 422. */
  static Stream<Arguments> inapplicableCases() {
    return Stream.of(
        arguments(
            "replacing a label that does not exist",
            "{'metadata':{'labels':{}}}",
            "[{'op':'replace','path':'/metadata/labels/x','value':'y'}]",
            "replace operation does not apply: doc is missing path: /metadata/labels/x"),
        arguments(
            "removing a member that does not exist",
            "{'a':1}",
            "[{'op':'remove','path':'/b'}]",
            "remove operation does not apply: doc is missing path: /b"),
        arguments(
            "adding under a parent that does not exist",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/baz/bat','value':'qux'}]",
            "add operation does not apply: doc is missing path: /baz/bat"),
        arguments(
            "adding past the end of an array",
            "{'foo':['bar']}",
            "[{'op':'add','path':'/foo/2','value':'x'}]",
            "add operation does not apply: index out of bounds: /foo/2"),
        arguments(
            "removing past the end of an array",
            "{'foo':['bar']}",
            "[{'op':'remove','path':'/foo/1'}]",
            "remove operation does not apply: doc is missing path: /foo/1"),
        arguments(
            "indexing an array with a leading zero",
            "{'foo':['a','b']}",
            "[{'op':'replace','path':'/foo/01','value':'x'}]",
            "replace operation does not apply: invalid array index \"01\" in /foo/01"),
        arguments(
            "indexing an array with a name",
            "{'foo':['a']}",
            "[{'op':'add','path':'/foo/bar','value':'x'}]",
            "add operation does not apply: invalid array index \"bar\" in /foo/bar"),
        arguments(
            "testing a value that differs",
            "{'baz':'qux'}",
            "[{'op':'test','path':'/baz','value':'bar'}]",
            "testing value /baz failed: test failed"),
        arguments(
            "testing a string against a number",
            "{'/':9,'~1':10}",
            "[{'op':'test','path':'/~01','value':'10'}]",
            "testing value /~01 failed: test failed"),
        arguments(
            "testing a path that does not exist",
            "{}",
            "[{'op':'test','path':'/a','value':null}]",
            "test operation does not apply: doc is missing path: /a"),
        arguments(
            "moving from a path that does not exist",
            "{}",
            "[{'op':'move','from':'/a','path':'/b'}]",
            "move operation does not apply: doc is missing from path: /a"),
        arguments(
            "copying from a path that does not exist",
            "{}",
            "[{'op':'copy','from':'/a','path':'/b'}]",
            "copy operation does not apply: doc is missing from path: /a"),
        arguments(
            "moving a value into its own child",
            "{'a':{'b':{}}}",
            "[{'op':'move','from':'/a','path':'/a/b/c'}]",
            "move operation does not apply: cannot move /a into its own child /a/b/c"),
        arguments(
            "removing the whole document",
            "{'a':1}",
            "[{'op':'remove','path':''}]",
            "remove operation does not apply: cannot remove the whole document"));
  }

  @ParameterizedTest(name = "rejects with 422: {0}")
  @MethodSource("inapplicableCases")
  void rejectsOperationsThatDoNotApply(String name, String target, String patch, String message) {
    assertThatThrownBy(() -> JsonPatch.apply(json(target), json(patch)))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessage(message);
  }

  /** Name, patch, a fragment of the message. Documents that are not a JSON patch at all: 400. */
  static Stream<Arguments> malformedCases() {
    return Stream.of(
        arguments("a patch that is an object", "{'op':'add'}", "must be a JSON array"),
        arguments("an operation that is not an object", "['add']", "is not a JSON object"),
        arguments("an operation without op", "[{'path':'/a'}]", "\"op\""),
        arguments("an unknown op", "[{'op':'append','path':'/a'}]", "unknown op \"append\""),
        arguments("an operation without path", "[{'op':'remove'}]", "\"path\""),
        arguments("an add without value", "[{'op':'add','path':'/a'}]", "\"value\""),
        arguments("a move without from", "[{'op':'move','path':'/a'}]", "\"from\""),
        arguments(
            "a pointer without a leading slash",
            "[{'op':'remove','path':'a'}]",
            "must start with '/'"),
        arguments(
            "a pointer with a bad escape",
            "[{'op':'remove','path':'/a~2'}]",
            "'~' must be followed by '0' or '1'"),
        arguments(
            "a bad operation after a good one",
            "[{'op':'add','path':'/x','value':1},{'op':'bogus','path':'/x'}]",
            "unknown op"));
  }

  @ParameterizedTest(name = "rejects with 400: {0}")
  @MethodSource("malformedCases")
  void rejectsMalformedPatches(String name, String patch, String fragment) {
    assertThatThrownBy(() -> JsonPatch.apply(json("{'a':1}"), json(patch)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining(fragment);
  }

  @Test
  void leavesTargetAndPatchUntouchedEvenWhenALaterOperationFails() {
    JsonNode target = json("{'a':{'b':[1]}}");
    JsonNode patch =
        json(
            "[{'op':'add','path':'/a/b/-','value':{'c':1}},"
                + "{'op':'add','path':'/a/b/1/c','value':2},"
                + "{'op':'test','path':'/a/x','value':1}]");
    JsonNode targetBefore = target.deepCopy();
    JsonNode patchBefore = patch.deepCopy();

    assertThatThrownBy(() -> JsonPatch.apply(target, patch))
        .isInstanceOf(UnprocessableEntityException.class);

    assertThat(target).isEqualTo(targetBefore);
    assertThat(patch).isEqualTo(patchBefore);
  }

  @Test
  void doesNotShareValuesWithThePatch() {
    JsonNode patch = json("[{'op':'add','path':'/a','value':{'b':1}}]");
    JsonNode result = JsonPatch.apply(json("{}"), patch);

    ((tools.jackson.databind.node.ObjectNode) result.get("a")).put("b", 2);

    assertThat(patch.get(0).get("value").get("b").asInt()).isEqualTo(1);
  }
}
