package io.nauta.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterSamplesTest {

  @Test
  void aValueReadInTheCutoffsOwnMillisecondIsNotOlderThanTheCutoff() {
    CounterSamples samples = new CounterSamples();
    samples.record(1_000, 20);
    // Read in the same millisecond as the cutoff: writes after the cutoff may be among these 30.
    samples.record(2_000, 30);
    assertThat(samples.writtenBefore(2_000)).hasValue(20);
    assertThat(samples.writtenBefore(2_001)).hasValue(30);
  }

  @Test
  void nothingReadBeforeTheCutoffTrimsNothing() {
    CounterSamples samples = new CounterSamples();
    samples.record(1_000, 20);
    assertThat(samples.writtenBefore(1_000)).isEmpty();
  }
}
