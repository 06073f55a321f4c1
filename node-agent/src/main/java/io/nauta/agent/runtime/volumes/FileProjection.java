package io.nauta.agent.runtime.volumes;

import java.util.Arrays;

/** One file of a ConfigMap or Secret volume: its bytes and its mode (e.g. 0644). */
public record FileProjection(byte[] data, int mode) {

  @Override
  public boolean equals(Object o) {
    return o instanceof FileProjection f && f.mode == mode && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + mode;
  }

  @Override
  public String toString() {
    return "FileProjection[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
  }
}
