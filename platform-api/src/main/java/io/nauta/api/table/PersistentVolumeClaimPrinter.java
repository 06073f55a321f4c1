package io.nauta.api.table;

import io.nauta.core.storage.StorageClasses;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get pvc}: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS
 * VOLUMEATTRIBUTESCLASS AGE; wide adds VOLUMEMODE (upstream's {@code printPersistentVolumeClaim}).
 * Capacity and access modes are the bound volume's, so empty until the claim has a volume.
 */
final class PersistentVolumeClaimPrinter implements TablePrinter {

  static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Status", "phase represents the current phase of PersistentVolumeClaim."),
          Column.string(
              "Volume",
              "volumeName is the binding reference to the PersistentVolume backing this claim."),
          Column.string(
              "Capacity", "capacity represents the actual resources of the underlying volume."),
          Column.string(
              "Access Modes",
              "accessModes contains the actual access modes the volume backing the PVC has. More"
                  + " info:"
                  + " https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
          Column.string("StorageClass", "StorageClass of the pvc"),
          Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
          Column.age(),
          Column.string(
                  "VolumeMode",
                  "volumeMode defines what type of volume is required by the claim. Value of"
                      + " Filesystem is implied when not included in claim spec.")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode pvc, Instant now) {
    JsonNode spec = pvc.path("spec");
    String volume = Cells.text(spec.path("volumeName"));
    String capacity = "";
    String modes = "";
    if (!volume.isEmpty()) {
      capacity = Cells.text(pvc.path("status").path("capacity").path("storage"));
      modes = VolumePrinters.accessModes(pvc.path("status").path("accessModes"));
    }
    return List.of(
        Cells.name(pvc),
        VolumePrinters.phase(pvc),
        volume,
        capacity,
        modes,
        StorageClasses.classOf(pvc),
        VolumePrinters.orUnset(spec.get("volumeAttributesClassName")),
        Cells.age(pvc, now),
        VolumePrinters.orUnset(spec.get("volumeMode")));
  }
}
