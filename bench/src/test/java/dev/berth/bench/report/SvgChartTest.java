package dev.berth.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {

    private static Series series(String name, double... xy) {
        List<Series.Point> points = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < xy.length; i += 2) {
            points.add(new Series.Point(xy[i], xy[i + 1]));
        }
        return new Series(name, points);
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rendersWellFormedSvgWithOneLinePerSeriesAndALegend() throws Exception {
        SvgChart chart = new SvgChart("Throughput <&> concurrency", "sessions", "turns/s", true, false,
                List.of(series("0 ms", 1, 30, 16, 120, 64, 150), series("300 ms", 1, 1.5, 16, 24, 64, 90)));

        Document doc = parse(chart.render());

        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(chart.render()).contains("Throughput &lt;&amp;&gt; concurrency", ">0 ms<", ">300 ms<");
    }

    @Test
    void pointsLieInsideThePlotAreaAndHigherValuesAreHigherUp() throws Exception {
        SvgChart chart = new SvgChart("t", "x", "y", false, false, List.of(series("s", 0, 0, 10, 5, 20, 10)));

        NodeList circles = parse(chart.render()).getElementsByTagName("circle");

        assertThat(circles.getLength()).isEqualTo(3);
        double previousY = Double.MAX_VALUE;
        for (int i = 0; i < circles.getLength(); i++) {
            Element c = (Element) circles.item(i);
            double x = Double.parseDouble(c.getAttribute("cx"));
            double y = Double.parseDouble(c.getAttribute("cy"));
            assertThat(x).isBetween((double) SvgChart.LEFT, (double) SvgChart.LEFT + SvgChart.plotWidth());
            assertThat(y).isBetween((double) SvgChart.TOP, (double) SvgChart.TOP + SvgChart.plotHeight())
                    .isLessThan(previousY);
            previousY = y;
        }
    }

    @Test
    void logAxesSpanWholeDecadesAndSkipNonPositiveValues() {
        SvgChart chart = new SvgChart("t", "x", "y", true, true, List.of(series("s", 1, 0, 16, 3, 5000, 700)));

        SvgChart.Range x = chart.range(true);
        SvgChart.Range y = chart.range(false);

        assertThat(x.min()).isEqualTo(1);
        assertThat(x.max()).isEqualTo(10000);
        assertThat(x.ticks()).containsExactly(1.0, 10.0, 100.0, 1000.0, 10000.0);
        assertThat(y.min()).isEqualTo(1);
        assertThat(y.max()).isEqualTo(1000);
    }

    @Test
    void anEmptyChartStillRenders() throws Exception {
        Document doc = parse(new SvgChart("empty", "x", "y", false, false, List.of()).render());

        assertThat(doc.getElementsByTagName("text").getLength()).isGreaterThanOrEqualTo(3);
    }
}
