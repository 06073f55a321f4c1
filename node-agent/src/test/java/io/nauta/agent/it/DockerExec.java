package io.nauta.agent.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** {@code docker exec} of a shell script in a running pod's first container, for its output. */
final class DockerExec {

  private DockerExec() {}

  /** What {@code sh -c script} wrote to stdout and stderr, waiting up to two minutes. */
  static String output(DockerClient docker, Pod pod, String script) {
    String id =
        pod.getStatus()
            .getContainerStatuses()
            .get(0)
            .getContainerID()
            .substring("docker://".length());
    String exec =
        docker
            .execCreateCmd(id)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withCmd("sh", "-c", script)
            .exec()
            .getId();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      docker
          .execStartCmd(exec)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  if (frame.getStreamType() == StreamType.STDOUT
                      || frame.getStreamType() == StreamType.STDERR) {
                    out.writeBytes(frame.getPayload());
                  }
                }
              })
          .awaitCompletion(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
