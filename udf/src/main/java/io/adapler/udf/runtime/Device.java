package io.adapler.udf.runtime;

import java.util.Locale;

/**
 * Where a runtime executes: the CPU, or one CUDA device by its ordinal.
 *
 * @param kind CPU or CUDA
 * @param index the CUDA device ordinal; 0 for the CPU
 */
public record Device(Kind kind, int index) {

  /** The kinds of device. */
  public enum Kind {
    /** The host CPU. */
    CPU,
    /** An NVIDIA GPU through ONNX Runtime's CUDA execution provider. */
    CUDA
  }

  /**
   * Checks the kind and index.
   *
   * @param kind see the record component of the same name
   * @param index see the record component of the same name
   */
  public Device {
    if (kind == null) {
      throw new IllegalArgumentException("device kind must not be null");
    }
    if (index < 0 || (kind == Kind.CPU && index != 0)) {
      throw new IllegalArgumentException("invalid device index " + index + " for " + kind);
    }
  }

  /**
   * Returns the CPU device.
   *
   * @return {@code cpu}
   */
  public static Device cpu() {
    return new Device(Kind.CPU, 0);
  }

  /**
   * Returns a CUDA device.
   *
   * @param index the device ordinal, as in {@code CUDA_VISIBLE_DEVICES} numbering
   * @return {@code cuda:index}
   */
  public static Device cuda(int index) {
    return new Device(Kind.CUDA, index);
  }

  /**
   * Parses {@code cpu}, {@code cuda} (device 0) or {@code cuda:N}, case-insensitively.
   *
   * @param text the device text
   * @return the device
   */
  public static Device parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("cpu")) {
      return cpu();
    }
    if (t.equals("cuda") || t.equals("gpu")) {
      return cuda(0);
    }
    if (t.startsWith("cuda:") || t.startsWith("gpu:")) {
      String n = t.substring(t.indexOf(':') + 1);
      if (n.matches("[0-9]{1,4}")) {
        return cuda(Integer.parseInt(n));
      }
    }
    throw new IllegalArgumentException("invalid device '" + text
        + "': expected cpu, cuda or cuda:N (N a device ordinal such as 0)");
  }

  /**
   * Returns whether this is a CUDA device.
   *
   * @return true for CUDA
   */
  public boolean isCuda() {
    return kind == Kind.CUDA;
  }

  /** Returns {@code cpu} or {@code cuda:N}, the form {@link #parse} reads. */
  @Override
  public String toString() {
    return isCuda() ? "cuda:" + index : "cpu";
  }
}
