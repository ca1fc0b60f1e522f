#pragma once
// Fewer vectors per page, keeping what MaxSim needs.
//
// pool_tokens: ingest-time hierarchical pooling (Clavié et al. 2024, "Reducing the
// footprint of multi-vector retrieval with minimal performance impact via token pooling"):
// Ward agglomerative clustering of a page's rows into ceil(rows / pool_factor) clusters,
// each replaced by its mean. Pool factor 3 kept 97.8% of ColPali's nDCG in that paper. The
// PatchGrid stays meaningful: a pooled row's rectangle is the bounding box of its members'
// rectangles, so a highlight covers every patch that was merged into it.
//
// kmeans_pool: a cheaper, fixed-size summary (a few Lloyd iterations) used to build the
// tiered searcher's first-pass index for large corpora (core/tiered_index.h).
#include <cstddef>
#include <span>

#include "core/multi_vector.h"
#include "core/page_embedding.h"

namespace patchwise::core {

struct PoolingOptions {
  std::size_t pool_factor = 3;  // Default: 3 (keep about one row in three).
};

// Throws Error if the grid does not match the rows or pool_factor is 0. A page with at
// most one row per target cluster comes back unchanged.
PageEmbedding pool_tokens(const PageEmbedding& page, const PoolingOptions& options = {});

// Cluster labels 0..clusters-1 for each row (Ward linkage, cut at `clusters`).
std::vector<std::size_t> ward_clusters(std::span<const float> values, std::size_t dim,
                                       std::size_t clusters);

// `clusters` means of the rows (fewer if the page has fewer rows), k-means initialised
// from evenly spaced rows; deterministic.
MultiVector kmeans_pool(std::span<const float> values, std::size_t dim, std::size_t clusters,
                        int iterations = 3);

}  // namespace patchwise::core
