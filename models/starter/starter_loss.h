#pragma once
// Training losses of the starter model (see app/tools/train_starter/).
#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace patchwise::models::starter {

// Which cells of a crop a word's box covers: enough of the cell's height and width (a quarter
// of the cell, or half the box when the box is smaller) so a cell grazed by a box edge is not
// taught that word. Boxes and the result are in model pixels / cell indices of one crop.
struct PixelBox {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
struct Cell {
  int row = 0;
  int col = 0;
  friend bool operator==(const Cell&, const Cell&) = default;
};
std::vector<Cell> cells_covered(const PixelBox& box, int cell_px, int rows, int cols);

// Cells learn to show their words: for each labelled cell, a softmax over every distinct word
// of the batch (in-batch negatives), maximising the probability mass on the cell's own words.
// cells [N, D], words [U, D] (both unit rows), positives [N, U] bool with >= 1 true per row.
torch::Tensor cell_word_loss(const torch::Tensor& cells, const torch::Tensor& words,
                             const torch::Tensor& positives, double temperature);

// The retrieval objective itself: MaxSim of each query against every crop of the batch
// (in-batch negatives), cross-entropy towards the crop the query came from.
// queries: one [n_i, D] tensor each; pages [B, C, D]; valid [B, C] bool (blank cells are
// dropped at encoding time, so they never score); targets: crop index per query.
// Scores are divided by each query's token count so the temperature means the same for all.
torch::Tensor page_maxsim_loss(const std::vector<torch::Tensor>& queries, const torch::Tensor& pages,
                               const torch::Tensor& valid, const std::vector<std::int64_t>& targets,
                               double temperature);

// MaxSim scores [Q, B] (unnormalised sums over query tokens), as used by page_maxsim_loss.
torch::Tensor maxsim_scores(const std::vector<torch::Tensor>& queries, const torch::Tensor& pages,
                            const torch::Tensor& valid);

}  // namespace patchwise::models::starter
