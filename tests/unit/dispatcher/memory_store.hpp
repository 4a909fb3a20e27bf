// The work-order store in memory, for unit tests of the engine on a hand-moved clock: faithful
// to the Redis store wherever the engine can tell (ids naming a shard, versions and conflicts,
// the deadline set with each firing fenced by its step, idempotency keys, the open-jobs and
// accepted indexes, the community's lease), with nothing durable and no server to start.
#pragma once

#include <array>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "adapters/clock.hpp"
#include "adapters/store.hpp"
#include "sla/armed_steps.hpp"

namespace halfhour::testing {

class memory_store final : public work_order_store {
 public:
  // `clk` tells when a lease runs out.
  explicit memory_store(const halfhour::clock& clk) : clock_(clk) {}

  boost::asio::awaitable<boost::system::result<created_order>> create(
      std::string key, std::function<sla::decision(std::string id)> build) override;
  boost::asio::awaitable<boost::system::result<stored_order>> load(std::string id, bool with_history) override;
  boost::asio::awaitable<boost::system::result<std::vector<sla::work_order>>> load_many(
      std::vector<std::string> ids) override;
  boost::asio::awaitable<boost::system::result<std::int64_t>> apply(sla::decision d, sla::work_order before,
                                                                    std::optional<sla::deadline> firing) override;
  boost::asio::awaitable<boost::system::result<std::vector<std::string>>> open_orders(
      std::string organisation) override;
  boost::asio::awaitable<boost::system::result<std::optional<std::string>>> open_by_code(std::string code) override;
  boost::asio::awaitable<boost::system::result<void>> scan_deadlines(
      std::function<void(std::vector<armed_deadline>)> visit) override;
  boost::asio::awaitable<boost::system::result<std::vector<armed_deadline>>> overdue(sla::instant before,
                                                                                     std::size_t limit) override;
  boost::asio::awaitable<boost::system::result<void>> ping() override;
  // As durable as it is: the store is up, or not.
  boost::asio::awaitable<boost::system::result<void>> durable(std::string) override { return ping(); }
  boost::asio::awaitable<boost::system::result<void>> claim_layout() override;
  boost::asio::awaitable<boost::system::result<std::vector<stored_order>>> load_histories(
      std::vector<std::string> ids) override;
  boost::asio::awaitable<boost::system::result<std::optional<known_key>>> lookup(std::string key) override;
  boost::asio::awaitable<boost::system::result<std::string>> remember(std::string key, std::string id,
                                                                      bool replace) override;
  boost::asio::awaitable<boost::system::result<known_key>> screen_out(std::string key, screened_message m) override;
  boost::asio::awaitable<boost::system::result<std::vector<sla::recent_job>>> accepted_for(std::string community,
                                                                                           sla::instant since) override;
  boost::asio::awaitable<boost::system::result<std::vector<std::string>>> accepted_between(sla::instant from,
                                                                                           sla::instant to,
                                                                                           std::size_t limit) override;
  boost::asio::awaitable<boost::system::result<std::vector<sla::index_position>>> accepted_newest(
      sla::instant from, sla::index_position below, std::size_t limit) override;
  // Both kinds alike: nothing here is durable.
  boost::asio::awaitable<boost::system::result<bool>> lease(std::string name, std::string token,
                                                            std::chrono::milliseconds ttl, lease_kind) override;
  boost::asio::awaitable<boost::system::result<void>> release(std::string name, std::string token, lease_kind) override;

  // Away: every call fails with errc::unavailable until it is back.
  void set_available(bool up) { up_ = up; }
  // Every notification written, with its work order's id, in order of writing.
  const std::vector<std::pair<std::string, sla::notification>>& outbox() const { return outbox_; }
  const std::vector<screened_message>& screened() const { return screened_; }
  // Steps in the deadline set, all work orders together.
  std::size_t armed() const;
  bool armed_for(const std::string& id, const sla::deadline& due) const;
  // Who holds the lease `name` now, if anyone.
  std::optional<std::string> lease_holder(const std::string& name) const;

  static constexpr int shard_count = 16;

 private:
  struct record {
    sla::work_order wo;
    std::vector<sla::event> history;
    std::vector<notice> notices;
    sla::armed_steps steps;
  };
  struct held_lease {
    std::string token;
    sla::instant until;
  };

  std::optional<stored_order> find(const std::string& id, bool with_history) const;
  void owe(const std::string& id, record& r, const std::vector<sla::notification>& notify);
  void index_near(int shard, const sla::work_order& wo);

  const halfhour::clock& clock_;
  bool up_ = true;
  std::map<std::string, record> orders_;
  std::map<std::string, std::string> idem_;  // key -> id, or "screened|<reason>"
  std::array<long long, shard_count> seq_{};
  std::array<std::map<std::string, std::string>, shard_count> codes_;  // short code -> open job
  std::array<long long, shard_count> code_seq_{};
  std::array<std::map<std::string, std::set<std::string>>, shard_count> open_;  // per organisation
  std::array<std::set<std::pair<long long, std::string>>, shard_count> accepted_;
  // Per community and shard: (acceptance ms, what the index keeps), trimmed to two days.
  std::map<std::string, std::array<std::multimap<long long, sla::recent_job>, shard_count>> near_;
  std::map<std::string, held_lease> leases_;
  std::vector<std::pair<std::string, sla::notification>> outbox_;
  std::vector<screened_message> screened_;
};

}  // namespace halfhour::testing
