package io.nauta.api.table;

import io.nauta.core.storage.StorageClasses;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get pv}: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS
 * VOLUMEATTRIBUTESCLASS REASON AGE; wide adds VOLUMEMODE (upstream's {@code
 * printPersistentVolume}).
 */
final class PersistentVolumePrinter implements TablePrinter {

  static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Capacity",
              "capacity is the description of the persistent volume's resources and capacity."
                  + " More info:"
                  + " https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
          Column.string(
              "Access Modes",
              "accessModes contains all ways the volume can be mounted. More info:"
                  + " https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
          Column.string(
              "Reclaim Policy",
              "persistentVolumeReclaimPolicy defines what happens to a persistent volume when"
                  + " released from its claim. Valid options are Retain (default for manually"
                  + " created PersistentVolumes), Delete (default for dynamically provisioned"
                  + " PersistentVolumes), and Recycle (deprecated). Recycle must be supported by"
                  + " the volume plugin underlying this PersistentVolume. More info:"
                  + " https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
          Column.string(
              "Status",
              "phase indicates if a volume is available, bound to a claim, or released by a"
                  + " claim. More info:"
                  + " https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
          Column.string(
              "Claim",
              "claimRef is part of a bi-directional binding between PersistentVolume and"
                  + " PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName"
                  + " is the authoritative bind between PV and PVC. More info:"
                  + " https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
          Column.string("StorageClass", "StorageClass of the pv"),
          Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
          Column.string(
              "Reason",
              "reason is a brief CamelCase string that describes any failure and is meant for"
                  + " machine parsing and tidy display in the CLI."),
          Column.age(),
          Column.string(
                  "VolumeMode",
                  "volumeMode defines if a volume is intended to be used with a formatted"
                      + " filesystem or to remain in raw block state. Value of Filesystem is"
                      + " implied when not included in spec.")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode pv, Instant now) {
    JsonNode spec = pv.path("spec");
    JsonNode claimRef = spec.get("claimRef");
    String claim =
        claimRef instanceof ObjectNode ref
            ? Cells.text(ref.path("namespace")) + "/" + Cells.text(ref.path("name"))
            : "";
    return List.of(
        Cells.name(pv),
        Cells.text(spec.path("capacity").path("storage")),
        VolumePrinters.accessModes(spec.path("accessModes")),
        Cells.text(spec.path("persistentVolumeReclaimPolicy")),
        VolumePrinters.phase(pv),
        claim,
        StorageClasses.classOf(pv),
        VolumePrinters.orUnset(spec.get("volumeAttributesClassName")),
        Cells.text(pv.path("status").path("reason")),
        Cells.age(pv, now),
        VolumePrinters.orUnset(spec.get("volumeMode")));
  }
}
