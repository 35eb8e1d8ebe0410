/**
 * Calibration of the eta scale on labelled data: the tallies one pass over the data collects
 * at every eta scale of a grid ({@link io.adapler.udf.calibration.SweepTally}), the
 * speed/accuracy curve they give ({@link io.adapler.udf.calibration.CalibrationCurve}) and the
 * operating point a criterion picks from it ({@link io.adapler.udf.calibration.Criterion}).
 * Plain Java: the Spark side that fills the tallies is
 * {@link io.adapler.udf.spark.AdaplerCalibration}.
 */
package io.adapler.udf.calibration;
