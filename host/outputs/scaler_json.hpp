// The Scaler as JSON, written once for model.json and the nightly state: the fields of every
// version (names, log1p, mean, stddev, weight) plus, when used, clipping, quantile knots, group
// balance and the heavy-user rule. Older files without the newer fields read as before.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "segmint/features.hpp"

namespace segmint::pipeline {

/// The scaler's JSON object (optional fields only when the scaler uses them).
nlohmann::json scaler_to_json(const Scaler& s);
/// Parses and checks a scaler object; InputError "`where`: ..." when fields are missing or their
/// lengths disagree.
Scaler scaler_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace segmint::pipeline
