package io.adapler.udf.bundle;

import java.util.List;

/**
 * The manifest's {@code graph.format} record: how the graph computes its linear layers and
 * which ONNX Runtime fused operators it was written with. Informational for the runtime, which
 * runs every format alike; a bundle without the record is a plain float32 graph.
 *
 * @param linears {@link #FLOAT32} or {@link #INT8} (per-channel int8 weights, per-token int8
 *     activations: batch-invariant)
 * @param fused the fusions written into the graph (empty for a plain graph)
 */
public record GraphFormat(String linears, List<String> fused) {
  /** Linear layers computed in float32. */
  public static final String FLOAT32 = "float32";

  /** Linear layers computed in int8 with per-channel weight and per-token activation scales. */
  public static final String INT8 = "int8-per-channel-weights-per-token-activations";

  /** The format of a bundle whose manifest has no {@code graph.format} record. */
  public static final GraphFormat PLAIN = new GraphFormat(FLOAT32, List.of());

  /**
   * Validates the linear format and copies the list so the record stays immutable.
   *
   * @param linears see the record component of the same name
   * @param fused see the record component of the same name
   */
  public GraphFormat {
    if (!FLOAT32.equals(linears) && !INT8.equals(linears)) {
      throw new IllegalArgumentException("graph.format.linears: expected " + FLOAT32 + " or "
          + INT8 + ", found " + linears);
    }
    fused = List.copyOf(fused);
  }

  /** Returns whether the linear layers run in int8. */
  public boolean int8() {
    return INT8.equals(linears);
  }
}
