package io.nauta.agent.runtime.volumes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a ConfigMap or Secret volume's files the way the kubelet's AtomicWriter does, so a
 * container never sees half an update: the files go into a fresh directory {@code ..<hash>}, the
 * symlink {@code ..data} is switched to it by an atomic rename, and every top-level name is a
 * symlink {@code name -> ..data/name}. The hash is the payload's, so writing the same payload again
 * changes nothing.
 */
public final class ProjectedDir {

  private static final String DATA = "..data";

  private ProjectedDir() {}

  /** Whether the volume was written at least once (its content survives a failed update). */
  public static boolean populated(Path dir) {
    return Files.isSymbolicLink(dir.resolve(DATA));
  }

  public static void write(Path dir, Map<String, FileProjection> files) throws IOException {
    Files.createDirectories(dir);
    String version = ".." + hash(files);
    Path data = dir.resolve(DATA);
    boolean current =
        Files.isSymbolicLink(data) && Files.readSymbolicLink(data).toString().equals(version);
    if (!current) {
      Path target = dir.resolve(version);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(target);
      }
      Files.createDirectories(target);
      for (var e : files.entrySet()) {
        Path file = target.resolve(e.getKey()).normalize();
        if (!file.startsWith(target)) {
          throw new IOException("path " + e.getKey() + " leaves the volume");
        }
        Files.createDirectories(file.getParent());
        Files.write(file, e.getValue().data());
        Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
      }
      Path tmp = dir.resolve("..data_tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Path.of(version));
      Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    Set<String> names = new TreeSet<>();
    for (String path : files.keySet()) {
      names.add(Path.of(path).getName(0).toString());
    }
    // User-visible names: links into ..data; ones no longer in the payload go, old versions too.
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.equals(DATA) || name.equals(version)) {
          continue;
        }
        if (name.startsWith("..") || !names.contains(name)) {
          deleteTree(entry);
        }
      }
    }
    for (String name : names) {
      Path link = dir.resolve(name);
      if (!Files.isSymbolicLink(link)) {
        try {
          Files.createSymbolicLink(link, Path.of(DATA, name));
        } catch (FileAlreadyExistsException e) {
          deleteTree(link);
          Files.createSymbolicLink(link, Path.of(DATA, name));
        }
      }
    }
  }

  /** Removes a tree without following symlinks (their targets stay). */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        for (Path entry : entries) {
          deleteTree(entry);
        }
      }
    }
    Files.deleteIfExists(root);
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = new HashSet<>();
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static String hash(Map<String, FileProjection> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(files)
          .forEach(
              (path, f) -> {
                sha.update(path.getBytes(UTF_8));
                sha.update((byte) 0);
                sha.update(Integer.toString(f.mode()).getBytes(UTF_8));
                sha.update((byte) 0);
                sha.update(Integer.toString(f.data().length).getBytes(UTF_8));
                sha.update((byte) 0);
                sha.update(f.data());
              });
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
