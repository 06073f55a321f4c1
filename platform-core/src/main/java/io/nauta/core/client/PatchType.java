package io.nauta.core.client;

/** The patch formats the API server accepts, by the content type that selects each. */
public enum PatchType {
  JSON("application/json-patch+json"),
  MERGE("application/merge-patch+json"),
  STRATEGIC_MERGE("application/strategic-merge-patch+json");

  private final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }
}
