package io.adapler.udf.runtime;

import io.adapler.udf.bundle.ModelGeometry;
import io.adapler.udf.tokenize.EncodedRow;
import java.util.Arrays;
import java.util.List;

/** Checks a scoring call's arguments before any tensor is made; messages name both sides. */
final class ScoreArguments {
  private ScoreArguments() {}

  static void checkEta(float etaScale) {
    if (!(etaScale >= 0) || Float.isInfinite(etaScale)) {
      throw new IllegalArgumentException("etaScale must be a finite number >= 0, found "
          + etaScale);
    }
  }

  /** Every row fits the geometry: length, token ids and token types in range. */
  static void checkRows(List<EncodedRow> rows, ModelGeometry g) {
    for (int i = 0; i < rows.size(); i++) {
      checkRow(i, rows.get(i), g);
    }
  }

  private static void checkRow(int i, EncodedRow row, ModelGeometry g) {
    if (row.length() > g.maxPositions()) {
      throw new IllegalArgumentException("row " + i + " has " + row.length()
          + " tokens, expected at most " + g.maxPositions() + " (geometry.max_positions)");
    }
    for (int j = 0; j < row.length(); j++) {
      long id = row.ids()[j];
      long type = row.typeIds()[j];
      if (id < 0 || id >= g.vocabSize() || type < 0 || type >= g.typeVocabSize()) {
        throw new IllegalArgumentException("row " + i + " token " + j + ": expected id in [0, "
            + g.vocabSize() + ") and type in [0, " + g.typeVocabSize() + "), found id " + id
            + " type " + type + " (row " + Arrays.toString(row.ids()) + ")");
      }
    }
  }
}
