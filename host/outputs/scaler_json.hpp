// The Scaler as JSON (model.json's "scaler", the nightly state's model), validated on read.
#pragma once
#include <cstddef>

#include <nlohmann/json.hpp>

#include "common/json_fields.hpp"
#include "segmint/features.hpp"

namespace segmint::pipeline {

nlohmann::json scaler_to_json(const Scaler& scaler);

/// Reads a scaler; InputError naming the file and field when a list is missing, of another
/// length, or holds a value no fit produces: source columns outside [0, catalog_size), log1p
/// other than 0/1, non-finite means, standard deviations <= 0, weights < 0.
Scaler scaler_from_json(const JsonFields& fields, std::size_t catalog_size);

}  // namespace segmint::pipeline
