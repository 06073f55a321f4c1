package io.nauta.api.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code kubectl} on PATH against a kubeconfig, as a user at a terminal would. */
public final class Kubectl {

  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private final Path kubeconfig;
  private final String binary;

  public Kubectl(Path kubeconfig) {
    this(kubeconfig, "kubectl");
  }

  /** A kubectl binary by path, e.g. one of the versioned ones beside the default. */
  public Kubectl(Path kubeconfig, String binary) {
    this.kubeconfig = kubeconfig;
    this.binary = binary;
  }

  /**
   * The versioned kubectl binaries ({@code kubectl.1.27} … {@code kubectl.1.33}) these machines
   * keep beside the {@code kubectl} on PATH.
   */
  public static Path versioned(String version) {
    for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (java.nio.file.Files.isExecutable(candidate)) {
        try {
          return candidate.toRealPath().getParent().resolve("kubectl." + version);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("kubectl is not on PATH");
  }

  public Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs kubectl with {@code stdin} (may be null) and waits up to 60 s. */
  public Result runWithInput(String stdin, String... args) {
    Process p = start(args);
    try {
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
      }
      return new Result(
          p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts kubectl without waiting, for {@code --watch}. */
  public Process start(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      // kubectl keeps a discovery cache under $HOME/.kube; give each run a private one.
      pb.environment().put("KUBECACHEDIR", kubeconfig.getParent().resolve("cache").toString());
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
