package io.adapler.udf.runtime;

import io.adapler.udf.bundle.BundleManifest;
import io.adapler.udf.flops.FlopsModel;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TokenOffsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Turns one row's raw graph outputs into a {@link RowResult}: softmax, label, FLOPs and the
 * rationale, after checking the outputs against the bundle contract.
 */
final class RowDecoder {
  private final List<String> labels;
  private final FlopsModel flops;

  RowDecoder(BundleManifest manifest, FlopsModel flops) {
    this.labels = manifest.labels();
    this.flops = flops;
  }

  /**
   * Decodes one row.
   *
   * @throws IllegalStateException when the outputs break the contract (lengths not
   *     non-increasing, positions out of range)
   */
  RowResult decode(EncodedRow row, BatchExecutor.RawRow raw) {
    int n = row.length();
    int[] lengths = new int[raw.layerLengths().length];
    for (int l = 0; l < lengths.length; l++) {
      long v = raw.layerLengths()[l];
      long previous = l == 0 ? n : lengths[l - 1];
      if (v < 1 || v > previous) {
        throw new IllegalStateException("layer_lengths " + Arrays.toString(raw.layerLengths())
            + " for a row of " + n + " tokens: expected non-increasing values in [1, " + n + "]");
      }
      lengths[l] = (int) v;
    }
    int[] kept = Arrays.stream(raw.kept()).filter(p -> p >= 0).mapToInt(p -> (int) p).toArray();
    if (raw.kept().length > 0) {
      if (kept.length != lengths[lengths.length - 1]) {
        throw new IllegalStateException("kept_positions " + Arrays.toString(raw.kept())
            + ": expected " + lengths[lengths.length - 1] + " positions (the last layer length)");
      }
      for (int i = 0; i < kept.length; i++) {
        if (kept[i] >= n || (i > 0 && kept[i] <= kept[i - 1])) {
          throw new IllegalStateException("kept_positions " + Arrays.toString(raw.kept())
              + ": expected ascending positions below " + n);
        }
      }
    }
    int[] tokenLayers = tokenLayers(raw.tokenLayers(), n, lengths);
    if (tokenLayers.length > 0 && raw.kept().length > 0) {
      int last = lengths.length;
      int[] reached = IntStream.range(0, n)
          .filter(j -> tokenLayers[j] == last).toArray();
      if (!Arrays.equals(reached, kept)) {
        throw new IllegalStateException("token_layers " + Arrays.toString(raw.tokenLayers())
            + " disagree with kept_positions " + Arrays.toString(raw.kept()) + ": the tokens"
            + " that ran through all " + last + " layers must be the kept ones");
      }
    }
    float[] logits = raw.logits();
    float[] probabilities = softmax(logits);
    int best = 0;
    for (int c = 1; c < probabilities.length; c++) {
      if (probabilities[c] > probabilities[best]) {
        best = c;
      }
    }
    return new RowResult(best, labels.get(best), probabilities, logits, n, lengths,
        row.truncated(), flops.fullFlops(n), flops.adaptiveFlops(lengths), kept,
        rationale(row.offsets(), kept), tokenLayers);
  }

  /**
   * The row's token layers (its first {@code n} values; the rest must be -1 padding), checked
   * against the layer lengths: layer l ran on exactly the tokens with a value above l.
   */
  private static int[] tokenLayers(long[] raw, int n, int[] lengths) {
    if (raw.length == 0) {
      return new int[0];
    }
    int layers = lengths.length;
    int[] out = new int[n];
    int[] ranOn = new int[layers];
    boolean ok = raw.length >= n && raw[0] == layers;
    for (int j = 0; ok && j < raw.length; j++) {
      long v = raw[j];
      ok = j < n ? v >= 0 && v <= layers : v == -1;
      if (j < n) {
        out[j] = (int) v;
        for (int l = 0; l < v && ok; l++) {
          ranOn[l]++;
        }
      }
    }
    if (!ok || !Arrays.equals(ranOn, lengths)) {
      throw new IllegalStateException("token_layers " + Arrays.toString(raw) + " for a row of "
          + n + " tokens with layer_lengths " + Arrays.toString(lengths) + ": expected values"
          + " in [0, " + layers + "] ([CLS] " + layers + "), -1 padding, and layer l running"
          + " on as many tokens as layer_lengths[l]");
    }
    return out;
  }

  private static List<RationaleToken> rationale(TokenOffsets offsets, int[] kept) {
    if (offsets == null || kept.length == 0) {
      return List.of();
    }
    List<RationaleToken> out = new ArrayList<>(kept.length);
    for (int p : kept) {
      int segment = offsets.segments()[p];
      if (segment >= 0) {
        out.add(new RationaleToken(p, offsets.tokens()[p], segment, offsets.starts()[p],
            offsets.ends()[p]));
      }
    }
    return List.copyOf(out);
  }

  private static float[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] e = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] - max);
      sum += e[i];
    }
    float[] p = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }
}
