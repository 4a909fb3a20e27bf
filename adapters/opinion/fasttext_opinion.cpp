#include "adapters/opinion/fasttext_opinion.hpp"

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

namespace halfhour::opinion {

namespace {

// The first two numbers of a model file (fastText 0.9's FASTTEXT_FILEFORMAT_MAGIC_INT32 and
// FASTTEXT_VERSION); loadModel(istream) expects the stream just past them.
constexpr std::int32_t file_magic = 793712314;
constexpr std::int32_t file_version = 12;

constexpr std::string_view urgent_label = "__label__URGENT";
constexpr std::string_view general_label = "__label__GENERAL";

bool blank(std::string_view ch) {
  return ch == " " || ch == "\t" || ch == "\n" || ch == "\r" || ch == "\xE3\x80\x80";  // U+3000
}

}  // namespace

std::string model_words(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t n = lead < 0x80 ? 1 : lead >> 5 == 0x6 ? 2 : lead >> 4 == 0xE ? 3 : lead >> 3 == 0x1E ? 4 : 1;
    n = std::min(n, text.size() - i);
    const auto ch = text.substr(i, n);
    i += n;
    if (blank(ch)) continue;
    if (!out.empty()) out += ' ';
    out += ch;
  }
  return out;
}

struct fasttext_opinion::impl {
  fasttext::FastText model;
};

fasttext_opinion::fasttext_opinion(std::string_view model_bytes) : impl_(std::make_unique<impl>()) {
  std::int32_t magic = 0;
  std::int32_t version = 0;
  if (model_bytes.size() < 2 * sizeof(std::int32_t))
    throw std::invalid_argument("second opinion: no model (" + std::to_string(model_bytes.size()) + " bytes)");
  std::memcpy(&magic, model_bytes.data(), sizeof magic);
  std::memcpy(&version, model_bytes.data() + sizeof magic, sizeof version);
  if (magic != file_magic || version > file_version)
    throw std::invalid_argument("second opinion: not a fastText model of a version this build reads");
  std::istringstream in(std::string(model_bytes.substr(2 * sizeof(std::int32_t))), std::ios::binary);
  impl_->model.loadModel(in);
  const auto dict = impl_->model.getDictionary();
  bool has_urgent = false;
  bool has_general = false;
  for (std::int32_t i = 0; i < dict->nlabels(); ++i) {
    has_urgent = has_urgent || dict->getLabel(i) == urgent_label;
    has_general = has_general || dict->getLabel(i) == general_label;
  }
  if (dict->nlabels() != 2 || !has_urgent || !has_general)
    throw std::invalid_argument("second opinion: the model's labels are not __label__URGENT and __label__GENERAL");
}

fasttext_opinion::~fasttext_opinion() = default;

double fasttext_opinion::urgent(std::string_view text) const {
  std::istringstream in(model_words(text) + "\n");
  std::vector<std::pair<fasttext::real, std::string>> out;
  impl_->model.predictLine(in, out, 2, 0.0F);
  // fastText's softmax adds 1e-5 before its logarithm: a sure answer can read a hair over 1.
  for (const auto& [p, label] : out)
    if (label == urgent_label) return std::clamp(static_cast<double>(p), 0.0, 1.0);
  return 0.0;
}

}  // namespace halfhour::opinion
