package dev.vigil.detect.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IncidentReportTest {
  final Incident inc = OcsfIncidentsTest.chain(new ArrayList<>(), new ArrayList<>());
  final IncidentReport.Run run = new IncidentReport.Run(List.of("logs/"), 1234, 0, 3);

  @Test
  void htmlIsSelfContainedAndHoldsTheChainTheChartAndTheEvidence() {
    String html = IncidentReport.html(List.of(inc), run);
    assertThat(html).startsWith("<!DOCTYPE html>");
    assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "src=", "@import", "url(");
    // kill chain in order
    assertThat(html.indexOf(">Initial Access<")).isLessThan(html.indexOf(">Persistence<"));
    assertThat(html.indexOf(">Persistence<")).isLessThan(html.indexOf(">Exfiltration<"));
    // the chart: one bar per tenant, widths proportional to bytes (site-b 2500 is the longest bar)
    assertThat(html).contains("<svg class=\"chart\"");
    Matcher bars = Pattern.compile("<rect x=\"200\" y=\"\\d+\" width=\"(\\d+)\"").matcher(html);
    List<Integer> widths = new ArrayList<>();
    while (bars.find()) {
      widths.add(Integer.parseInt(bars.group(1)));
    }
    assertThat(widths).containsExactly(450, 270);
    assertThat(html).contains("site-b: 1 objects, 2500 bytes");
    // every evidence event, by id; the created key; the attacker addresses
    assertThat(html).contains("ev-1", "ev-2", "ev-3", "ev-4", "AKIACREATED000000002", "203.0.113.77");
    assertThat(html).contains("Created access key (persistence)");
    // attacker-controlled text is escaped
    assertThat(html).contains("site-b/&lt;b&gt;x&lt;/b&gt;.eml").doesNotContain("<b>x</b>");
  }

  @Test
  void markdownHasTheSameSections() {
    String md = IncidentReport.markdown(List.of(inc), run);
    assertThat(md).contains("# Vigil incident report", "### Kill chain", "### Timeline", "### Data read per tenant",
        "### Evidence events");
    assertThat(md).contains("| site-b | 1 | 2500 | 2.5 kB |", "| site-a | 1 | 1500 | 1.5 kB |");
    assertThat(md).contains("| 1 | Initial Access | TA0001 |", "| 2 | Persistence | TA0003 |",
        "| 3 | Exfiltration | TA0010 |");
    assertThat(md).contains("`ev-4`");
  }

  @Test
  void anEmptyRunSaysSo() {
    assertThat(IncidentReport.html(List.of(), run)).contains("No incident: no alert was raised on this input.");
    assertThat(IncidentReport.markdown(List.of(), run)).contains("No incident: no alert was raised on this input.");
  }
}
