package io.adapler.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.report.ExampleTokens.Piece;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heat map's text runs and the escaping beneath them, without Spark or a model. */
class TokenHeatmapTest {
  private static String text(String s, boolean truncated, Piece... pieces) {
    StringBuilder sb = new StringBuilder();
    TokenHeatmap.text(sb, s, List.of(pieces), 0, truncated, null);
    return sb.toString();
  }

  @Test
  void piecesBecomeSpansOfTheirLayersAndTheGapsStayPlain() {
    assertEquals("<div class=\"txt\"><span class=\"t2\">ab</span> <span class=\"t0\">cd</span>"
        + "</div>\n", text("ab cd", false, new Piece(0, 0, 2, "ab", 2),
            new Piece(0, 3, 5, "cd", 0)));
  }

  @Test
  void markupInTheTextIsEscapedInsideAndBetweenSpans() {
    assertEquals("<div class=\"txt\"><span class=\"t0\">&lt;</span><span class=\"t1\">a</span>"
        + "<span class=\"t0\">&gt;</span> &amp;&quot;&#39;</div>\n", text("<a> &\"'", false,
            new Piece(0, 0, 1, "<", 0), new Piece(0, 1, 2, "a", 1), new Piece(0, 2, 3, ">", 0)));
  }

  @Test
  void aSurrogatePairIsNeverSplitBetweenTwoRuns() {
    String emoji = "x\ud83d\ude00";
    String whole = text(emoji, false, new Piece(0, 0, 1, "x", 3),
        new Piece(0, 1, 3, "[UNK]", 1));
    assertEquals("<div class=\"txt\"><span class=\"t3\">x</span><span class=\"t1\">"
        + "\ud83d\ude00</span></div>\n", whole);
    // A piece that ends inside the pair (as offsets of split characters may): same runs.
    assertEquals(whole, text(emoji, false, new Piece(0, 0, 1, "x", 3),
        new Piece(0, 1, 2, "[UNK]", 1)));
  }

  @Test
  void truncatedTextEndsAtTheLastPieceWithACountOfTheRest() {
    String html = text("one two three", true, new Piece(0, 0, 3, "one", 3),
        new Piece(0, 4, 7, "two", 1));
    assertTrue(html.startsWith("<div class=\"txt\"><span class=\"t3\">one</span> "
        + "<span class=\"t1\">two</span><span class=\"cut\"> &hellip; 6 more characters the "
        + "model did not read"), html);
    assertEquals("<div class=\"txt\"><span class=\"t3\">one</span> </div>\n",
        text("one ", true, new Piece(0, 0, 3, "one", 3)));
  }

  @Test
  void controlCharactersShowAsPicturesAndLoneSurrogatesAsReplacements() {
    assertEquals("\u2400\u2407 a\nb\nc \ufffd x\ud83d\ude00", HtmlText.escape(
        "\u0000\u0007 a\r\nb\rc \ud83d x\ud83d\ude00"));
    assertEquals("", HtmlText.escape(null));
  }

  @Test
  void everyLayerCountHasAStyleAndTheLastIsTheDarkest() {
    String css = TokenHeatmap.css(6);
    for (int v = 0; v <= 6; v++) {
      assertTrue(css.contains(".t" + v), css);
    }
    assertTrue(css.contains(".t6{background:#225ea8;color:#fff}"), css);
    assertTrue(css.contains(".t1{background:#edf8b1;color:#111}"), css);
  }
}
