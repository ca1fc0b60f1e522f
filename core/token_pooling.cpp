#include "core/token_pooling.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"

namespace patchwise::core {
namespace {

float squared_distance(const float* a, const float* b, std::size_t dim) {
  float s = 0;
  for (std::size_t d = 0; d < dim; ++d) {
    const float diff = a[d] - b[d];
    s += diff * diff;
  }
  return s;
}

float dot(const float* a, const float* b, std::size_t dim) {
  float s = 0;
  for (std::size_t d = 0; d < dim; ++d) s += a[d] * b[d];
  return s;
}

struct Merge {
  std::size_t a, b;
  float height;
};

// Ward's dendrogram by the nearest-neighbour chain algorithm (O(n^2) time and memory),
// using the Lance-Williams update on squared Euclidean distances.
std::vector<Merge> ward_dendrogram(std::span<const float> values, std::size_t dim, std::size_t n) {
  std::vector<float> dist(n * n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const float d = squared_distance(&values[i * dim], &values[j * dim], dim);
      dist[i * n + j] = dist[j * n + i] = d;
    }
  }
  std::vector<std::size_t> size(n, 1);
  std::vector<char> active(n, 1);
  std::vector<std::size_t> chain;
  std::vector<Merge> merges;
  merges.reserve(n ? n - 1 : 0);
  std::size_t first_active = 0;
  while (merges.size() + 1 < n) {
    if (chain.empty()) {
      while (!active[first_active]) ++first_active;
      chain.push_back(first_active);
    }
    const std::size_t a = chain.back();
    const std::size_t prev = chain.size() >= 2 ? chain[chain.size() - 2] : n;
    std::size_t b = prev;
    float best = prev < n ? dist[a * n + prev] : std::numeric_limits<float>::infinity();
    for (std::size_t k = 0; k < n; ++k) {
      if (k != a && active[k] && dist[a * n + k] < best) {
        best = dist[a * n + k];
        b = k;
      }
    }
    if (b != prev) {
      chain.push_back(b);
      continue;
    }
    chain.pop_back();
    chain.pop_back();
    merges.push_back({a, b, best});
    // a keeps the merged cluster; b retires.
    const float na = float(size[a]), nb = float(size[b]);
    for (std::size_t k = 0; k < n; ++k) {
      if (!active[k] || k == a || k == b) continue;
      const float nk = float(size[k]);
      const float d = ((na + nk) * dist[a * n + k] + (nb + nk) * dist[b * n + k] - nk * best) /
                      (na + nb + nk);
      dist[a * n + k] = dist[k * n + a] = d;
    }
    size[a] += size[b];
    active[b] = 0;
  }
  return merges;
}

std::size_t find_root(std::vector<std::size_t>& parent, std::size_t x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

}  // namespace

std::vector<std::size_t> ward_clusters(std::span<const float> values, std::size_t dim,
                                       std::size_t clusters) {
  if (dim == 0 || values.size() % dim != 0) {
    throw Error("ward_clusters: " + std::to_string(values.size()) +
                " values are not rows of dim " + std::to_string(dim));
  }
  const std::size_t n = values.size() / dim;
  std::vector<std::size_t> labels(n);
  std::iota(labels.begin(), labels.end(), 0);
  if (clusters == 0 || n <= clusters) return labels;
  auto merges = ward_dendrogram(values, dim, n);
  // NN-chain finds merges out of order; applying them by height reproduces the usual cut.
  std::stable_sort(merges.begin(), merges.end(),
                   [](const Merge& x, const Merge& y) { return x.height < y.height; });
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  for (std::size_t m = 0; m < n - clusters; ++m) {
    parent[find_root(parent, merges[m].b)] = find_root(parent, merges[m].a);
  }
  std::vector<std::size_t> label_of_root(n, n);
  std::size_t next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = find_root(parent, i);
    if (label_of_root[r] == n) label_of_root[r] = next++;
    labels[i] = label_of_root[r];
  }
  return labels;
}

PageEmbedding pool_tokens(const PageEmbedding& page, const PoolingOptions& options) {
  const std::size_t n = page.vectors.rows();
  const std::size_t dim = page.vectors.dim();
  if (options.pool_factor == 0) throw Error("token pooling: pool factor must be at least 1");
  if (page.grid.size() != n) {
    throw Error("token pooling: the page has " + std::to_string(n) + " vectors but its patch grid has " +
                std::to_string(page.grid.size()) + " cells");
  }
  const std::size_t target = (n + options.pool_factor - 1) / options.pool_factor;
  if (target >= n) return page;
  const auto labels = ward_clusters(page.vectors.values(), dim, target);
  const std::size_t clusters = *std::max_element(labels.begin(), labels.end()) + 1;

  PageEmbedding out{MultiVector(clusters, dim), PatchGrid{}};
  std::vector<std::size_t> members(clusters, 0);
  std::vector<NormRect> rects(clusters);
  std::vector<bool> has_rect(clusters, false);
  std::vector<std::uint16_t> source(clusters, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = labels[i];
    auto mean = out.vectors.row(c);
    const auto row = page.vectors.row(i);
    for (std::size_t d = 0; d < dim; ++d) mean[d] += row[d];
    if (members[c]++ == 0) source[c] = page.grid.source[i];
    const NormRect r = page.grid.cells[i];
    if (r.empty()) continue;
    if (!has_rect[c]) {
      rects[c] = r;
      has_rect[c] = true;
    } else {
      rects[c] = {std::min(rects[c].x0, r.x0), std::min(rects[c].y0, r.y0),
                  std::max(rects[c].x1, r.x1), std::max(rects[c].y1, r.y1)};
    }
  }
  for (std::size_t c = 0; c < clusters; ++c) {
    for (float& x : out.vectors.row(c)) x /= float(members[c]);
    out.grid.add(rects[c], source[c]);
  }
  return out;
}

MultiVector kmeans_pool(std::span<const float> values, std::size_t dim, std::size_t clusters,
                        int iterations) {
  if (dim == 0 || values.size() % dim != 0) {
    throw Error("kmeans_pool: " + std::to_string(values.size()) + " values are not rows of dim " +
                std::to_string(dim));
  }
  const std::size_t n = values.size() / dim;
  const std::size_t k = std::min(clusters, n);
  MultiVector means(k, dim);
  for (std::size_t c = 0; c < k; ++c) {
    const std::size_t src = c * n / k;
    std::copy_n(values.begin() + std::ptrdiff_t(src * dim), dim, means.row(c).begin());
  }
  std::vector<std::size_t> assign(n, 0);
  std::vector<std::size_t> counts(k);
  std::vector<float> half_norm(k);
  std::vector<float> transposed(dim * k);  // dim x k: the inner loop runs over centres
  std::vector<float> scores(k);
  for (int it = 0; it < iterations && k > 0; ++it) {
    for (std::size_t c = 0; c < k; ++c) {
      half_norm[c] = 0.5f * dot(means.row(c).data(), means.row(c).data(), dim);
      for (std::size_t d = 0; d < dim; ++d) transposed[d * k + c] = means.row(c)[d];
    }
    for (std::size_t i = 0; i < n; ++i) {
      // Every centre's dot product at once: independent sums the compiler vectorizes
      // (a single dot product is a serial reduction it may not reorder).
      std::fill(scores.begin(), scores.end(), 0.0f);
      const float* x = &values[i * dim];
      for (std::size_t d = 0; d < dim; ++d) {
        const float* column = &transposed[d * k];
        for (std::size_t c = 0; c < k; ++c) scores[c] += x[d] * column[c];
      }
      float best = -std::numeric_limits<float>::infinity();
      for (std::size_t c = 0; c < k; ++c) {
        // argmax of <x, m> - |m|^2 / 2  ==  argmin of |x - m|^2
        const float s = scores[c] - half_norm[c];
        if (s > best) {
          best = s;
          assign[i] = c;
        }
      }
    }
    MultiVector next(k, dim);
    std::fill(counts.begin(), counts.end(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      auto m = next.row(assign[i]);
      for (std::size_t d = 0; d < dim; ++d) m[d] += values[i * dim + d];
      ++counts[assign[i]];
    }
    for (std::size_t c = 0; c < k; ++c) {
      if (counts[c] == 0) {
        std::copy(means.row(c).begin(), means.row(c).end(), next.row(c).begin());  // keep empty clusters
      } else {
        for (float& x : next.row(c)) x /= float(counts[c]);
      }
    }
    means = std::move(next);
  }
  return means;
}

}  // namespace patchwise::core
