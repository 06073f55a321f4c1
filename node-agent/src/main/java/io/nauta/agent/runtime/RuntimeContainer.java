package io.nauta.agent.runtime;

/**
 * One container of a pod as the runtime sees it.
 *
 * @param name the container's name in the pod spec
 * @param image the image the spec names
 * @param imageId the image's resolved id ({@code status.containerStatuses[].imageID})
 * @param containerId {@code <runtime>://<id>}
 * @param state what the container does now
 * @param lastTermination how its previous run ended, or null if it never restarted
 * @param restartCount how often it was restarted
 * @param started whether it runs and passed its startup probe, if it has one
 * @param ready whether it is started and passes its readiness probe, if it has one
 */
public record RuntimeContainer(
    String name,
    String image,
    String imageId,
    String containerId,
    ContainerState state,
    ContainerState.Terminated lastTermination,
    int restartCount,
    boolean started,
    boolean ready) {

  /** A container without probes: started and ready while it runs. */
  public RuntimeContainer(
      String name,
      String image,
      String imageId,
      String containerId,
      ContainerState state,
      ContainerState.Terminated lastTermination,
      int restartCount) {
    this(
        name,
        image,
        imageId,
        containerId,
        state,
        lastTermination,
        restartCount,
        state instanceof ContainerState.Running,
        state instanceof ContainerState.Running);
  }

  public boolean running() {
    return state instanceof ContainerState.Running;
  }
}
