/**
 * What a calibration found, written as calibration.json and calibration.html
 * ({@link io.adapler.job.calibration.CalibrationReport}), and a copy of the bundle whose
 * default eta scale is the recommended one ({@link io.adapler.job.calibration.CalibratedBundle}).
 */
package io.adapler.job.calibration;
