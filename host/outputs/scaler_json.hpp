// The Scaler as JSON, written once for model.json and the nightly state, validated on read: the
// fields of every version (names, log1p, mean, stddev, weight) plus, when used, clipping,
// quantile knots, group balance and the heavy-user rule. Older files without the newer fields
// read as before.
#pragma once
#include <cstddef>

#include <nlohmann/json.hpp>

#include "common/json_fields.hpp"
#include "segmint/features.hpp"

namespace segmint::pipeline {

/// The scaler's JSON object (optional fields only when the scaler uses them).
nlohmann::json scaler_to_json(const Scaler& scaler);

/// Reads a scaler; InputError naming the file and field when a list is missing, of another
/// length, or holds a value no fit produces: source columns outside [0, catalog_size), log1p
/// or clip flags other than 0/1, non-finite means, bounds or knots, standard deviations <= 0,
/// weights < 0, knots not ascending, a heavy rule whose fences and measures disagree.
Scaler scaler_from_json(const JsonFields& fields, std::size_t catalog_size);

}  // namespace segmint::pipeline
