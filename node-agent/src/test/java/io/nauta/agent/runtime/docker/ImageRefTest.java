package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {

  @ParameterizedTest
  @CsvSource({
    "busybox, docker.io, busybox, latest, false, Always",
    "nauta/busybox:local, docker.io, nauta/busybox, local, false, IfNotPresent",
    "nauta/busybox:latest, docker.io, nauta/busybox, latest, false, Always",
    "localhost:1/nauta/missing:1, localhost:1, localhost:1/nauta/missing, 1, true, IfNotPresent",
    "localhost/x, localhost, localhost/x, latest, true, Always",
    "127.0.0.1:5000/x:2, 127.0.0.1:5000, 127.0.0.1:5000/x, 2, true, IfNotPresent",
    "[::1]:5000/x:2, [::1]:5000, [::1]:5000/x, 2, true, IfNotPresent",
    "registry.example.com:5000/team/app, registry.example.com:5000, registry.example.com:5000/team/app,"
        + " latest, false, Always",
    "app@sha256:abcd, docker.io, app, sha256:abcd, false, IfNotPresent",
  })
  void splitsReferencesAndDefaultsThePullPolicy(
      String image,
      String registry,
      String repository,
      String tag,
      boolean loopback,
      String policy) {
    ImageRef ref = ImageRef.parse(image);

    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(tag);
    assertThat(ref.loopbackRegistry()).isEqualTo(loopback);
    assertThat(ImageRef.defaultPullPolicy(image)).isEqualTo(policy);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "busybox | ",
        "nauta/busybox:local | ",
        "localhost:5000/team/app:1.0 | ",
        "[::1]:5000/x:2 | ",
        "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | ",
        "Nauta/BusyBox:local | invalid reference format: repository name must be lowercase",
        "busy box | invalid reference format",
        "nauta/busybox: | invalid reference format",
        "app@sha256:abcd | invalid reference format",
        "-app | invalid reference format",
      })
  void refusesWhatDockersReferenceGrammarRefuses(String image, String error) {
    assertThat(ImageRef.invalid(image)).isEqualTo(error);
  }
}
