package io.adapler.job.input;

import io.adapler.job.options.JobOptions;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The explicit schema the job reads a json or csv corpus with, derived from the schema Spark
 * inferred. Spark fills the corrupt-record column only when it is in the schema (for csv it is
 * never inferred), so it is added here; the id column is read as a string, so that a record
 * whose id does not fit the inferred type still keeps it; and when nothing was inferred (the
 * files hold no records) the schema comes from the options.
 */
final class CorpusSchema {
  private CorpusSchema() {}

  /**
   * Returns the schema to re-read a json or csv input with.
   *
   * @param inferred what Spark inferred from the files; empty when they hold no records
   * @param o the options, naming the id, text, pair and pass-through columns
   * @return the inferred columns (or the named ones, as strings), the id as a string, and
   *     {@link MalformedRecords#READER_COLUMN}
   */
  static StructType forReading(StructType inferred, JobOptions o) {
    StructType schema = inferred.fields().length == 0 ? fromOptions(o) : inferred;
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      if (f.name().equals(MalformedRecords.READER_COLUMN)) {
        continue;
      }
      boolean id = !o.generatedId() && f.name().equals(o.idColumn());
      out = out.add(id ? new StructField(f.name(), DataTypes.StringType, true, f.metadata()) : f);
    }
    return out.add(MalformedRecords.READER_COLUMN, DataTypes.StringType, true);
  }

  /**
   * The named columns as strings: for files without a single record to infer from, and for
   * json read without inferring (the job keeps no other column).
   */
  static StructType fromOptions(JobOptions o) {
    StructType out = new StructType();
    for (String name : namedColumns(o)) {
      out = out.add(name, DataTypes.StringType, true);
    }
    return out;
  }

  /**
   * Every column the options name: the id unless it is generated, the text, the pair and the
   * pass-through columns.
   */
  static Set<String> namedColumns(JobOptions o) {
    Set<String> names = new LinkedHashSet<>();
    if (!o.generatedId()) {
      names.add(o.idColumn());
    }
    names.add(o.textColumn());
    if (o.pairs()) {
      names.add(o.pairColumn());
    }
    names.addAll(o.passThrough());
    return names;
  }
}
