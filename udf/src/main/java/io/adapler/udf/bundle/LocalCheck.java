package io.adapler.udf.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Re-verifies a bundle copy already in the local cache against its manifest. */
final class LocalCheck {
  private LocalCheck() {}

  /**
   * Returns what is wrong with a cached copy, or null when every listed file is intact.
   *
   * @param dir the cached bundle directory
   * @param manifest the manifest the copy must match
   */
  static String problem(Path dir, BundleManifest manifest) {
    for (var e : manifest.files().entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!Files.isRegularFile(file)) {
        return file + " is missing";
      }
      try (InputStream in = Files.newInputStream(file)) {
        Sha256.Digest d = Sha256.copy(in, null);
        if (!d.hex().equals(e.getValue().sha256()) || d.bytes() != e.getValue().bytes()) {
          return file + " has sha256 " + d.hex() + " (" + d.bytes() + " bytes), expected "
              + e.getValue().sha256() + " (" + e.getValue().bytes() + " bytes)";
        }
      } catch (IOException ex) {
        return file + " cannot be read: " + ex;
      }
    }
    return null;
  }
}
