package io.adapler.udf.spark;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/**
 * Reads an {@link AdaplerTransformer} written by {@code DefaultParamsWriter}: what Spark's
 * {@code DefaultParamsReader} does, with the class name checked first, so that loading another
 * stage's directory fails naming both classes instead of with a ClassCastException later.
 */
final class AdaplerTransformerReader extends MLReader<AdaplerTransformer> {

  @Override
  public AdaplerTransformer load(String path) {
    DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
        AdaplerTransformer.class.getName());
    AdaplerTransformer stage = new AdaplerTransformer(metadata.uid());
    // Set Params are set and defaults defaulted, so isSet survives the round trip.
    metadata.getAndSetParams(stage, Option.empty());
    return stage;
  }
}
