package io.adapler.udf.calibration;

/**
 * One eta scale's figures on the calibration rows.
 *
 * @param etaScale the eta scale
 * @param accuracy share of rows whose predicted class is the true one
 * @param f1 F1 of class 1 for two classes (e.g. "spam"), macro F1 for more
 * @param flopsSpeedup full-model FLOPs over AdapLeR FLOPs on the rows (a ratio of sums)
 * @param meanLayerLengths mean tokens each layer processed
 */
public record CurvePoint(double etaScale, double accuracy, double f1, double flopsSpeedup,
    double[] meanLayerLengths) {}
