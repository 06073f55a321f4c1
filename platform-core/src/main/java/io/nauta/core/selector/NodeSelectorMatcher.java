package io.nauta.core.selector;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Node selector terms compiled once per scheduling cycle and then matched against many nodes
 * without allocating: terms are ORed, the requirements inside a term ANDed (Kubernetes' {@code
 * nodeaffinity.LazyErrorNodeSelector}). Operators on labels are {@code In}, {@code NotIn}, {@code
 * Exists}, {@code DoesNotExist}, {@code Gt} and {@code Lt}; {@code matchFields} supports {@code
 * metadata.name} with {@code In} and {@code NotIn} and one value. A term with no requirements
 * matches no node, and so does a term that is invalid (unknown operator, wrong number of values, a
 * non-integer {@code Gt}/{@code Lt} value), as in Kubernetes. The scheduler's NodeAffinity plugin
 * and the DaemonSet controller both decide with it.
 */
public final class NodeSelectorMatcher {

  private static final String NODE_NAME_FIELD = "metadata.name";

  private final Term[] terms;

  private NodeSelectorMatcher(Term[] terms) {
    this.terms = terms;
  }

  /** A matcher for the ORed {@code terms} (null meaning none, which matches no node). */
  public static NodeSelectorMatcher of(List<NodeSelectorTerm> terms) {
    List<Term> compiled = new ArrayList<>();
    if (terms != null) {
      for (NodeSelectorTerm t : terms) {
        Term term = compile(t);
        if (term != null) {
          compiled.add(term);
        }
      }
    }
    return new NodeSelectorMatcher(compiled.toArray(Term[]::new));
  }

  /** Whether any term matches the node. */
  public boolean matches(Node node) {
    Map<String, String> labels = labels(node);
    String name = node.getMetadata() == null ? "" : node.getMetadata().getName();
    for (Term t : terms) {
      if (t.matches(labels, name)) {
        return true;
      }
    }
    return false;
  }

  /** A single compiled term, for preferred scheduling terms that each carry a weight. */
  public static Term compile(NodeSelectorTerm term) {
    if (term == null) {
      return null;
    }
    List<NodeSelectorRequirement> exprs = orEmpty(term.getMatchExpressions());
    List<NodeSelectorRequirement> fields = orEmpty(term.getMatchFields());
    if (exprs.isEmpty() && fields.isEmpty()) {
      return null;
    }
    Requirement[] labels = new Requirement[exprs.size()];
    Requirement[] names = new Requirement[fields.size()];
    boolean valid = true;
    for (int i = 0; i < labels.length; i++) {
      labels[i] = Requirement.label(exprs.get(i));
      valid &= labels[i] != null;
    }
    for (int i = 0; i < names.length; i++) {
      names[i] = Requirement.field(fields.get(i));
      valid &= names[i] != null;
    }
    return new Term(valid, labels, names);
  }

  public static Map<String, String> labels(Node node) {
    Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** One compiled term; an invalid term matches nothing. */
  public static final class Term {
    private final boolean valid;
    private final Requirement[] labels;
    private final Requirement[] fields;

    private Term(boolean valid, Requirement[] labels, Requirement[] fields) {
      this.valid = valid;
      this.labels = labels;
      this.fields = fields;
    }

    public boolean matches(Node node) {
      return matches(labels(node), node.getMetadata() == null ? "" : node.getMetadata().getName());
    }

    boolean matches(Map<String, String> nodeLabels, String nodeName) {
      if (!valid) {
        return false;
      }
      for (Requirement r : labels) {
        if (!r.matches(nodeLabels.get(r.key))) {
          return false;
        }
      }
      for (Requirement r : fields) {
        if (!r.matches(nodeName)) {
          return false;
        }
      }
      return true;
    }
  }

  private enum Op {
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST,
    GT,
    LT
  }

  /** A requirement on one label (or the node name), matched against its value or null. */
  private static final class Requirement {
    final String key;
    final Op op;
    final String[] values;
    final long bound;

    private Requirement(String key, Op op, String[] values, long bound) {
      this.key = key;
      this.op = op;
      this.values = values;
      this.bound = bound;
    }

    /** Null when the requirement is invalid. */
    static Requirement label(NodeSelectorRequirement r) {
      String key = r.getKey() == null ? "" : r.getKey();
      String[] values = values(r);
      if (r.getOperator() == null) {
        return null;
      }
      switch (r.getOperator()) {
        case "In":
          return values.length == 0 ? null : new Requirement(key, Op.IN, values, 0);
        case "NotIn":
          return values.length == 0 ? null : new Requirement(key, Op.NOT_IN, values, 0);
        case "Exists":
          return values.length != 0 ? null : new Requirement(key, Op.EXISTS, values, 0);
        case "DoesNotExist":
          return values.length != 0 ? null : new Requirement(key, Op.DOES_NOT_EXIST, values, 0);
        case "Gt":
        case "Lt":
          if (values.length != 1 || !isInteger(values[0])) {
            return null;
          }
          Op op = "Gt".equals(r.getOperator()) ? Op.GT : Op.LT;
          try {
            return new Requirement(key, op, values, Long.parseLong(values[0]));
          } catch (NumberFormatException e) {
            return null;
          }
        default:
          return null;
      }
    }

    /** Null when the field requirement is invalid. */
    static Requirement field(NodeSelectorRequirement r) {
      String[] values = values(r);
      if (!NODE_NAME_FIELD.equals(r.getKey()) || values.length != 1) {
        return null;
      }
      if ("In".equals(r.getOperator())) {
        return new Requirement(NODE_NAME_FIELD, Op.IN, values, 0);
      }
      if ("NotIn".equals(r.getOperator())) {
        return new Requirement(NODE_NAME_FIELD, Op.NOT_IN, values, 0);
      }
      return null;
    }

    private static String[] values(NodeSelectorRequirement r) {
      List<String> v = r.getValues();
      if (v == null) {
        return new String[0];
      }
      return v.stream().map(s -> s == null ? "" : s).toArray(String[]::new);
    }

    /** {@code value} is the label's value, or null when the node lacks the label. */
    boolean matches(String value) {
      return switch (op) {
        case IN -> value != null && contains(value);
        case NOT_IN -> value == null || !contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
        case GT -> isInteger(value) && compare(value) > 0;
        case LT -> isInteger(value) && compare(value) < 0;
      };
    }

    private boolean contains(String value) {
      for (String v : values) {
        if (v.equals(value)) {
          return true;
        }
      }
      return false;
    }

    /** Sign of {@code value - bound}; 0 when the value overflows a long (so neither matches). */
    private int compare(String value) {
      try {
        return Long.compare(Long.parseLong(value), bound);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }

  /** An optional sign and one or more digits, as Go's strconv.ParseInt accepts in base 10. */
  static boolean isInteger(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    int start = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
