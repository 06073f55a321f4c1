package io.nauta.federation.overrides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageComponentsTest {

  @ParameterizedTest
  @CsvSource({
    // image, hostname, repository, tagOrDigest
    "nginx, '', nginx, ''",
    "nginx:1.25, '', nginx, 1.25",
    "library/nginx:1.25, '', library/nginx, 1.25",
    "docker.io/library/nginx:1.25, docker.io, library/nginx, 1.25",
    "localhost/app, localhost, app, ''",
    "localhost:5000/team/app:v2, localhost:5000, team/app, v2",
    "fictional.registry.example:10443/karmada/karmada-controller-manager:v1.0.0,"
        + " fictional.registry.example:10443, karmada/karmada-controller-manager, v1.0.0",
    "team/app@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c, '',"
        + " team/app, sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c",
  })
  void splitsAsKarmadasImageParser(String image, String host, String repo, String tagOrDigest) {
    ImageComponents c = ImageComponents.parse(image);
    assertThat(c.hostname()).isEqualTo(host);
    assertThat(c.repository()).isEqualTo(repo);
    assertThat(c.tagOrDigest()).isEqualTo(tagOrDigest);
    assertThat(c.toString()).isEqualTo(image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Nginx", "nginx:", "-nginx", "nginx::1", "a/b:c@d"})
  void refusesWhatIsNotAReference(String image) {
    assertThatThrownBy(() -> ImageComponents.parse(image))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void aTagReplacesADigestAndADigestATag() {
    ImageComponents c = ImageComponents.parse("app:v1");
    String digest = "sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c";
    c.tagOrDigest(digest);
    assertThat(c.toString()).isEqualTo("app@" + digest);
    c.tagOrDigest("v2");
    assertThat(c.toString()).isEqualTo("app:v2");
    c.tagOrDigest("not a tag");
    assertThat(c.toString()).isEqualTo("app:v2");
  }
}
