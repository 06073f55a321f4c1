package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.faults.ReadmeCommands.Command;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadmeCommandsTest {

  private static final String DOC =
      """
      # Title

      ```sh
      echo not under a wanted heading
      ```

      ## Quick start

      Some text.

      ```sh
      deploy/nauta up          # builds if needed
      # a comment line

      kubectl get pods \\
        -o wide
      ```

      ```yaml
      kind: Pod
      ```

      ```bash
      kubectl create -f - <<'EOF'
      kind: Pod
      metadata: {name: "#not-a-comment"}
      EOF
      kubectl get pods --watch      # Ctrl-C ends it
      echo '# quoted' "x#y"
      ```

      ### A subsection

      ```sh
      echo in a subsection, not run
      ```
      """;

  @Test
  void theShellBlocksUnderTheHeadingsBecomeCommands() {
    List<Command> commands = ReadmeCommands.of(DOC, List.of("Quick start"));

    assertThat(commands)
        .extracting(Command::text)
        .containsExactly(
            "deploy/nauta up          # builds if needed",
            "kubectl get pods \\\n  -o wide",
            "kubectl create -f - <<'EOF'\nkind: Pod\nmetadata: {name: \"#not-a-comment\"}\nEOF",
            "kubectl get pods --watch      # Ctrl-C ends it",
            "echo '# quoted' \"x#y\"");
    assertThat(commands)
        .extracting(Command::comment)
        .containsExactly("builds if needed", "", "", "Ctrl-C ends it", "");
    assertThat(commands.get(0).line()).isEqualTo("deploy/nauta up");
    assertThat(commands).extracting(Command::section).containsOnly("Quick start");
  }

  @Test
  void aHereDocumentWithoutItsEndIsRefused() {
    String doc = "## Quick start\n```sh\ncat <<EOF\nno end\n```\n";

    assertThatThrownBy(() -> ReadmeCommands.of(doc, List.of("Quick start")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not end with EOF");
  }

  @Test
  void noSectionOfThatNameGivesNoCommands() {
    assertThat(ReadmeCommands.of(DOC, List.of("Nowhere"))).isEmpty();
  }
}
