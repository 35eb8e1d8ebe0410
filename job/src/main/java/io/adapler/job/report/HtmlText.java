package io.adapler.job.report;

/**
 * Makes any string safe as HTML text or attribute value: the five markup characters become
 * entities, and control characters (which HTML forbids, NUL among them) become the visible
 * Unicode control pictures, so that a row's text always renders as text, never as markup.
 */
final class HtmlText {
  private HtmlText() {}

  /**
   * Returns {@code s} escaped for use between tags or inside a quoted attribute.
   *
   * @param s any string, null allowed (gives "")
   * @return the escaped text
   */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        case '\n', '\t' -> sb.append(c);
        case '\r' -> sb.append(i + 1 < s.length() && s.charAt(i + 1) == '\n' ? "" : "\n");
        default -> {
          if (c < 0x20) {
            sb.append((char) (0x2400 + c)); // U+2400..U+241F: the control pictures
          } else if (c == 0x7f) {
            sb.append('\u2421');
          } else if (Character.isSurrogate(c) && !validPair(s, i)) {
            sb.append('\ufffd');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
