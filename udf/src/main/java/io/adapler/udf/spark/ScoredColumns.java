package io.adapler.udf.spark;

import io.adapler.udf.runtime.RationaleToken;
import io.adapler.udf.runtime.RowResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The columns scoring appends to every input row, and how a {@link RowResult} or a failure
 * becomes their values. Rows without a prediction (NULL, EMPTY, ERROR) have nulls there. With
 * {@link ScoreOptions#rationales()} one more column, {@link #RATIONALE}, comes last.
 */
public final class ScoredColumns {
  /** Column names, in output order. */
  public static final String LABEL = "label";
  public static final String LABEL_INDEX = "label_index";
  public static final String PROBABILITIES = "probabilities";
  public static final String INPUT_LENGTH = "input_length";
  public static final String LAYER_LENGTHS = "layer_lengths";
  public static final String FLOPS_SPEEDUP = "flops_speedup";
  public static final String TRUNCATED = "truncated";
  public static final String STATUS = "status";
  public static final String ERROR = "error";
  /** FLOPs of the full model and of AdapLeR on the row, for ratio-of-sums speedups. */
  public static final String FLOPS_FULL = "flops_full";
  public static final String FLOPS_ADAPTIVE = "flops_adaptive";

  /** The optional last column: the word pieces that reached the last layer. */
  public static final String RATIONALE = "rationale";

  /**
   * One word piece of a rationale: the piece as the tokenizer wrote it ({@code ##} marks a
   * continuation), its {@code [start, end)} character offsets (Java String indices) into the
   * text it came from, and that text: segment 0 is the text column, 1 the pair column.
   */
  public static final StructType RATIONALE_TOKEN = new StructType(new StructField[] {
      DataTypes.createStructField("token", DataTypes.StringType, false),
      DataTypes.createStructField("start", DataTypes.IntegerType, false),
      DataTypes.createStructField("end", DataTypes.IntegerType, false),
      DataTypes.createStructField("segment", DataTypes.IntegerType, false),
  });

  /** The {@link #RATIONALE} column: an array of {@link #RATIONALE_TOKEN}, null unless OK. */
  public static final StructField RATIONALE_FIELD = DataTypes.createStructField(RATIONALE,
      DataTypes.createArrayType(RATIONALE_TOKEN, false), true);

  /** The appended columns (without the optional {@link #RATIONALE}). */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField(LABEL, DataTypes.StringType, true),
      DataTypes.createStructField(LABEL_INDEX, DataTypes.IntegerType, true),
      DataTypes.createStructField(PROBABILITIES,
          DataTypes.createArrayType(DataTypes.FloatType, false), true),
      DataTypes.createStructField(INPUT_LENGTH, DataTypes.IntegerType, true),
      DataTypes.createStructField(LAYER_LENGTHS,
          DataTypes.createArrayType(DataTypes.IntegerType, false), true),
      DataTypes.createStructField(FLOPS_SPEEDUP, DataTypes.DoubleType, true),
      DataTypes.createStructField(TRUNCATED, DataTypes.BooleanType, true),
      DataTypes.createStructField(STATUS, DataTypes.StringType, false),
      DataTypes.createStructField(ERROR, DataTypes.StringType, true),
      DataTypes.createStructField(FLOPS_FULL, DataTypes.DoubleType, true),
      DataTypes.createStructField(FLOPS_ADAPTIVE, DataTypes.DoubleType, true),
  });

  private ScoredColumns() {}

  /** Returns the input schema with the scoring columns appended. */
  public static StructType append(StructType input) {
    return append(input, false);
  }

  /**
   * Returns the input schema with the scoring columns appended, and the {@link #RATIONALE}
   * column last when asked for.
   *
   * @param input the input schema; must not have a column of the same name
   * @param rationales whether to append {@link #RATIONALE_FIELD}
   * @return the output schema
   */
  public static StructType append(StructType input, boolean rationales) {
    StructType appended = rationales ? SCHEMA.add(RATIONALE_FIELD) : SCHEMA;
    for (StructField f : appended.fields()) {
      if (List.of(input.fieldNames()).contains(f.name())) {
        throw new IllegalArgumentException("the input already has a column named '" + f.name()
            + "', which scoring adds; rename or drop it first (input columns: "
            + List.of(input.fieldNames()) + ")");
      }
    }
    StructType out = input;
    for (StructField f : appended.fields()) {
      out = out.add(f);
    }
    return out;
  }

  /** The input row followed by a scored row's columns (and its rationale when asked for). */
  static Row scored(Row input, RowResult r, boolean rationales) {
    List<Float> probs = new ArrayList<>(r.probabilities().length);
    for (float p : r.probabilities()) {
      probs.add(p);
    }
    List<Integer> lengths = new ArrayList<>(r.layerLengths().length);
    for (int l : r.layerLengths()) {
      lengths.add(l);
    }
    Object[] values = {r.label(), r.labelIndex(), seq(probs), r.inputLength(), seq(lengths),
        r.flopsSpeedup(), r.truncated(), RowStatus.OK.name(), null, r.fullFlops(),
        r.adaptiveFlops(), null};
    if (rationales) {
      List<Row> pieces = new ArrayList<>(r.rationale().size());
      for (RationaleToken t : r.rationale()) {
        pieces.add(RowFactory.create(t.token(), t.start(), t.end(), t.segment()));
      }
      values[values.length - 1] = seq(pieces);
    }
    return join(input, values, rationales);
  }

  /** The input row followed by a row without a prediction (a null rationale when asked for). */
  static Row unscored(Row input, RowStatus status, String error, boolean rationales) {
    Object[] values = {null, null, null, null, null, null, null, status.name(), error, null,
        null, null};
    return join(input, values, rationales);
  }

  /** Row encoders want Scala sequences for array columns. */
  private static <T> scala.collection.immutable.Seq<T> seq(List<T> values) {
    return CollectionConverters.asScala(values).toList();
  }

  /** The input's values, then {@code appended} less its last (the rationale) when not asked for. */
  private static Row join(Row input, Object[] appended, boolean rationales) {
    int n = rationales ? appended.length : appended.length - 1;
    Object[] values = new Object[input.length() + n];
    for (int i = 0; i < input.length(); i++) {
      values[i] = input.get(i);
    }
    System.arraycopy(appended, 0, values, input.length(), n);
    return RowFactory.create(values);
  }
}
