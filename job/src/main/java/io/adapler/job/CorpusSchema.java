package io.adapler.job;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The explicit schema the job reads a json or csv corpus with, derived from the schema Spark
 * inferred. Spark fills the corrupt-record column only when it is in the schema (for csv it is
 * never inferred), so it is added here; and the id column is read as a string, so that a
 * record whose id does not fit the inferred type still keeps it.
 */
final class CorpusSchema {
  private CorpusSchema() {}

  /**
   * Returns the schema to re-read a json or csv input with.
   *
   * @param inferred what Spark inferred from the files
   * @param o the options, naming the id column
   * @return the inferred columns, the id as a string, and {@link MalformedRecords#READER_COLUMN}
   */
  static StructType forReading(StructType inferred, JobOptions o) {
    StructType schema = inferred;
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
}
