package io.adapler.job.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.adapler.udf.spark.RowStatus;
import io.adapler.udf.spark.ScoredColumns;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Input records that Spark's json and csv readers could not parse. In PERMISSIVE mode the
 * reader keeps such a record as a row whose fields are null (json) or partly filled (csv) and
 * puts the raw record in its corrupt-record column; the job carries that column to the output
 * as {@link #COLUMN}, keeps the record's text away from the model and marks the row ERROR.
 */
public final class MalformedRecords {
  /** The output column with the raw record of a malformed row; null for well-formed rows. */
  public static final String COLUMN = "malformed_record";
  /**
   * The reader's corrupt-record column: a name of our own, so that an input field called
   * {@code _corrupt_record} (Spark's default) is read as an ordinary column.
   */
  static final String READER_COLUMN = "__adapler_malformed_record";

  private static final Set<String> FORMATS = Set.of("json", "csv");

  private MalformedRecords() {}

  /** Returns whether the format's reader reports malformed records (json and csv). */
  static boolean tracked(String inputFormat) {
    return FORMATS.contains(inputFormat);
  }

  /** Returns the error a malformed row gets, naming the format and where the raw record is. */
  static String error(String inputFormat) {
    return "malformed input record (" + inputFormat + "): Spark's " + inputFormat
        + " reader could not parse it; the raw record is in column " + COLUMN;
  }

  /** The text to score: null for a malformed record, so it never reaches the model. */
  static Column textOf(String textColumn) {
    return when(col(READER_COLUMN).isNull(), col(textColumn)).as(textColumn);
  }

  /**
   * Marks the malformed rows of a scored Dataset (which has {@link #COLUMN}) as ERROR with
   * {@link #error}. Their text was nulled before scoring, so the scorer said NULL.
   */
  public static Dataset<Row> markErrors(Dataset<Row> scored, String inputFormat) {
    Column malformed = col(COLUMN).isNotNull();
    return scored
        .withColumn(ScoredColumns.STATUS,
            when(malformed, lit(RowStatus.ERROR.name())).otherwise(col(ScoredColumns.STATUS)))
        .withColumn(ScoredColumns.ERROR,
            when(malformed, lit(error(inputFormat))).otherwise(col(ScoredColumns.ERROR)));
  }

  /** Returns whether a Dataset's columns include {@link #COLUMN}. */
  public static boolean present(Dataset<Row> rows) {
    return List.of(rows.columns()).contains(COLUMN);
  }
}
