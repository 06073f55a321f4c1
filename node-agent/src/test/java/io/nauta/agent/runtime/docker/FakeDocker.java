package io.nauta.agent.runtime.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A Docker engine for unit tests of the runtime's logic: every command ({@code createContainerCmd},
 * {@code listContainersCmd}, …) is recorded with its arguments and {@code with…} settings when it
 * is executed, and answered by the test's handler for that command (without one, an empty list for
 * a {@code list…Cmd} and {@code null} for any other; a handler that returns a {@link
 * RuntimeException} throws it). Docker's answers are built from the engine's own JSON ({@link
 * #json}).
 */
final class FakeDocker {

  /** One executed command. */
  record Call(String command, List<Object> args, Map<String, Object> with) {
    Object with(String setter) {
      return with.get(setter);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Map<String, Function<Call, Object>> answers = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  /** Answers {@code command}'s exec with what {@code answer} returns (or throws). */
  FakeDocker on(String command, Function<Call, Object> answer) {
    answers.put(command, answer);
    return this;
  }

  /** The handler {@code command} has now, to wrap it. */
  Function<Call, Object> answer(String command) {
    return answers.getOrDefault(command, call -> null);
  }

  List<Call> calls(String command) {
    return calls.stream().filter(c -> c.command().equals(command)).toList();
  }

  DockerClient client() {
    return (DockerClient)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DockerClient.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args);
              }
              if (method.getReturnType().isInterface()) {
                Call call =
                    new Call(
                        method.getName(),
                        args == null ? List.of() : Arrays.asList(args),
                        new LinkedHashMap<>());
                return Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {method.getReturnType()},
                    command(call));
              }
              return null;
            });
  }

  private InvocationHandler command(Call call) {
    return (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return objectMethod(proxy, method, args);
      }
      String name = method.getName();
      // exec() runs a command; start() an asynchronous one (a pull), answering its callback.
      if (name.equals("exec") || name.equals("start")) {
        Call done = new Call(call.command(), call.args(), Map.copyOf(call.with()));
        calls.add(done);
        Function<Call, Object> answer = answers.get(call.command());
        Object out = answer == null ? null : answer.apply(done);
        if (out instanceof RuntimeException e) {
          throw e;
        }
        // exec() is generic (erased to Object): the list commands answer lists.
        if (out == null && call.command().startsWith("list")) {
          return new ArrayList<>();
        }
        return out;
      }
      if (name.startsWith("with") && method.getReturnType().isInstance(proxy)) {
        if (args != null && args.length > 0) {
          call.with().put(name, args.length == 1 ? args[0] : Arrays.asList(args));
        }
        return proxy;
      }
      return null;
    };
  }

  private static Object objectMethod(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "FakeDocker";
    };
  }

  /** A docker-java model object from the engine's JSON, given as maps and lists. */
  static <T> T json(Object json, Class<T> type) {
    return JSON.convertValue(json, type);
  }
}
