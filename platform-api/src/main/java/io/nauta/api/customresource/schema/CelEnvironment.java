package io.nauta.api.customresource.schema;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The CEL environment of {@code x-kubernetes-validations}: {@code self} and {@code oldSelf}, the
 * standard macros, cel-java's strings, sets and optional extensions, and the cheap part of
 * Kubernetes' own libraries (lists: {@code isSorted}, {@code sum}, {@code min}, {@code max}, {@code
 * indexOf}, {@code lastIndexOf}; regex: {@code find}, {@code findAll}).
 *
 * <p>Upstream types {@code self} from the schema; here {@code self} and {@code oldSelf} are {@code
 * dyn}, so a type mistake in a rule shows when the rule runs (as "no such overload") rather than
 * when the CRD is created. Both the compiler and the runtime are immutable and shared.
 */
final class CelEnvironment {
  private CelEnvironment() {}

  static final String SELF = "self";
  static final String OLD_SELF = "oldSelf";

  /** Upstream's per-call cost limit is 1,000,000; comprehension iterations stand in for cost. */
  static final int MAX_ITERATIONS = 1_000_000;

  static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(MAX_ITERATIONS)
          .build();

  private static final TypeParamType A = TypeParamType.create("A");

  static final CelCompiler COMPILER = compiler(SimpleType.DYN);

  /**
   * For rules with {@code optionalOldSelf}: {@code oldSelf} is an optional of dyn, so that {@code
   * oldSelf.value()} compares with anything (from an untyped optional the checker picked bool).
   */
  static final CelCompiler OPTIONAL_OLD_SELF_COMPILER =
      compiler(OptionalType.create(SimpleType.DYN));

  private static CelCompiler compiler(CelType oldSelf) {
    return CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar(SELF, SimpleType.DYN)
        .addVar(OLD_SELF, oldSelf)
        .addLibraries(
            CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
        .addFunctionDeclarations(kubernetesFunctions())
        .build();
  }

  static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .setOptions(OPTIONS)
          .addLibraries(
              CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
          .addFunctionBindings(kubernetesBindings())
          .build();

  private static List<CelFunctionDecl> kubernetesFunctions() {
    ListType listOfA = ListType.create(A);
    return List.of(
        CelFunctionDecl.newFunctionDeclaration(
            "isSorted",
            CelOverloadDecl.newMemberOverload("k8s_list_isSorted", SimpleType.BOOL, listOfA)),
        CelFunctionDecl.newFunctionDeclaration(
            "sum", CelOverloadDecl.newMemberOverload("k8s_list_sum", A, listOfA)),
        CelFunctionDecl.newFunctionDeclaration(
            "min", CelOverloadDecl.newMemberOverload("k8s_list_min", A, listOfA)),
        CelFunctionDecl.newFunctionDeclaration(
            "max", CelOverloadDecl.newMemberOverload("k8s_list_max", A, listOfA)),
        CelFunctionDecl.newFunctionDeclaration(
            "indexOf",
            CelOverloadDecl.newMemberOverload("k8s_list_indexOf", SimpleType.INT, listOfA, A)),
        CelFunctionDecl.newFunctionDeclaration(
            "lastIndexOf",
            CelOverloadDecl.newMemberOverload("k8s_list_lastIndexOf", SimpleType.INT, listOfA, A)),
        CelFunctionDecl.newFunctionDeclaration(
            "find",
            CelOverloadDecl.newMemberOverload(
                "k8s_string_find", SimpleType.STRING, SimpleType.STRING, SimpleType.STRING)),
        CelFunctionDecl.newFunctionDeclaration(
            "findAll",
            CelOverloadDecl.newMemberOverload(
                "k8s_string_findAll",
                ListType.create(SimpleType.STRING),
                SimpleType.STRING,
                SimpleType.STRING),
            CelOverloadDecl.newMemberOverload(
                "k8s_string_findAll_n",
                ListType.create(SimpleType.STRING),
                SimpleType.STRING,
                SimpleType.STRING,
                SimpleType.INT)));
  }

  private static List<CelFunctionBinding> kubernetesBindings() {
    return List.of(
        CelFunctionBinding.from("k8s_list_isSorted", List.class, CelEnvironment::isSorted),
        CelFunctionBinding.from("k8s_list_sum", List.class, CelEnvironment::sum),
        CelFunctionBinding.from("k8s_list_min", List.class, l -> extreme(l, -1, "min")),
        CelFunctionBinding.from("k8s_list_max", List.class, l -> extreme(l, 1, "max")),
        CelFunctionBinding.from(
            "k8s_list_indexOf", List.class, Object.class, (l, x) -> (long) indexOf(l, x)),
        CelFunctionBinding.from(
            "k8s_list_lastIndexOf", List.class, Object.class, (l, x) -> (long) lastIndexOf(l, x)),
        CelFunctionBinding.from(
            "k8s_string_find",
            String.class,
            String.class,
            (s, re) -> {
              Matcher m = regex(re).matcher(s);
              return m.find() ? m.group() : "";
            }),
        CelFunctionBinding.from(
            "k8s_string_findAll", String.class, String.class, (s, re) -> findAll(s, re, -1)),
        CelFunctionBinding.from(
            "k8s_string_findAll_n",
            List.<Class<?>>of(String.class, String.class, Long.class),
            args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
  }

  private static Pattern regex(String re) throws CelEvaluationException {
    try {
      return Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw new CelEvaluationException("error parsing regexp: " + e.getMessage(), e);
    }
  }

  private static List<String> findAll(String s, String re, long n) throws CelEvaluationException {
    List<String> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    Matcher m = regex(re).matcher(s);
    while (m.find() && (n < 0 || out.size() < n)) {
      out.add(m.group());
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object isSorted(List l) throws CelEvaluationException {
    for (int i = 1; i < l.size(); i++) {
      if (compare(l.get(i - 1), l.get(i)) > 0) {
        return false;
      }
    }
    return true;
  }

  private static Object sum(List<?> l) throws CelEvaluationException {
    long ints = 0;
    double doubles = 0;
    boolean anyDouble = false;
    for (Object o : l) {
      if (o instanceof Long v) {
        ints = Math.addExact(ints, v);
      } else if (o instanceof Double v) {
        anyDouble = true;
        doubles += v;
      } else {
        throw new CelEvaluationException("no such overload");
      }
    }
    // Upstream's sum of an empty list is the zero of the list's element type; untyped here: 0.
    return anyDouble ? (Object) (doubles + ints) : (Object) ints;
  }

  private static Object extreme(List<?> l, int sign, String name) throws CelEvaluationException {
    if (l.isEmpty()) {
      throw new CelEvaluationException(name + " called on empty list");
    }
    Object best = l.get(0);
    for (Object o : l.subList(1, l.size())) {
      if (Integer.signum(compare(o, best)) == sign) {
        best = o;
      }
    }
    return best;
  }

  private static int indexOf(List<?> l, Object x) {
    for (int i = 0; i < l.size(); i++) {
      if (celEquals(l.get(i), x)) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(List<?> l, Object x) {
    for (int i = l.size() - 1; i >= 0; i--) {
      if (celEquals(l.get(i), x)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean celEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(a, b);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) throws CelEvaluationException {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
      return ca.compareTo(b);
    }
    throw new CelEvaluationException("no such overload");
  }
}
