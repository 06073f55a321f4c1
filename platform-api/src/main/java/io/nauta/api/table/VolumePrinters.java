package io.nauta.api.table;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** What the volume printers share, as upstream's {@code core/helper} computes it. */
final class VolumePrinters {

  private VolumePrinters() {}

  /** {@code GetAccessModesAsString}: RWO, ROX, RWX, RWOP in that order, each once. */
  static String accessModes(JsonNode modes) {
    List<String> have = new ArrayList<>();
    modes.forEach(m -> have.add(Cells.text(m)));
    List<String> out = new ArrayList<>();
    if (have.contains("ReadWriteOnce")) {
      out.add("RWO");
    }
    if (have.contains("ReadOnlyMany")) {
      out.add("ROX");
    }
    if (have.contains("ReadWriteMany")) {
      out.add("RWX");
    }
    if (have.contains("ReadWriteOncePod")) {
      out.add("RWOP");
    }
    return String.join(",", out);
  }

  /** A pointer field shown as {@code <unset>} when nil. */
  static String orUnset(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? "<unset>" : Cells.text(n);
  }

  /** The phase, or {@code Terminating} once deletion began. */
  static String phase(JsonNode obj) {
    return obj.path("metadata").path("deletionTimestamp").isString()
        ? "Terminating"
        : Cells.text(obj.path("status").path("phase"));
  }
}
