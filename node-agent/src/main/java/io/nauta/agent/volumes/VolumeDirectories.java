package io.nauta.agent.volumes;

import io.nauta.agent.runtime.volumes.ProjectedDir;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the provisioner's volumes live: {@code <root>/volumes/<volume name>}, one directory each.
 * On the Docker runtime they are real directories, bind-mounted into containers; the simulated
 * runtime's nodes keep none ({@link #recordOnly}): their volumes exist only as PersistentVolumes,
 * so thousands of simulated nodes in one process need no disk.
 *
 * <p>The size of a claim is not enforced: a directory has no size of its own, and a quota per
 * directory needs project quotas (XFS {@code prjquota}, ext4 with the {@code project} feature),
 * which a plain ext4 or overlay root (this agent's usual home) does not have. A volume can grow
 * until the file system under the root is full.
 */
public class VolumeDirectories {

  private final Path dir;

  /** Directories under {@code <root>/volumes}. */
  public VolumeDirectories(Path root) {
    this.dir = root.toAbsolutePath().normalize().resolve("volumes");
  }

  /** Volumes that are only recorded: paths are named, nothing is made on disk. */
  public static VolumeDirectories recordOnly(Path root) {
    return new VolumeDirectories(root) {
      @Override
      public void create(String volume) {}

      @Override
      public void remove(String volume) {}

      @Override
      public boolean removeIfEmpty(String volume) {
        return false;
      }

      @Override
      public List<String> existing() {
        return List.of();
      }
    };
  }

  /** The path of the volume's directory. */
  public Path path(String volume) {
    Path p = dir.resolve(volume).normalize();
    if (!p.getParent().equals(dir)) {
      throw new IllegalArgumentException("volume name " + volume + " is not a directory name");
    }
    return p;
  }

  /**
   * Makes the volume's directory, 0777 as upstream's local provisioners make theirs so a container
   * running as any user can write; an existing one is kept (a retry).
   */
  public void create(String volume) throws IOException {
    Path p = path(volume);
    if (Files.isDirectory(p)) {
      return;
    }
    Files.createDirectories(p);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  /** Removes the volume's directory and what is in it (links are removed, never followed). */
  public void remove(String volume) throws IOException {
    ProjectedDir.deleteTree(path(volume));
  }

  /**
   * Removes the volume's directory only if nothing was ever written into it; answers whether it
   * did. Data is never removed but through a volume's Delete reclaim policy.
   */
  public boolean removeIfEmpty(String volume) throws IOException {
    Path p = path(volume);
    if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
      if (entries.iterator().hasNext()) {
        return false;
      }
    }
    Files.delete(p);
    return true;
  }

  /** The names of the volume directories there are now. */
  public List<String> existing() throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path e : entries) {
        names.add(e.getFileName().toString());
      }
    }
    return names;
  }
}
