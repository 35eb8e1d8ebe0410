package io.adapler.udf.bundle;

import java.nio.file.Path;

/**
 * A verified bundle in the local cache: every file's SHA-256 matched its manifest entry.
 *
 * @param uri the fully qualified URI the bundle was loaded from
 * @param localDir the local cache directory holding the verified copies
 * @param manifest the parsed manifest
 * @param checksum SHA-256 of the manifest's bytes; since the manifest lists the SHA-256 of every
 *     other file, this identifies the whole bundle (the runtime registry keys on it)
 */
public record ModelBundle(String uri, Path localDir, BundleManifest manifest, String checksum) {

  /**
   * Returns the local path of the ONNX graph.
   *
   * @return the verified {@code model.onnx}
   */
  public Path modelPath() {
    return localDir.resolve(manifest.graph().file());
  }

  /**
   * Returns the local path of the Hugging Face tokenizer file.
   *
   * @return the verified {@code tokenizer.json}
   */
  public Path tokenizerPath() {
    return localDir.resolve(manifest.tokenizer().file());
  }

  /**
   * Returns a short label for logs and messages: the bundle name and the first checksum digits.
   *
   * @return for example {@code tiny-random@3f2a9c1e}
   */
  public String label() {
    return manifest.name() + "@" + checksum.substring(0, 8);
  }
}
