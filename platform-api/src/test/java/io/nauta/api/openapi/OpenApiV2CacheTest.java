package io.nauta.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class OpenApiV2CacheTest {

  private final AtomicReference<List<String>> types = new AtomicReference<>(List.of("pods"));
  private final AtomicInteger builds = new AtomicInteger();
  private final AtomicReference<RuntimeException> failNext = new AtomicReference<>();

  private final OpenApiV2Cache cache =
      new OpenApiV2Cache(
          types::get,
          () -> {
            RuntimeException e = failNext.getAndSet(null);
            if (e != null) {
              throw e;
            }
            int n = builds.incrementAndGet();
            byte[] body = ("build " + n).getBytes();
            return new OpenApiV2(body, body, "\"" + n + "\"");
          });

  @Test
  void concurrentCallersShareOneBuild() {
    StepVerifier.create(Flux.range(0, 50).flatMap(i -> cache.current()).map(OpenApiV2::etag))
        .expectNextCount(50)
        .verifyComplete();

    assertThat(builds).hasValue(1);
    StepVerifier.create(cache.current().map(OpenApiV2::etag)).expectNext("\"1\"").verifyComplete();
  }

  @Test
  void aChangeOfTheServedTypesBuildsANewDocument() {
    StepVerifier.create(cache.current().map(OpenApiV2::etag)).expectNext("\"1\"").verifyComplete();

    types.set(List.of("pods", "widgets.example.com"));

    StepVerifier.create(cache.current().map(OpenApiV2::etag)).expectNext("\"2\"").verifyComplete();
    StepVerifier.create(cache.current().map(OpenApiV2::etag)).expectNext("\"2\"").verifyComplete();
    assertThat(builds).hasValue(2);
  }

  @Test
  void aFailedBuildIsNotKept() {
    failNext.set(new IllegalStateException("boom"));

    StepVerifier.create(cache.current()).expectErrorMessage("boom").verify();
    StepVerifier.create(cache.current().map(OpenApiV2::etag)).expectNext("\"1\"").verifyComplete();
  }
}
