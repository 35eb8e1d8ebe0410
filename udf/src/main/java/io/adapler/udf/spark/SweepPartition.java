package io.adapler.udf.spark;

import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.calibration.SweepTally;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RowResult;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Scores one partition of labelled rows at every eta scale of a grid and returns its
 * {@link SweepTally}: each chunk of rows is tokenized once and run once per scale with the
 * executor's shared runtime. A row that fails at any scale is left out at all of them, so every
 * point of the curve covers the same rows. When given a row counter, adds each chunk's rows to it
 * once the chunk has run at every scale.
 */
final class SweepPartition implements MapPartitionsFunction<Row, SweepTally> {
  private static final long serialVersionUID = 1L;

  private final ScoreOptions options;
  private final float[] scales;
  private final List<String> labels;
  private final int layers;
  private final int textIndex;
  private final int pairIndex;
  private final int labelIndex;
  private final boolean labelIsIndex;
  private final LongAccumulator rowsScored;

  SweepPartition(ScoreOptions options, float[] scales, List<String> labels, int layers,
      StructType schema, String labelColumn, boolean labelIsIndex, LongAccumulator rowsScored) {
    this.options = options;
    this.scales = scales.clone();
    this.labels = List.copyOf(labels);
    this.layers = layers;
    this.textIndex = schema.fieldIndex(options.textColumn());
    this.pairIndex = options.pairColumn() == null ? -1 : schema.fieldIndex(options.pairColumn());
    this.labelIndex = schema.fieldIndex(labelColumn);
    this.labelIsIndex = labelIsIndex;
    this.rowsScored = rowsScored;
  }

  @Override
  public Iterator<SweepTally> call(Iterator<Row> input) throws BundleLoadException {
    SweepTally tally = new SweepTally(scales, labels.size(), layers);
    if (input.hasNext()) {
      AdaplerRuntime runtime = PartitionScorer.runtime(options,
          PartitionScorer.executorHadoopConf());
      List<Row> chunk = new ArrayList<>(options.chunkRows());
      while (input.hasNext()) {
        chunk.add(input.next());
        if (chunk.size() == options.chunkRows() || !input.hasNext()) {
          tallyChunk(runtime, chunk, tally);
          if (rowsScored != null) {
            rowsScored.add(chunk.size());
          }
          chunk.clear();
        }
      }
    }
    return List.of(tally).iterator();
  }

  private void tallyChunk(AdaplerRuntime runtime, List<Row> chunk, SweepTally tally) {
    List<Integer> golds = new ArrayList<>();
    List<TextRow> texts = new ArrayList<>();
    for (Row row : chunk) {
      String text = row.isNullAt(textIndex) ? null : row.getString(textIndex);
      String pair = pairIndex < 0 || row.isNullAt(pairIndex) ? null : row.getString(pairIndex);
      int gold = gold(row);
      if (text == null || (pairIndex >= 0 && pair == null)) {
        tally.skip("null text");
      } else if (gold < 0) {
        tally.skip("no usable label");
      } else if (text.length() + (pair == null ? 0 : pair.length()) > options.maxTextChars()) {
        tally.skip("longer than max-text-chars");
      } else {
        golds.add(gold);
        texts.add(pair == null ? TextRow.of(text) : TextRow.pair(text, pair));
      }
    }
    List<EncodedRow> encoded = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    int specials = pairIndex < 0 ? 2 : 3;
    List<EncodedRow> all = encodeAll(runtime, texts);
    for (int k = 0; k < texts.size(); k++) {
      EncodedRow e = all.get(k);
      if (e == null) {
        tally.skip("tokenization failed");
      } else if (e.length() <= specials) {
        tally.skip("empty");
      } else {
        encoded.add(e);
        kept.add(golds.get(k));
      }
    }
    RowResult[][] results = new RowResult[encoded.size()][scales.length];
    for (int s = 0; s < scales.length; s++) {
      List<RowResult> atScale = scoreAll(runtime, encoded, scales[s]);
      for (int k = 0; k < encoded.size(); k++) {
        results[k][s] = atScale.get(k);
      }
    }
    for (int k = 0; k < encoded.size(); k++) {
      if (java.util.Arrays.asList(results[k]).contains(null)) {
        tally.skip("scoring failed");
      } else {
        tally.add(kept.get(k), results[k]);
      }
    }
  }

  /** All rows at once; if that fails, row by row, with null for the rows that fail alone. */
  private static List<EncodedRow> encodeAll(AdaplerRuntime runtime, List<TextRow> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    try {
      return runtime.encode(texts);
    } catch (RuntimeException whole) {
      List<EncodedRow> out = new ArrayList<>();
      for (TextRow t : texts) {
        try {
          out.add(runtime.encode(List.of(t)).get(0));
        } catch (RuntimeException e) {
          out.add(null);
        }
      }
      return out;
    }
  }

  /** All rows at once; if that fails, row by row, with null for the rows that fail alone. */
  private static List<RowResult> scoreAll(AdaplerRuntime runtime, List<EncodedRow> rows,
      float scale) {
    if (rows.isEmpty()) {
      return List.of();
    }
    try {
      return runtime.scoreEncoded(rows, scale);
    } catch (Exception whole) {
      List<RowResult> out = new ArrayList<>();
      for (EncodedRow r : rows) {
        try {
          out.add(runtime.scoreEncoded(List.of(r), scale).get(0));
        } catch (Exception e) {
          out.add(null);
        }
      }
      return out;
    }
  }

  /** The row's class index, or -1 when its label is null or not one of the bundle's. */
  private int gold(Row row) {
    if (row.isNullAt(labelIndex)) {
      return -1;
    }
    if (labelIsIndex) {
      long i = ((Number) row.get(labelIndex)).longValue();
      return i >= 0 && i < labels.size() ? (int) i : -1;
    }
    return labels.indexOf(String.valueOf(row.get(labelIndex)));
  }
}
