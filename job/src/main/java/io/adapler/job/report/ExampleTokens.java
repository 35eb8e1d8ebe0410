package io.adapler.job.report;

import io.adapler.job.report.ExampleRows.Candidate;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.InferenceException;
import io.adapler.udf.runtime.RowResult;
import io.adapler.udf.runtime.RuntimeOptions;
import io.adapler.udf.runtime.RuntimeRegistry;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import io.adapler.udf.tokenize.TokenOffsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores the chosen example rows once more, on the driver, with the layers each token ran
 * through ({@link RowResult#tokenLayers()}), and maps every word piece to its characters. The
 * driver's CPU runtime is the one the job opened to check the bundle (in local mode the very
 * one the tasks used), so this costs a handful of rows, not a pass over the data. A bundle
 * exported before {@code token_layers} existed still says which pieces reached the last
 * layer ({@code kept_positions}); the others are then {@link #UNKNOWN}.
 */
public final class ExampleTokens {
  /** The layers of a piece that was dropped at a layer the graph does not say. */
  static final int UNKNOWN = -1;

  /**
   * One word piece of an example.
   *
   * @param segment 0 for the text, 1 for the pair text
   * @param start start offset (inclusive) in its segment's text, a Java String index
   * @param end end offset (exclusive)
   * @param token the word piece
   * @param layers how many layers ran on it, or {@link #UNKNOWN}
   */
  record Piece(int segment, int start, int end, String token, int layers) {}

  /**
   * An example row, scored again.
   *
   * @param row the row as the write chose it
   * @param label the predicted label
   * @param probability the predicted label's probability
   * @param inputLength tokens after truncation
   * @param layerLengths tokens each layer ran on
   * @param truncated whether truncation removed tokens
   * @param flopsSpeedup the FLOPs speedup of this scoring
   * @param pieces the word pieces in token order, special tokens left out
   */
  public record Example(Candidate row, String label, float probability, int inputLength,
      int[] layerLengths, boolean truncated, double flopsSpeedup, List<Piece> pieces) {

    /** Whether this scoring agrees with the output row (it does, unless devices differ). */
    boolean matchesOutput() {
      return Math.abs(flopsSpeedup - row.flopsSpeedup()) <= 1e-9 * Math.abs(flopsSpeedup);
    }
  }

  private ExampleTokens() {}

  /**
   * Scores the rows at the run's eta scale on the driver's CPU runtime.
   *
   * @return one example per candidate, in the same order; empty when the graph reports
   *     neither token layers nor kept positions
   */
  public static List<Example> score(List<Candidate> rows, ModelBundle bundle, float etaScale)
      throws BundleLoadException, InferenceException {
    if (rows.isEmpty() || !bundle.manifest().hasKeptPositions()) {
      return List.of();
    }
    // the job's own CPU runtime when this JVM has one (local mode, or the driver's check)
    AdaplerRuntime runtime = RuntimeRegistry.shared().getAny(bundle, RuntimeOptions.defaults());
    List<TextRow> texts = rows.stream()
        .map(c -> c.pair() == null ? TextRow.of(c.text()) : TextRow.pair(c.text(), c.pair()))
        .toList();
    List<EncodedRow> encoded = runtime.encode(texts);
    List<RowResult> results = runtime.scoreEncoded(encoded, etaScale, true);
    int layers = bundle.manifest().geometry().layers();
    List<Example> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      RowResult r = results.get(i);
      out.add(new Example(rows.get(i), r.label(), r.probabilities()[r.labelIndex()],
          r.inputLength(), r.layerLengths(), r.truncated(), r.flopsSpeedup(),
          pieces(encoded.get(i).offsets(), r, layers)));
    }
    return out;
  }

  private static List<Piece> pieces(TokenOffsets offsets, RowResult r, int layers) {
    List<Piece> out = new ArrayList<>();
    for (int j = 0; j < offsets.tokens().length; j++) {
      if (offsets.segments()[j] < 0) {
        continue; // [CLS], [SEP]
      }
      int survived;
      if (r.tokenLayers().length > 0) {
        survived = r.tokenLayers()[j];
      } else {
        survived = Arrays.binarySearch(r.keptPositions(), j) >= 0 ? layers : UNKNOWN;
      }
      out.add(new Piece(offsets.segments()[j], offsets.starts()[j], offsets.ends()[j],
          offsets.tokens()[j], survived));
    }
    return out;
  }
}
