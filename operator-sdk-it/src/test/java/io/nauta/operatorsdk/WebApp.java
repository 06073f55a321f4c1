package io.nauta.operatorsdk;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The operator's custom resource, {@code webapps.sdk.nauta.io/v1} {@code WebApp}: an image and a
 * replica count that the operator turns into a Deployment. Its definition is {@link
 * WebAppOperatorIT#CRD}.
 */
@Group(WebApp.GROUP)
@Version("v1")
public class WebApp extends CustomResource<WebApp.Spec, WebApp.Status> implements Namespaced {

  public static final String GROUP = "sdk.nauta.io";

  /** What the user asks for. */
  public static class Spec {
    private String image;
    private int replicas;

    public String getImage() {
      return image;
    }

    public void setImage(String image) {
      this.image = image;
    }

    public int getReplicas() {
      return replicas;
    }

    public void setReplicas(int replicas) {
      this.replicas = replicas;
    }
  }

  /** What the operator reports: its Deployment and the replicas the Deployment has. */
  public static class Status {
    private String deployment;
    private Integer replicas;
    private Long observedGeneration;

    public String getDeployment() {
      return deployment;
    }

    public void setDeployment(String deployment) {
      this.deployment = deployment;
    }

    public Integer getReplicas() {
      return replicas;
    }

    public void setReplicas(Integer replicas) {
      this.replicas = replicas;
    }

    public Long getObservedGeneration() {
      return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
      this.observedGeneration = observedGeneration;
    }
  }
}
