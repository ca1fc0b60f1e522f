#include "models/starter/starter_loss.h"

#include <algorithm>

#include "core/error.h"

namespace patchwise::models::starter {

std::vector<Cell> cells_covered(const PixelBox& box, int cell_px, int rows, int cols) {
  std::vector<Cell> cells;
  if (box.x1 <= box.x0 || box.y1 <= box.y0 || cell_px <= 0) return cells;
  const float cell = float(cell_px);
  const float need_w = std::min(cell / 4, (box.x1 - box.x0) / 2);
  const float need_h = std::min(cell / 4, (box.y1 - box.y0) / 2);
  const int c0 = std::max(0, int(box.x0 / cell));
  const int c1 = std::min(cols - 1, int(box.x1 / cell));
  const int r0 = std::max(0, int(box.y0 / cell));
  const int r1 = std::min(rows - 1, int(box.y1 / cell));
  for (int r = r0; r <= r1; ++r) {
    const float overlap_h = std::min(box.y1, (r + 1) * cell) - std::max(box.y0, r * cell);
    if (overlap_h < need_h) continue;
    for (int c = c0; c <= c1; ++c) {
      const float overlap_w = std::min(box.x1, (c + 1) * cell) - std::max(box.x0, c * cell);
      if (overlap_w >= need_w) cells.push_back({r, c});
    }
  }
  return cells;
}

torch::Tensor cell_word_loss(const torch::Tensor& cells, const torch::Tensor& words, const torch::Tensor& positives,
                             double temperature) {
  if (cells.size(0) == 0) return torch::zeros({}, cells.options());
  const auto logits = cells.matmul(words.t()) / temperature;
  const auto all = torch::logsumexp(logits, 1);
  const auto own = torch::logsumexp(logits.masked_fill(positives.logical_not(), -1e9), 1);
  return (all - own).mean();
}

torch::Tensor maxsim_scores(const std::vector<torch::Tensor>& queries, const torch::Tensor& pages,
                            const torch::Tensor& valid) {
  std::vector<torch::Tensor> rows;
  rows.reserve(queries.size());
  const auto invalid = valid.logical_not().unsqueeze(1);  // [B, 1, C]
  for (const auto& q : queries) {
    // [B, n, C]: every query token against every cell of every crop.
    const auto sims = torch::matmul(pages, q.t()).transpose(1, 2).masked_fill(invalid, -1.0);
    rows.push_back(std::get<0>(sims.max(2)).sum(1));
  }
  return torch::stack(rows);
}

torch::Tensor page_maxsim_loss(const std::vector<torch::Tensor>& queries, const torch::Tensor& pages,
                               const torch::Tensor& valid, const std::vector<std::int64_t>& targets,
                               double temperature) {
  if (queries.size() != targets.size()) throw Error("page_maxsim_loss: one target per query is needed");
  if (queries.empty()) return torch::zeros({}, pages.options());
  std::vector<float> lengths;
  for (const auto& q : queries) lengths.push_back(float(q.size(0)));
  const auto scores = maxsim_scores(queries, pages, valid) / torch::tensor(lengths).unsqueeze(1);
  return torch::nn::functional::cross_entropy(scores / temperature, torch::tensor(targets, torch::kInt64));
}

}  // namespace patchwise::models::starter
