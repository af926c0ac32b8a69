// The report's HTML writer (escaping, nesting, empty elements) and number formatting.
#include <gtest/gtest.h>

#include <cmath>

#include "report/format.hpp"
#include "report/html.hpp"
#include "report/palette.hpp"
#include "segmint/error.hpp"

namespace segmint::report {
namespace {

TEST(ReportHtml, EscapesTextAndAttributes) {
  EXPECT_EQ(escape_html("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  HtmlWriter w;
  w.leaf("p", {{"title", "a\"><script>"}}, "<b>Can't</b>");
  EXPECT_EQ(w.finish(), "<p title=\"a&quot;&gt;&lt;script&gt;\">&lt;b&gt;Can&#39;t&lt;/b&gt;</p>");
}

TEST(ReportHtml, ChecksNestingAndNames) {
  HtmlWriter w;
  w.open("div").open("span");
  EXPECT_THROW(w.close("div"), RuntimeError);
  HtmlWriter open_left;
  open_left.open("section");
  EXPECT_THROW(open_left.finish(), RuntimeError);
  HtmlWriter bad;
  EXPECT_THROW(bad.open("div onclick"), RuntimeError);
  EXPECT_THROW(bad.empty("img", {{"src=x", "y"}}), RuntimeError);
}

TEST(ReportHtml, EmptyElementsAreWrittenForTheirContext) {
  HtmlWriter w;
  w.empty("meta", {{"charset", "utf-8"}}).empty("span", {{"class", "swatch"}});
  w.open("svg", {{"viewBox", "0 0 1 1"}}).empty("rect", {{"x", "0"}}).close("svg");
  EXPECT_EQ(w.finish(),
            "<meta charset=\"utf-8\"><span class=\"swatch\"></span>"
            "<svg viewBox=\"0 0 1 1\"><rect x=\"0\"/></svg>\n");
}

TEST(ReportHtml, SvgNumbers) {
  EXPECT_EQ(svg_num(12.5), "12.5");
  EXPECT_EQ(svg_num(3.14159), "3.14");
  EXPECT_EQ(svg_num(-0.001), "0");
  EXPECT_EQ(svg_num(1e6), "1000000");
  EXPECT_EQ(svg_num(NAN), "0");
}

TEST(ReportFormat, CountsAndDecimalsHaveThousandsSeparators) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
  EXPECT_EQ(format_count(1769763), "1,769,763");
  EXPECT_EQ(format_count(-1234),
            "\xE2\x88\x92"
            "1,234");
  EXPECT_EQ(format_decimal(13782.871, 2), "13,782.87");
  EXPECT_EQ(format_decimal(-0.001, 2), "0.00");  // no "-0.00"
}

TEST(ReportFormat, Percentages) {
  EXPECT_EQ(format_percent(0.147), "14.7%");
  EXPECT_EQ(format_percent(0.14), "14.0%");
  EXPECT_EQ(format_percent(0.0035), "0.35%");
  EXPECT_EQ(format_percent(0), "0%");
  EXPECT_EQ(format_percent(1), "100%");
}

TEST(ReportFormat, AmountsInUnits) {
  EXPECT_EQ(format_amount(6.8996), "6.9");
  EXPECT_EQ(format_amount(4.0832), "4.08");
  EXPECT_EQ(format_amount(13782.87), "13,783");
  EXPECT_EQ(format_amount(-932.24),
            "\xE2\x88\x92"
            "932");
  EXPECT_EQ(format_amount(2.0), "2");
  EXPECT_EQ(format_in_unit(6.9, "days"), "6.9 days");
  EXPECT_EQ(format_in_unit(1, "days"), "1 day");
  EXPECT_EQ(format_in_unit(0.2205, "ratio"), "22.1%");
  EXPECT_EQ(format_in_unit(9.5, "minutes"), "9.5 min");
  EXPECT_EQ(format_in_unit(1234.6, "currency"), "1,235");
}

TEST(ReportPalette, DivergingScaleIsBlueWhiteRed) {
  EXPECT_EQ(diverging_colour(0), "#f7f7f7");
  EXPECT_EQ(diverging_colour(-10), "#053061");
  EXPECT_EQ(diverging_colour(10), "#67001f");
  EXPECT_EQ(text_colour_on("#053061"), "#ffffff");
  EXPECT_EQ(text_colour_on("#f7f7f7"), "#111111");
  EXPECT_NE(segment_colour(0), segment_colour(1));
}

}  // namespace
}  // namespace segmint::report
