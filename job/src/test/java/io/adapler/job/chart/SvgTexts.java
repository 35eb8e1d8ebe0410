package io.adapler.job.chart;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a chart's SVG shows, read back from the document as a browser would (an XML parser, no
 * knowledge of the code that wrote it): its texts with their boxes, its circles, its axes.
 */
final class SvgTexts {
  /** The average advance of DejaVu Sans over digits, letters and punctuation, in em. */
  static final double CHAR_EM = 0.6;

  record Text(String role, String text, double x0, double y0, double x1, double y1) {
    boolean overlaps(Text o) {
      return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
    }
  }

  record Circle(double cx, double cy, double r, boolean ring) {}

  final List<Text> texts = new ArrayList<>();
  final List<Circle> circles = new ArrayList<>();
  final List<double[]> lines = new ArrayList<>();
  final List<double[]> segments = new ArrayList<>();

  SvgTexts(String svg) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    Element root = doc.getDocumentElement();
    double font = Double.parseDouble(root.getAttribute("font-size"));
    NodeList ts = doc.getElementsByTagName("text");
    for (int i = 0; i < ts.getLength(); i++) {
      Element t = (Element) ts.item(i);
      String s = t.getTextContent();
      double x = d(t, "x");
      double y = d(t, "y");
      double w = s.length() * CHAR_EM * font;
      double left = switch (t.getAttribute("text-anchor")) {
        case "middle" -> x - w / 2;
        case "end" -> x - w;
        default -> x;
      };
      texts.add(new Text(t.getAttribute("class"), s, left, y - 0.75 * font, left + w,
          y + 0.2 * font));
    }
    NodeList cs = doc.getElementsByTagName("circle");
    for (int i = 0; i < cs.getLength(); i++) {
      Element c = (Element) cs.item(i);
      circles.add(new Circle(d(c, "cx"), d(c, "cy"), d(c, "r"), c.getAttribute("fill")
          .equals("none")));
    }
    NodeList ls = doc.getElementsByTagName("line");
    for (int i = 0; i < ls.getLength(); i++) {
      Element l = (Element) ls.item(i);
      lines.add(new double[] {d(l, "x1"), d(l, "y1"), d(l, "x2"), d(l, "y2")});
    }
    NodeList ps = doc.getElementsByTagName("path");
    for (int i = 0; i < ps.getLength(); i++) {
      String[] xy = ((Element) ps.item(i)).getAttribute("d").replaceAll("[ML]", " ").trim()
          .split("\\s+");
      for (int k = 2; k + 1 < xy.length; k += 2) {
        segments.add(new double[] {Double.parseDouble(xy[k - 2]), Double.parseDouble(xy[k - 1]),
            Double.parseDouble(xy[k]), Double.parseDouble(xy[k + 1])});
      }
    }
  }

  List<Text> role(String role) {
    return texts.stream().filter(t -> t.role().equals(role)).toList();
  }

  /** The pairs of texts whose boxes overlap, as "a / b" strings. */
  List<String> overlappingTexts() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      for (int j = i + 1; j < texts.size(); j++) {
        if (texts.get(i).overlaps(texts.get(j))) {
          out.add(texts.get(i).text() + " / " + texts.get(j).text());
        }
      }
    }
    return out;
  }

  /** The texts of a role that overlap a circle (a marker or a ring). */
  List<String> textsOnCircles(String role) {
    List<String> out = new ArrayList<>();
    for (Text t : role(role)) {
      for (Circle c : circles) {
        double nx = Math.max(t.x0(), Math.min(c.cx(), t.x1()));
        double ny = Math.max(t.y0(), Math.min(c.cy(), t.y1()));
        if (Math.hypot(nx - c.cx(), ny - c.cy()) < c.r()) {
          out.add(t.text() + " on the circle at " + c.cx() + "," + c.cy());
        }
      }
    }
    return out;
  }

  /**
   * The texts of a role that a series' line passes through, found by sampling each segment
   * every half pixel.
   */
  List<String> textsOnSeries(String role) {
    List<String> out = new ArrayList<>();
    for (Text t : role(role)) {
      for (double[] s : segments) {
        double len = Math.hypot(s[2] - s[0], s[3] - s[1]);
        for (double u = 0; u <= len; u += 0.5) {
          double x = s[0] + (s[2] - s[0]) * u / Math.max(len, 1e-9);
          double y = s[1] + (s[3] - s[1]) * u / Math.max(len, 1e-9);
          if (x > t.x0() && x < t.x1() && y > t.y0() && y < t.y1()) {
            out.add(t.text());
            break;
          }
        }
      }
    }
    return out;
  }

  private static double d(Element e, String attr) {
    return Double.parseDouble(e.getAttribute(attr));
  }
}
