package io.nauta.controllers.volume;

import io.nauta.controllers.app.ManagedController;
import io.nauta.core.controller.Controller;
import org.springframework.stereotype.Component;

/** The volumes' work queue of the {@link PersistentVolumeBinder}, run by the manager beside it. */
@Component
public class PersistentVolumeBinderVolumes implements ManagedController {

  private final PersistentVolumeBinder binder;

  public PersistentVolumeBinderVolumes(PersistentVolumeBinder binder) {
    this.binder = binder;
  }

  @Override
  public Controller controller() {
    return binder.volumeController();
  }
}
