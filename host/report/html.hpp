// A small HTML/SVG writer: escapes every text and attribute value, checks that tags nest.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace segmint::report {

/// Escapes & < > " ' so that `text` is safe as element text and as a quoted attribute value.
std::string escape_html(std::string_view text);

/// Attributes of one element, in the order written. Values are escaped by the writer.
using Attrs = std::vector<std::pair<std::string, std::string>>;

/// Builds a document element by element. Tag and attribute names must be ASCII
/// letters, digits, '-' or ':' (RuntimeError otherwise); text and attribute values are always
/// escaped, so data from input files can never open an element or a script.
class HtmlWriter {
 public:
  /// `<tag attrs>`; must be closed by close(tag).
  HtmlWriter& open(std::string_view tag, const Attrs& attrs = {});
  /// `</tag>`; RuntimeError when `tag` is not the innermost open element.
  HtmlWriter& close(std::string_view tag);
  /// `<tag attrs>text</tag>`.
  HtmlWriter& leaf(std::string_view tag, const Attrs& attrs, std::string_view text);
  /// An element without content: `<tag attrs>` for HTML void elements (meta, br, ...),
  /// `<tag attrs/>` inside <svg>, `<tag attrs></tag>` otherwise.
  HtmlWriter& empty(std::string_view tag, const Attrs& attrs = {});
  /// Escaped text.
  HtmlWriter& text(std::string_view text);
  /// Trusted markup written as is (the page's own constant CSS); never pass input data here.
  HtmlWriter& raw(std::string_view markup);
  /// The document; RuntimeError when an element is still open.
  std::string finish();

 private:
  void start_tag(std::string_view tag, const Attrs& attrs);
  std::string out_;
  std::vector<std::string> open_;
};

/// A number as an SVG coordinate ("12.5", at most two decimals, no exponent).
std::string svg_num(double x);

}  // namespace segmint::report
