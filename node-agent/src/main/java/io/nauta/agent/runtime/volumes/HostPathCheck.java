package io.nauta.agent.runtime.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The checks of a {@code hostPath} volume's {@code type} (the kubelet's hostPath plugin,
 * checkTypeInternal): {@code DirectoryOrCreate} and {@code FileOrCreate} create what is missing
 * (0755 directories, an empty 0644 file whose parent must exist), the others require what they
 * name; unset checks nothing. Answers Kubernetes' message, or null when the path passes.
 */
public final class HostPathCheck {

  private HostPathCheck() {}

  public static String check(String path, String type) {
    Path p = Path.of(path);
    String t = type == null ? "" : type;
    try {
      switch (t) {
        case "":
          return null;
        case "DirectoryOrCreate":
          if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(p);
            return null;
          }
          return Files.isDirectory(p) ? null : notA(path, "directory");
        case "Directory":
          return Files.isDirectory(p) ? null : notA(path, "directory");
        case "FileOrCreate":
          if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(
                p,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            return null;
          }
          return Files.isRegularFile(p) ? null : notA(path, "file");
        case "File":
          return Files.isRegularFile(p) ? null : notA(path, "file");
        case "Socket":
          return fileType(p) == S_IFSOCK ? null : notA(path, "socket file");
        case "CharDevice":
          return fileType(p) == S_IFCHR ? null : notA(path, "character device");
        case "BlockDevice":
          return fileType(p) == S_IFBLK ? null : notA(path, "block device");
        default:
          return t + " is an invalid volume type";
      }
    } catch (IOException e) {
      return "hostPath type check failed: " + path + ": " + e.getMessage();
    }
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  /** The file type bits of stat(2)'s mode (Java tells sockets and devices apart only so). */
  private static int fileType(Path p) throws IOException {
    if (!Files.exists(p)) {
      return 0;
    }
    return ((Integer) Files.getAttribute(p, "unix:mode")) & S_IFMT;
  }

  private static String notA(String path, String what) {
    return "hostPath type check failed: " + path + " is not a " + what;
  }
}
