// A fitted segmentation: the k-means result in segment-id order, its profiles and its names.
#pragma once
#include <string>
#include <vector>

#include "profile/profile.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::pipeline {

struct Segmentation {
  KMeansResult fit;                ///< segment-id order (see order_segments)
  Profiles profiles;               ///< over the raw columns, original units
  std::vector<std::string> names;  ///< one per segment, unique
};

}  // namespace segmint::pipeline
