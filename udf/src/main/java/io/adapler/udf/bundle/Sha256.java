package io.adapler.udf.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers: of bytes, of a string, and of a stream while it is copied. */
final class Sha256 {
  private Sha256() {}

  /** A digest and a byte count, the result of {@link #copy}. */
  record Digest(String hex, long bytes) {}

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Copies {@code in} to {@code out} (which may be null to only hash) and hashes the bytes. */
  static Digest copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
      if (out != null) {
        out.write(buffer, 0, n);
      }
      total += n;
    }
    return new Digest(HexFormat.of().formatHex(digest.digest()), total);
  }
}
