// HtmlWriter: escaping and tag-nesting checks.
#include "report/html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "segmint/error.hpp"

namespace segmint::report {
namespace {

void check_name(std::string_view name) {
  bool ok = !name.empty();
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == ':');
  }
  if (!ok) throw RuntimeError("html: invalid tag or attribute name '" + std::string(name) + "'");
}

bool html_void(std::string_view tag) {
  for (const char* v : {"meta", "br", "hr", "img", "link", "input", "col", "wbr"}) {
    if (tag == v) return true;
  }
  return false;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void HtmlWriter::start_tag(std::string_view tag, const Attrs& attrs) {
  check_name(tag);
  out_ += '<';
  out_ += tag;
  for (const auto& [name, value] : attrs) {
    check_name(name);
    out_ += ' ' + name + "=\"" + escape_html(value) + '"';
  }
}

HtmlWriter& HtmlWriter::open(std::string_view tag, const Attrs& attrs) {
  start_tag(tag, attrs);
  out_ += '>';
  open_.emplace_back(tag);
  return *this;
}

HtmlWriter& HtmlWriter::close(std::string_view tag) {
  if (open_.empty() || open_.back() != tag) {
    throw RuntimeError("html: closing <" + std::string(tag) + "> but the open element is <" +
                       (open_.empty() ? std::string("none") : open_.back()) + ">");
  }
  open_.pop_back();
  out_ += "</" + std::string(tag) + '>';
  if (tag == "div" || tag == "section" || tag == "tr" || tag == "svg" || tag == "g") out_ += '\n';
  return *this;
}

HtmlWriter& HtmlWriter::leaf(std::string_view tag, const Attrs& attrs, std::string_view text) {
  open(tag, attrs);
  out_ += escape_html(text);
  return close(tag);
}

HtmlWriter& HtmlWriter::empty(std::string_view tag, const Attrs& attrs) {
  start_tag(tag, attrs);
  // "<span/>" opens a span in HTML: self-closing syntax only means something inside <svg>.
  if (html_void(tag)) {
    out_ += '>';
  } else if (std::find(open_.begin(), open_.end(), "svg") != open_.end()) {
    out_ += "/>";
  } else {
    out_ += "></" + std::string(tag) + '>';
  }
  return *this;
}

HtmlWriter& HtmlWriter::text(std::string_view text) {
  out_ += escape_html(text);
  return *this;
}

HtmlWriter& HtmlWriter::raw(std::string_view markup) {
  out_ += markup;
  return *this;
}

std::string HtmlWriter::finish() {
  if (!open_.empty()) throw RuntimeError("html: <" + open_.back() + "> is never closed");
  return std::move(out_);
}

std::string svg_num(double x) {
  if (!std::isfinite(x)) return "0";
  double r = std::round(x * 100) / 100;
  if (r == 0) r = 0;  // no "-0"
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", r);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace segmint::report
