// In-process benchmarks (Google Benchmark), each printed beside its baseline in the same run:
//   classify+resolve per text (and each half alone, to tell which one moved, and the classifier
//   without its complaint categories, to tell what reading complaints costs) against normalising
//   the same text alone (the floor any matcher pays), and the engine's deadline queue (a FIFO lane
//   per clock kind and length) against a heap of the same entries, the alternative the issue asks
//   to measure; and packing a work order's record against serializing it alone.
// Run: build/release/tests/bench/halfhour_bench_micro [--benchmark_min_time=…]
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <queue>

#include "adapters/codec.hpp"
#include "adapters/config.hpp"
#include "adapters/record_packing.hpp"
#include "dispatcher/deadline_queue.hpp"
#include "sla/classifier.hpp"
#include "sla/resolver.hpp"
#include "sla/text.hpp"
#include "tests/data/labelled.hpp"
#include "tests/unit/sla/shipped.hpp"

namespace {

using namespace halfhour;

// The labelled set's texts and addresses: realistic requests, tricky ones included.
const std::vector<testing::labelled>& samples() {
  static const auto rows = [] {
    auto out = testing::read_labelled(HALFHOUR_TEST_DATA_DIR "/labelled_requests.tsv");
    if (out.empty()) throw std::runtime_error("no samples: tests/data/labelled_requests.tsv");
    return out;
  }();
  return rows;
}

void classify_and_resolve(benchmark::State& state) {
  const auto& cls = testing::shipped_classifier();  // with the second opinion, as the engine runs
  static const sla::resolver res(config::default_directory());
  const auto& rows = samples();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& s = rows[i++ % rows.size()];
    auto c = cls.classify(s.text);
    auto w = res.resolve(s.address, s.text);
    benchmark::DoNotOptimize(c);
    benchmark::DoNotOptimize(w);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(classify_and_resolve);

// The classifier alone on the same texts: what classify_and_resolve spends on the words.
void classify_only(benchmark::State& state) {
  const auto& cls = testing::shipped_classifier();  // with the second opinion, as the engine runs
  const auto& rows = samples();
  std::size_t i = 0;
  for (auto _ : state) {
    auto c = cls.classify(rows[i++ % rows.size()].text);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(classify_only);

// The same classifier without its complaint categories: what reading complaints (a second pass
// over every text, on the complaint words) adds to classify_only.
void classify_without_complaints(benchmark::State& state) {
  static const sla::classifier cls = [] {
    auto rules = config::default_rules();
    std::erase_if(rules.categories, [](const sla::category_rule& r) { return r.kind == sla::request_kind::complaint; });
    return sla::classifier(rules, std::make_shared<const opinion::fasttext_opinion>(opinion::embedded_model()));
  }();
  const auto& rows = samples();
  std::size_t i = 0;
  for (auto _ : state) {
    auto c = cls.classify(rows[i++ % rows.size()].text);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(classify_without_complaints);

// The second opinion alone, asked of every text (the engine asks it only where the rules say
// general): what the model costs on top of the rules at most.
void opinion_only(benchmark::State& state) {
  static const opinion::fasttext_opinion model(opinion::embedded_model());
  const auto& rows = samples();
  std::size_t i = 0;
  for (auto _ : state) {
    auto p = model.urgent(rows[i++ % rows.size()].text);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(opinion_only);

// The resolver alone on the same addresses and texts: the other half of classify_and_resolve.
void resolve_only(benchmark::State& state) {
  static const sla::resolver res(config::default_directory());
  const auto& rows = samples();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& s = rows[i++ % rows.size()];
    auto w = res.resolve(s.address, s.text);
    benchmark::DoNotOptimize(w);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(resolve_only);

// Baseline: decoding and normalising the same texts, which every matcher must do at least once.
void baseline_normalise(benchmark::State& state) {
  const auto& rows = samples();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& s = rows[i++ % rows.size()];
    auto t = sla::normalise(sla::to_u32(s.text));
    auto a = sla::normalise(sla::to_u32(s.address));
    benchmark::DoNotOptimize(t);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(baseline_normalise);

// Deadlines as the engine sees them: N tickets, each arming acknowledge, on-site (with its
// warning) and completion steps, created in time order; then all popped in due order.
std::vector<timer_entry> deadlines(std::size_t tickets) {
  std::vector<timer_entry> out;
  out.reserve(tickets * 4);
  const auto t0 = sla::from_ms(1'795'000'000'000);
  for (std::size_t n = 0; n < tickets; ++n) {
    const auto at = t0 + std::chrono::milliseconds{static_cast<long long>(n) * 50};
    const auto id = "W" + std::to_string(n % 16) + "-" + std::to_string(100000 + n);
    out.push_back({at + std::chrono::minutes{10}, id, sla::clock_kind::acknowledge});
    out.push_back({at + std::chrono::minutes{20}, id, sla::clock_kind::on_site, false, sla::step::warn});
    out.push_back({at + std::chrono::minutes{30}, id, sla::clock_kind::on_site});
    out.push_back({at + std::chrono::hours{24}, id, sla::clock_kind::completion});
  }
  return out;
}

sla::duration length_of(const timer_entry& e) {
  switch (e.kind) {
    case sla::clock_kind::acknowledge: return std::chrono::minutes{10};
    case sla::clock_kind::on_site:
      return e.step == sla::step::warn ? std::chrono::minutes{20} : std::chrono::minutes{30};
    default: return std::chrono::hours{24};
  }
}

void deadline_lanes(benchmark::State& state) {
  const auto all = deadlines(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    deadline_queue q;
    for (const auto& e : all) q.push(e, length_of(e));
    std::size_t popped = 0;
    while (q.size()) popped += q.pop_due(sla::from_ms(std::numeric_limits<long long>::max() / 2), 4096).size();
    benchmark::DoNotOptimize(popped);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * all.size()));
}
BENCHMARK(deadline_lanes)->Arg(100'000)->Unit(benchmark::kMillisecond);

// Baseline: the same entries through one binary heap.
void baseline_deadline_heap(benchmark::State& state) {
  const auto all = deadlines(static_cast<std::size_t>(state.range(0)));
  struct later {
    bool operator()(const timer_entry& a, const timer_entry& b) const { return a.at > b.at; }
  };
  for (auto _ : state) {
    std::priority_queue<timer_entry, std::vector<timer_entry>, later> q;
    for (const auto& e : all) q.push(e);
    std::size_t popped = 0;
    while (!q.empty()) {
      q.pop();
      ++popped;
    }
    benchmark::DoNotOptimize(popped);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * all.size()));
}
BENCHMARK(baseline_deadline_heap)->Arg(100'000)->Unit(benchmark::kMillisecond);

// The engine's memory per open ticket: an open ticket costs the engine only its armed steps (the
// work order itself lives in Redis). Heap in use after arming N tickets' four steps each, per
// ticket, against the bare entries' size (what an array of them would take).
void memory_per_open_ticket(benchmark::State& state) {
  const auto tickets = static_cast<std::size_t>(state.range(0));
  double per_ticket = 0;
  for (auto _ : state) {
    const auto before = mallinfo2().uordblks;
    {
      deadline_queue q;
      const auto t0 = sla::from_ms(1'795'000'000'000);
      for (std::size_t n = 0; n < tickets; ++n) {
        const auto at = t0 + std::chrono::milliseconds{static_cast<long long>(n) * 50};
        const auto id = "W" + std::to_string(10 + n % 16) + "-" + std::to_string(100000 + n);
        q.push({at + std::chrono::minutes{10}, id, sla::clock_kind::acknowledge}, std::chrono::minutes{10});
        q.push({at + std::chrono::minutes{20}, id, sla::clock_kind::on_site, false, sla::step::warn},
               std::chrono::minutes{20});
        q.push({at + std::chrono::minutes{30}, id, sla::clock_kind::on_site}, std::chrono::minutes{30});
        q.push({at + std::chrono::hours{24}, id, sla::clock_kind::completion}, std::chrono::hours{24});
      }
      per_ticket = static_cast<double>(mallinfo2().uordblks - before) / static_cast<double>(tickets);
      benchmark::DoNotOptimize(q);
    }
  }
  state.counters["bytes_per_ticket"] = per_ticket;
  state.counters["baseline_bytes_per_ticket"] = static_cast<double>(4 * sizeof(timer_entry));
}
BENCHMARK(memory_per_open_ticket)->Arg(1'000'000)->Arg(5'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

// A work order as the store keeps it (packed with its dictionary), against serializing it alone
// (what storing the record takes with no packing at all), then unpacked and parsed.
const std::string& typical_record() {
  static const std::string pb = [] {
    const auto& s = samples().front();
    static const sla::resolver res(config::default_directory());
    sla::intake in{sla::channel::hotline_12345, "TR00000001", {"王女士", "13900000000"}, s.text, s.address, {}};
    auto d = sla::accept(in, "W07-000123", testing::shipped_classifier().classify(s.text),
                         res.resolve(s.address, s.text), "站", sla::limits{}, sla::from_ms(1'795'000'000'000));
    return codec::encode_work_order(d.next);
  }();
  return pb;
}

void pack_record(benchmark::State& state) {
  const auto& pb = typical_record();
  for (auto _ : state) benchmark::DoNotOptimize(packing::pack_record(pb));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * pb.size()));
}
BENCHMARK(pack_record);

void baseline_serialize_record(benchmark::State& state) {
  auto wo = codec::decode_work_order(typical_record());
  for (auto _ : state) benchmark::DoNotOptimize(codec::encode_work_order(*wo));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * typical_record().size()));
}
BENCHMARK(baseline_serialize_record);

void unpack_record(benchmark::State& state) {
  const auto packed = packing::pack_record(typical_record());
  for (auto _ : state) benchmark::DoNotOptimize(packing::unpack_record(packed));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * typical_record().size()));
}
BENCHMARK(unpack_record);

BENCHMARK_MAIN();
