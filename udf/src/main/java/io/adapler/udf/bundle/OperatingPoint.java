package io.adapler.udf.bundle;

/**
 * A calibrated default operating point carried by a bundle's manifest ({@code operating_point}
 * in {@code adapler.json}): the eta scale to use when the caller does not choose one, and what
 * it was calibrated on.
 *
 * @param etaScale the default eta scale (finite, >= 0)
 * @param criterion the rule that chose it, e.g. "accuracy drop <= 0.005 against eta_scale 0"
 * @param calibratedOn the labelled data it was chosen on, for people
 */
public record OperatingPoint(double etaScale, String criterion, String calibratedOn) {

  /** Validates the eta scale. */
  public OperatingPoint {
    if (!(etaScale >= 0) || Double.isInfinite(etaScale)) {
      throw new IllegalArgumentException("operating point eta_scale must be a finite number >= 0, "
          + "found " + etaScale);
    }
  }
}
