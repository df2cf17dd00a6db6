package com.salespulse.jobs;

import java.util.List;

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG, no script, no font, image
 * or style sheet fetched from anywhere, so it opens offline from a mail attachment or an S3 link
 * and prints (one section per page where it fits).
 */
final class ReportPage {

  private ReportPage() {}

  static String html(Report.Built report, String warehouseName, String version) {
    StringBuilder h = new StringBuilder(1 << 16);
    String period = Character.toUpperCase(report.periodType().charAt(0)) + report.periodType().substring(1);
    String title = "SalesPulse · " + period + " to date · as of " + report.asOf()
        + (report.team().isEmpty() ? "" : " · team " + report.team());
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
        .append("<header><h1>").append(esc(title)).append("</h1>\n<p class=\"meta\">Warehouse ")
        .append(esc(warehouseName)).append(" · SalesPulse ").append(esc(version))
        .append(" · every figure is the answer of a query in <code>sql/queries/</code> (named under each chart), run on the warehouse's tables.</p>\n")
        .append("<nav><ol>");
    for (Report.Section s : report.sections()) {
      h.append("<li><a href=\"#").append(s.id()).append("\">").append(esc(s.heading().replaceFirst("^\\d+\\. ", "")))
          .append("</a></li>");
    }
    h.append("</ol></nav></header>\n<main>\n");
    for (Report.Section s : report.sections()) {
      h.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(esc(s.heading())).append("</h2>\n<p class=\"lead\">")
          .append(esc(s.lead())).append("</p>\n");
      for (Report.Figure f : s.figures()) {
        h.append("<figure id=\"fig-").append(f.id()).append("\">\n").append(f.rendered().svg())
            .append("\n<figcaption>Query: <code>sql/queries/").append(esc(f.query())).append(".sql</code></figcaption>\n</figure>\n");
      }
      for (Report.Table t : s.tables()) {
        h.append(table(t));
      }
      h.append("</section>\n");
    }
    h.append("</main>\n</body>\n</html>\n");
    return h.toString();
  }

  private static String table(Report.Table t) {
    StringBuilder h = new StringBuilder("<div class=\"table\"><table>\n<caption>").append(esc(t.caption()))
        .append("</caption>\n<thead><tr>");
    for (String c : t.headers()) {
      h.append("<th scope=\"col\">").append(esc(c)).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    if (t.rows().isEmpty()) {
      h.append("<tr><td colspan=\"").append(t.headers().size()).append("\">none</td></tr>\n");
    }
    for (List<String> row : t.rows()) {
      h.append("<tr>");
      for (String v : row) {
        h.append("<td>").append(esc(v)).append("</td>");
      }
      h.append("</tr>\n");
    }
    return h.append("</tbody></table></div>\n").toString();
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS = """
      :root { color-scheme: light; }
      body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #222; margin: 0 auto;
             max-width: 1100px; padding: 1rem 1.5rem 3rem; line-height: 1.4; }
      h1 { font-size: 1.5rem; margin: .5rem 0; }
      h2 { font-size: 1.25rem; border-bottom: 2px solid #0072B2; padding-bottom: .2rem; margin-top: 2.2rem; }
      .meta { color: #555; font-size: .85rem; }
      nav ol { display: flex; flex-wrap: wrap; gap: .3rem 1.4rem; padding-left: 1.2rem; font-size: .9rem; }
      .lead { max-width: 60rem; }
      figure { margin: 1rem 0; }
      figure svg { display: block; width: 100%; height: auto; max-width: 900px; }
      figcaption { color: #666; font-size: .8rem; }
      .table { overflow-x: auto; }
      table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1rem; }
      caption { text-align: left; font-weight: bold; padding: .3rem 0; }
      th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; vertical-align: top; }
      th { background: #f3f3f3; }
      code { font-size: .85em; }
      @media print {
        body { max-width: none; padding: 0; }
        nav { display: none; }
        section { break-before: page; }
        figure, table { break-inside: avoid; }
      }
      """;
}
