package io.nauta.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands of a Markdown document's sections, as a reader would type them: the fenced
 * {@code sh}/{@code bash}/{@code shell} blocks under a heading (up to the next heading of any
 * level), one command per line, a line ending in {@code \} joined with the next, a here-document
 * ({@code <<'EOF'}, {@code <<EOF}, {@code <<-EOF}) kept with its body; blank and comment-only lines
 * dropped. A trailing comment stays in the command (bash ignores it) and is also kept apart, as
 * what the document says about the command.
 */
final class ReadmeCommands {

  private static final Set<String> SHELLS = Set.of("sh", "bash", "shell");
  private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_-]*)\\s*$");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern HEREDOC = Pattern.compile("<<(-?)\\s*(['\"]?)([A-Za-z_][\\w]*)\\2");

  private ReadmeCommands() {}

  /**
   * A command: its text as bash runs it (here-document included), the section it is under, and the
   * comment the document ends its first line with (empty if none).
   */
  record Command(String section, String text, String comment) {

    /** The first line without its comment: what the command does. */
    String line() {
      String first = text.lines().findFirst().orElse("");
      int hash = commentStart(first);
      return (hash < 0 ? first : first.substring(0, hash)).strip();
    }
  }

  /** The commands of the sections whose headings are {@code headings}, in document order. */
  static List<Command> of(String markdown, List<String> headings) {
    List<Command> commands = new ArrayList<>();
    String section = null;
    List<String> block = null;
    boolean run = false;
    for (String line : markdown.split("\n", -1)) {
      Matcher fence = FENCE.matcher(line);
      if (block != null) {
        if (fence.matches() && fence.group(1).isEmpty()) {
          if (run) {
            commands.addAll(commands(section, block));
          }
          block = null;
        } else {
          block.add(line);
        }
      } else if (fence.matches()) {
        // A block in another language, or outside the sections, is passed over.
        block = new ArrayList<>();
        run = headings.contains(section) && SHELLS.contains(fence.group(1));
      } else {
        Matcher heading = HEADING.matcher(line);
        if (heading.matches()) {
          section = heading.group(1);
        }
      }
    }
    return commands;
  }

  private static List<Command> commands(String section, List<String> lines) {
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      StringBuilder text = new StringBuilder(line);
      while (text.toString().endsWith("\\") && i + 1 < lines.size()) {
        text.append('\n').append(lines.get(++i));
      }
      Matcher heredoc = HEREDOC.matcher(text);
      if (heredoc.find()) {
        boolean tabs = !heredoc.group(1).isEmpty();
        String end = heredoc.group(3);
        boolean closed = false;
        while (!closed && i + 1 < lines.size()) {
          String body = lines.get(++i);
          text.append('\n').append(body);
          closed = (tabs ? body.replaceFirst("^\\t+", "") : body).equals(end);
        }
        if (!closed) {
          throw new IllegalArgumentException(
              "a here-document in \"" + section + "\" does not end with " + end + ": " + line);
        }
      }
      int hash = commentStart(line);
      String comment = hash < 0 ? "" : line.substring(hash + 1).strip();
      commands.add(new Command(section, text.toString(), comment));
    }
    return commands;
  }

  /**
   * Where a line's comment starts: a {@code #} at the start of a word outside quotes, or -1. Enough
   * for the README's commands (no {@code #} inside {@code ${...}} or here-strings).
   */
  static int commentStart(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"') {
          i++;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\') {
        i++;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return i;
      }
    }
    return -1;
  }
}
