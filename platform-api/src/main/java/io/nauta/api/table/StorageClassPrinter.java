package io.nauta.api.table;

import io.nauta.core.storage.StorageClasses;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get sc}: NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION
 * AGE, a default class named {@code <name> (default)} (upstream's {@code printStorageClass}).
 */
final class StorageClassPrinter implements TablePrinter {

  static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Provisioner", "provisioner indicates the type of the provisioner."),
          Column.string(
              "ReclaimPolicy",
              "reclaimPolicy controls the reclaimPolicy for dynamically provisioned"
                  + " PersistentVolumes of this storage class. Defaults to Delete."),
          Column.string(
              "VolumeBindingMode",
              "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and"
                  + " bound.  When unset, VolumeBindingImmediate is used. This field is only"
                  + " honored by servers that enable the VolumeScheduling feature."),
          Column.string(
              "AllowVolumeExpansion",
              "allowVolumeExpansion shows whether the storage class allow volume expand."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode sc, Instant now) {
    String name = Cells.name(sc);
    if (StorageClasses.isDefault(sc)) {
      name += " (default)";
    }
    JsonNode policy = sc.get("reclaimPolicy");
    JsonNode mode = sc.get("volumeBindingMode");
    return List.of(
        name,
        Cells.text(sc.path("provisioner")),
        policy == null || policy.isNull() ? "Delete" : Cells.text(policy),
        mode == null || mode.isNull() ? "Immediate" : Cells.text(mode),
        sc.path("allowVolumeExpansion").asBoolean(false),
        Cells.age(sc, now));
  }
}
