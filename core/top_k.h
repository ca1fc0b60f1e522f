#pragma once
// Keeps the k best (highest-scoring) items seen so far. Ties break towards the lower index
// so results are deterministic whatever the thread split.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace patchwise::core {

struct Scored {
  float score;
  std::size_t index;
};

inline bool better(const Scored& a, const Scored& b) {
  return a.score > b.score || (a.score == b.score && a.index < b.index);
}

class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) { heap_.reserve(k + 1); }

  void push(float score, std::size_t index) {
    if (k_ == 0) return;
    const Scored s{score, index};
    if (heap_.size() < k_) {
      heap_.push_back(s);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (better(s, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = s;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  void merge(const TopK& other) {
    for (const auto& s : other.heap_) push(s.score, s.index);
  }
  // Best first.
  std::vector<Scored> sorted() const {
    auto out = heap_;
    std::sort(out.begin(), out.end(), better);
    return out;
  }

 private:
  std::size_t k_;
  std::vector<Scored> heap_;  // min-heap under `better`: front is the worst kept
};

}  // namespace patchwise::core
