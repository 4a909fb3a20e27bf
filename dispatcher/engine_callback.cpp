// Call-backs (回访): the answer applied to its job through the state machine, like any action.
#include "adapters/errors.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

asio::awaitable<result<act_outcome>> engine::rate(std::optional<sla::member> who, std::string id, sla::callback cb,
                                                  bool called_at_given) {
  const auto lim = limits_;
  const auto lad = ladder_;
  decide_fn decide = [cb, called_at_given, lad, lim](const sla::work_order& wo, sla::instant now) {
    auto c = cb;
    if (!called_at_given) c.called_at = now;
    return sla::rate(wo, c, lad, lim, now);
  };
  // Who may record an answer is the route's to say (the hotline's key, the centre's role).
  access_fn check = [](const sla::work_order&, const sla::member&) { return sla::access::allowed; };
  co_return co_await transition(std::move(who), std::move(id), std::move(decide), std::move(check));
}

asio::awaitable<result<act_outcome>> engine::rate_by_link(std::string id, std::string reporter_key, sla::callback cb) {
  const auto lim = limits_;
  const auto lad = ladder_;
  decide_fn decide = [key = std::move(reporter_key), cb = std::move(cb), lad, lim](const sla::work_order& wo,
                                                                                   sla::instant now) {
    auto c = cb;
    c.called_at = now;
    return sla::rate_by_link(wo, key, c, lad, lim, now);
  };
  // The link is the reporter's credential, checked by the route against the job.
  access_fn check = [](const sla::work_order&, const sla::member&) { return sla::access::allowed; };
  std::optional<sla::member> reporter;  // named: no temporaries inside a co_await (g++ 12)
  co_return co_await transition(std::move(reporter), std::move(id), std::move(decide), std::move(check));
}

asio::awaitable<result<std::optional<std::string>>> engine::job_of_ticket(std::string ticket_no) {
  auto known = co_await store_.lookup("12345:" + ticket_no);
  if (!known) co_return known.error();
  if (!*known || (*known)->screened) co_return std::optional<std::string>{};
  co_return std::optional<std::string>{(*known)->id};
}

}  // namespace halfhour
