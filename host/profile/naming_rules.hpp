// The naming rule table (docs/SEGMENTS.md is its prose form): conditions on a segment's
// profile, a weight that ranks matches, and the plain-words meaning of each name.
#pragma once
#include <vector>

namespace segmint::pipeline {

/// What a condition looks at.
enum class TermKind {
  z,      ///< sign * z >= min
  raw,    ///< sign * segment mean (original units) >= min
  share,  ///< sign * segment mean / population mean >= min (population mean > 0)
};

/// One condition on the first present alias. Non-guard z terms add sign * z to the strength.
/// A guard limits a rule without adding to its strength and is ignored when its feature is
/// absent; an optional term counts like a scored term when its feature is present and is
/// skipped when it is absent (Champions on data without prices).
struct Term {
  std::vector<const char*> aliases;
  double sign;
  double min;
  enum Role { scored, guard, optional } role = scored;
  TermKind kind = TermKind::z;
};

struct Rule {
  const char* name;
  std::vector<Term> terms;
  double weight = 1.0;  ///< multiplies the strength; habits (0.5) count z beyond 2 a tenth
  const char* meaning;  ///< one sentence in plain words, for the report
};

/// The rules, in tie-break order (earlier wins on equal strength).
const std::vector<Rule>& naming_rules();

}  // namespace segmint::pipeline
