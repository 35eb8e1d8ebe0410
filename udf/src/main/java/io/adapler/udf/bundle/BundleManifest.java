package io.adapler.udf.bundle;

import java.util.List;
import java.util.Map;

/**
 * The parsed and validated {@code adapler.json} of a bundle (format version 1).
 *
 * @param formatVersion the bundle format version (this runtime reads {@value #FORMAT_VERSION})
 * @param name the bundle's name, for logs and reports
 * @param labels class labels; logit {@code i} belongs to {@code labels.get(i)}
 * @param tokenizer tokenizer settings
 * @param geometry model sizes
 * @param eta the trained per-layer thresholds (already inside the graph)
 * @param thetaPr the authors' optional [CLS] factors, {@code layers - 1} values (may be empty)
 * @param graph the ONNX graph's file and declared names
 * @param files every other bundle file with its checksum and size
 * @param operatingPoint the calibrated default eta scale, or null when the bundle has none (then
 *     the default is 1, the trained point)
 */
public record BundleManifest(
    int formatVersion,
    String name,
    List<String> labels,
    TokenizerSettings tokenizer,
    ModelGeometry geometry,
    List<Double> eta,
    List<Double> thetaPr,
    GraphSpec graph,
    Map<String, FileEntry> files,
    OperatingPoint operatingPoint) {

  /** The only format version this runtime reads. */
  public static final int FORMAT_VERSION = 1;

  /** The manifest's file name inside a bundle. */
  public static final String FILE_NAME = "adapler.json";

  /**
   * Copies the collections so the record stays immutable.
   *
   * @param formatVersion see the record component of the same name
   * @param name see the record component of the same name
   * @param labels see the record component of the same name
   * @param tokenizer see the record component of the same name
   * @param geometry see the record component of the same name
   * @param eta see the record component of the same name
   * @param thetaPr see the record component of the same name
   * @param graph see the record component of the same name
   * @param files see the record component of the same name
   * @param operatingPoint see the record component of the same name
   */
  public BundleManifest {
    labels = List.copyOf(labels);
    eta = List.copyOf(eta);
    thetaPr = List.copyOf(thetaPr);
    files = Map.copyOf(files);
  }

  /**
   * Returns whether the graph declares the optional {@code kept_positions} output.
   *
   * @return true when rationales can be reported
   */
  public boolean hasKeptPositions() {
    return graph.outputs().contains("kept_positions");
  }

  /**
   * Returns whether the graph declares the optional {@code token_layers} output (graphs
   * exported before it existed do not).
   *
   * @return true when the runtime can say how many layers ran on each token
   */
  public boolean hasTokenLayers() {
    return graph.outputs().contains("token_layers");
  }

  /**
   * Returns the eta scale to use when the caller does not choose one.
   *
   * @return the calibrated operating point's eta scale, or 1 (the trained point)
   */
  public float defaultEtaScale() {
    return operatingPoint == null ? 1f : (float) operatingPoint.etaScale();
  }
}
