#include "dispatcher/simulate_command.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <queue>
#include <set>

#include "sla/armed_steps.hpp"
#include "sla/duplicates.hpp"
#include "sla/machine.hpp"

namespace halfhour {

namespace {

using namespace std::chrono_literals;

// splitmix64: a small generator whose sequence is the same on every machine and library, so a
// seed always gives the same month (std:: distributions may differ between implementations).
struct rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  int below(int n) { return static_cast<int>(uniform() * n); }
  bool chance(double p) { return uniform() < p; }
  // Log-normal with the given median and spread (sigma of the underlying normal).
  sla::duration lognormal(sla::duration median, double sigma) {
    const double u1 = std::max(uniform(), 1e-12), u2 = uniform();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    return sla::duration{static_cast<long long>(static_cast<double>(median.count()) * std::exp(sigma * z))};
  }
  int poisson(double mean) {
    const double limit = std::exp(-mean);
    int k = 0;
    for (double p = uniform(); p > limit; p *= uniform()) ++k;
    return k;
  }
};

struct kind_of_request {
  const char* text;  // {b}: building, {r}: room
  double weight;
  bool can_repeat;  // neighbours report it too
};

// What residents of Dongming Road write, roughly as often as they write it.
const std::vector<kind_of_request> requests = {
    {"{b}号楼{r}室厨房水管爆了，水漫到客厅", 3, true},
    {"{b}号楼楼道水管爆裂，水一直往下流", 2, true},
    {"{b}号楼电梯困人，里面有老人", 2, true},
    {"{b}号楼楼道里煤气味很重", 1, true},
    {"{b}号楼配电箱冒烟，有焦糊味", 1, true},
    {"{b}号楼整栋停电了", 2, true},
    {"{b}号楼{r}室家里突然没水了", 2, true},
    {"{b}号楼{r}室楼上漏水，天花板在滴水", 4, false},
    {"{b}号楼电梯坏了，停在一楼不动", 3, true},
    {"{b}号楼顶楼屋顶漏雨", 2, false},
    {"{b}号楼外墙瓷砖有点松动，不急", 2, false},
    {"{b}号楼{r}室水龙头滴水关不紧", 8, false},
    {"{b}号楼{r}室卫生间墙面渗水发霉", 6, false},
    {"{b}号楼{r}室洗手池堵了，下水慢", 8, false},
    {"{b}号楼单元门门禁坏了", 9, true},
    {"{b}号楼楼道灯不亮", 10, false},
    {"{b}号楼楼道窗户关不上", 4, false},
    {"{b}号楼自行车棚的门坏了", 3, false},
    {"小区健身器材坏了，{b}号楼旁边那个", 4, false},
    // Complaints about the firm's service (物业投诉), on working-day clocks.
    {"{b}号楼保安态度很差，进门登记时对老人大声呵斥", 2, false},
    {"物业乱收停车费，{b}号楼旁边车位收费不合理", 1, false},
    {"{b}号楼旁边装修噪音从早到晚，物业也不管", 1, false},
    {"物业客服电话一直没人接，投诉了也没人理", 1, false},
};

struct channel_share {
  sla::channel c;
  double weight;
};
const std::vector<channel_share> channels = {{sla::channel::hotline_12345, 50},   {sla::channel::wechat, 20},
                                             {sla::channel::community_cloud, 15}, {sla::channel::walk_in, 8},
                                             {sla::channel::suggestion_box, 2},   {sla::channel::open311, 5}};

// Requests per hour of the day (Shanghai), relative.
constexpr std::array<double, 24> hourly = {0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 3.2, 3.0, 2.6,
                                           2.2, 2.4, 2.6, 2.6, 2.6, 2.8, 3.0, 3.2, 2.8, 2.0, 1.2, 0.6};

template <class T>
const T& pick(rng& r, const std::vector<T>& items) {
  double total = 0;
  for (const auto& i : items) total += i.weight;
  double x = r.uniform() * total;
  for (const auto& i : items)
    if ((x -= i.weight) < 0) return i;
  return items.back();
}

std::string fill(std::string t, int building, int room) {
  auto put = [&](std::string_view key, const std::string& v) {
    if (auto at = t.find(key); at != std::string::npos) t.replace(at, key.size(), v);
  };
  put("{b}", std::to_string(building));
  put("{r}", std::to_string(room));
  return t;
}

// How the community's name is written in an address.
std::string address_of(const sla::community& c, int building, int room) {
  if (c.road.empty() || c.numbers.empty())
    return c.name + std::to_string(building) + "号楼" + std::to_string(room) + "室";
  return c.road + std::to_string(c.numbers.front()) + c.number_suffix + c.part + std::to_string(building) + "号" +
         std::to_string(room) + "室";
}

enum class step_kind { arrive_request, crew, deadline, callback };

struct pending {
  sla::instant at;
  std::uint64_t seq;
  step_kind kind;
  std::size_t job;
  sla::action_kind action = sla::action_kind::acknowledge;
  std::string org;  // who acts
  sla::deadline due{};
  int attempt = 0;  // a call-back: how many calls before this one went unanswered
  bool operator>(const pending& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

class simulator {
 public:
  simulator(const simulation& s, const sla::classifier& cls, const sla::resolver& res)
      : s_(s), cls_(cls), res_(res), r_{s.seed} {
    std::set<std::string> firms;
    for (const auto& c : res.dir().communities) firms.insert(c.firm);
    std::vector<std::string> names(firms.begin(), firms.end());
    for (const auto& f : names) speed_[f] = 0.8 + 0.4 * r_.uniform();
    for (int i = 0; i < s.slow_firms && !names.empty(); ++i)
      speed_[names[static_cast<std::size_t>(r_.below(static_cast<int>(names.size())))]] = 1.8;
    speed_[res.dir().station] = 0.8;
  }

  std::vector<sla::order_record> run(std::ostream* progress, bool terminal) {
    const auto from = s_.m.previous().start();
    const auto to = s_.m.end();
    plan_arrivals(from, to);
    const auto settle = to + 24h;  // deadlines of the month's last jobs fall in the next day
    auto next_report = from + 24h;
    while (!queue_.empty() && queue_.top().at < settle) {
      auto p = queue_.top();
      queue_.pop();
      while (progress && p.at >= next_report && next_report <= to) {
        show(*progress, terminal, next_report, from, to);
        next_report += 24h;
      }
      switch (p.kind) {
        case step_kind::arrive_request: arrive(p); break;
        case step_kind::crew: crew(p); break;
        case step_kind::deadline: fire(p); break;
        case step_kind::callback: call_back(p); break;
      }
    }
    if (progress && terminal) {
      show(*progress, terminal, to, from, to);
      *progress << "\n";
    }
    std::vector<sla::order_record> out;
    for (auto& j : jobs_) out.push_back(std::move(j.rec));
    return out;
  }

 private:
  struct job {
    sla::order_record rec;
    sla::armed_steps armed;  // what the store's deadline set would hold for it
  };
  struct arrival {
    sla::intake in;
    std::string key;
  };

  void show(std::ostream& out, bool terminal, sla::instant now, sla::instant from, sla::instant to) {
    const double done =
        std::clamp(static_cast<double>((now - from).count()) / static_cast<double>((to - from).count()), 0.0, 1.0);
    const int width = 30, filled = static_cast<int>(done * width + 0.5);
    const std::string day = sla::shanghai_minute(now - 1ms).substr(0, 10);
    if (terminal) {
      out << "\r模拟 [" << std::string(static_cast<std::size_t>(filled), '#')
          << std::string(static_cast<std::size_t>(width - filled), '-') << "] " << day << "  已受理 " << jobs_.size()
          << " 单" << std::flush;
    } else if (sla::day_of_month(now - 1ms) % 7 == 0 || now >= to) {
      out << "模拟至 " << day << "，已受理 " << jobs_.size() << " 单\n";
    }
  }

  void push(pending p) {
    p.seq = seq_++;
    queue_.push(std::move(p));
  }

  void plan_arrivals(sla::instant from, sla::instant to) {
    double total = 0;
    for (double h : hourly) total += h;
    for (auto day = from; day < to; day += 24h) {
      const int d = sla::day_of_month(day);
      const bool cold_snap = d >= 14 && d <= 17 && sla::month::containing(day) == s_.m;
      for (int h = 0; h < 24; ++h) {
        const double mean = s_.per_day * hourly[static_cast<std::size_t>(h)] / total * (cold_snap ? 1.6 : 1.0);
        for (int n = r_.poisson(mean); n > 0; --n) {
          const auto at = day + std::chrono::hours{h} + sla::duration{static_cast<long long>(r_.uniform() * 3'600'000)};
          make_request(at, cold_snap);
        }
      }
    }
  }

  void make_request(sla::instant at, bool cold_snap) {
    const auto& dir = res_.dir();
    const auto& c = dir.communities[static_cast<std::size_t>(r_.below(static_cast<int>(dir.communities.size())))];
    const int building = 1 + r_.below(30), room = 100 * (1 + r_.below(18)) + 1 + r_.below(4);
    const auto* kind = &pick(r_, requests);
    if (cold_snap && r_.chance(0.3)) kind = &requests[0];  // frozen pipes burst
    arrival a;
    a.in.source = pick(r_, channels).c;
    a.in.content = fill(kind->text, building, room);
    // Some people give no usable address; the station sorts those out.
    a.in.address = r_.chance(0.03) ? "东明路那边" : address_of(c, building, room);
    a.in.who = {"居民" + std::to_string(next_person_), "139" + std::to_string(10000000 + next_person_)};
    ++next_person_;
    a.in.external_no = "SIM" + std::to_string(next_person_);
    a.key = "sim:" + a.in.external_no;
    arrivals_.push_back(a);
    push({at, 0, step_kind::arrive_request, arrivals_.size() - 1});
    // A neighbour reports the same incident through another door.
    if (kind->can_repeat && r_.chance(0.15)) {
      arrival b = a;
      b.in.source = pick(r_, channels).c;
      b.in.who = {"邻居" + std::to_string(next_person_), ""};
      b.in.external_no = "SIM" + std::to_string(++next_person_);
      b.key = "sim:" + b.in.external_no;
      arrivals_.push_back(b);
      push({at + r_.lognormal(8min, 0.6), 0, step_kind::arrive_request, arrivals_.size() - 1});
    }
  }

  void arrive(const pending& p) {
    const auto& a = arrivals_[p.job];
    auto c = cls_.classify(a.in.content);
    auto where = res_.resolve(a.in.address, a.in.content);
    // Only jobs still inside the linking window can be joined: drop the rest as we go, or a
    // busy month turns every arrival into a scan of the whole community's past.
    std::vector<sla::work_order> open;
    auto& near = by_community_[where.community_name];
    std::erase_if(near, [&](std::size_t i) {
      const auto& wo = jobs_[i].rec.wo;
      return wo.state == sla::wo_state::done || p.at - wo.accepted_at > sla::default_link_window;
    });
    for (auto i : near) open.push_back(jobs_[i].rec.wo);
    if (auto match = sla::find_duplicate(c, where, open, sla::default_link_window, p.at)) {
      auto i = index_[match->id];
      take(i, sla::link(jobs_[i].rec.wo, a.in, a.key, match->why, p.at), p.at);
      return;
    }
    const auto id = "W" + std::string(jobs_.size() % 16 < 10 ? "0" : "") + std::to_string(jobs_.size() % 16) + "-" +
                    std::to_string(100000 + jobs_.size());
    jobs_.push_back({});
    const auto i = jobs_.size() - 1;
    index_[id] = i;
    if (!where.community_name.empty()) by_community_[where.community_name].push_back(i);
    take(i, sla::accept(a.in, id, c, where, s_.ladder, s_.limits, p.at), p.at);
    plan_crew(i, p.at);
  }

  // What the holder's people will do, drawn now; the state machine decides later what still applies.
  void plan_crew(std::size_t i, sla::instant now) {
    const auto& wo = jobs_[i].rec.wo;
    const auto org = wo.holder;
    const double f = speed_.count(org) ? speed_[org] : 1.0;
    if (wo.state == sla::wo_state::triage) {
      push({now + r_.lognormal(6min, 0.4), 0, step_kind::crew, i, sla::action_kind::acknowledge, "__route__"});
      return;
    }
    // Now and then nobody looks until the ladder's reminders do their work.
    const auto first_look = r_.chance(0.03 * f) ? 45min : 4min;
    const auto ack = now + r_.lognormal(std::chrono::duration_cast<sla::duration>(first_look * f), 0.7);
    push({ack, 0, step_kind::crew, i, sla::action_kind::acknowledge, org});
    if (r_.chance(0.01)) {
      push({ack + 5min, 0, step_kind::crew, i, sla::action_kind::hand_over, org});
      return;
    }
    if (wo.cls.kind == sla::request_kind::complaint) {  // a call within hours, settled within days
      const auto call = ack + r_.lognormal(std::chrono::duration_cast<sla::duration>(3h * f), 0.9);
      push({call, 0, step_kind::crew, i, sla::action_kind::contact, org});
      push({call + r_.lognormal(std::chrono::duration_cast<sla::duration>(40h * f), 0.6), 0, step_kind::crew, i,
            sla::action_kind::complete, org});
      return;
    }
    const bool urgent = wo.cls.level == sla::urgency::urgent;
    const auto reach =
        ack + r_.lognormal(std::chrono::duration_cast<sla::duration>((urgent ? 15min : 11min) * f), 0.45);
    push({reach, 0, step_kind::crew, i, urgent ? sla::action_kind::arrive : sla::action_kind::contact, org});
    push({reach + r_.lognormal(urgent ? 2h : 20h, 0.5), 0, step_kind::crew, i, sla::action_kind::complete, org});
  }

  void crew(const pending& p) {
    auto& j = jobs_[p.job];
    const auto& wo = j.rec.wo;
    if (p.org == "__route__") {  // the station settles the address: a community's firm takes it
      const auto& dir = res_.dir();
      const auto& c = dir.communities[static_cast<std::size_t>(r_.below(static_cast<int>(dir.communities.size())))];
      sla::resolution where;
      where.to = sla::route::firm;
      where.community_name = c.name;
      where.committee = c.committee;
      where.firm = c.firm;
      where.reason = "应急维修服务站指定为“" + c.name + "”";
      sla::member station{"13800000000", "应急站值班员", res_.dir().station, sla::role::station};
      take(p.job, sla::reroute(wo, where, station, p.at), p.at);
      plan_crew(p.job, p.at);
      return;
    }
    sla::member who{"crew", p.org == res_.dir().station ? "应急站维修工" : "物业维修工", p.org, sla::role::crew};
    if (sla::may_act(wo, who) != sla::access::allowed) return;  // the job moved on without them
    sla::action a{.kind = p.action, .actor = who.name, .actor_id = who.id, .organisation = who.organisation};
    if (p.action == sla::action_kind::contact) a.method = "电话";
    if (p.action == sla::action_kind::hand_over) a.note = "需要专业设备，转应急站";
    const bool was_station = wo.holder == res_.dir().station;
    take(p.job, sla::apply(wo, a, res_.dir().station, p.at), p.at);
    if (!was_station && j.rec.wo.holder == res_.dir().station) station_takes(p.job, p.at);
  }

  // The station's own crew comes when a job lands on it.
  void station_takes(std::size_t i, sla::instant now) {
    const auto station = res_.dir().station;
    const auto reach = now + r_.lognormal(14min, 0.3);
    push({now + 2min, 0, step_kind::crew, i, sla::action_kind::acknowledge, station});
    push({reach, 0, step_kind::crew, i, sla::action_kind::arrive, station});
    push({reach + r_.lognormal(2h, 0.4), 0, step_kind::crew, i, sla::action_kind::complete, station});
  }

  // As the engine fires: only a step still armed for this moment, and the decision on it
  // cancels or re-arms it.
  void fire(const pending& p) {
    auto& j = jobs_[p.job];
    if (!j.armed.armed_for(p.due)) return;  // moved or cancelled since
    const bool was_station = j.rec.wo.holder == res_.dir().station;
    // The engine notices a deadline a few milliseconds late; so does the simulation.
    take(p.job, sla::on_deadline(j.rec.wo, p.due, p.at + 3ms, false, s_.ladder), p.at + 3ms);
    if (!was_station && j.rec.wo.holder == res_.dir().station) station_takes(p.job, p.at + 3ms);
  }

  // 回访 a day or so after 完工: 12345 calls (and sometimes reaches nobody, then calls once more), or
  // the reporter answers on the page the completion SMS linked. A late job pleases fewer people.
  void call_back(const pending& p) {
    const auto& wo = jobs_[p.job].rec.wo;
    if (wo.state != sla::wo_state::done) return;
    const bool late = std::ranges::any_of(wo.clocks, [](const sla::clock& c) { return c.breached.has_value(); });
    const double x = r_.uniform();
    const double pleased = late ? 0.45 : 0.80, fair = late ? 0.30 : 0.16;
    sla::callback cb{.outcome = x < pleased          ? sla::rating::satisfied
                                : x < pleased + fair ? sla::rating::basically_satisfied
                                                     : sla::rating::dissatisfied,
                     .called_at = p.at,
                     .request_id = "sim-cb-" + std::to_string(p.seq)};
    if (wo.invite_of("") && r_.chance(0.3)) {
      cb.by = "报修人";
      take(p.job, sla::rate_by_link(wo, "", cb, s_.ladder, s_.limits, p.at), p.at);
      return;
    }
    cb.by = "12345回访";
    if (r_.chance(0.12)) {
      cb.outcome = sla::rating::unreached;
      if (p.attempt == 0) push({p.at + r_.lognormal(20h, 0.3), 0, step_kind::callback, p.job, {}, {}, {}, 1});
    }
    take(p.job, sla::rate(wo, cb, s_.ladder, s_.limits, p.at), p.at);
  }

  void take(std::size_t i, const sla::decision& d, sla::instant now) {
    if (!d.ok() || d.duplicate) return;
    auto& j = jobs_[i];
    const auto before = j.rec.wo.state;
    j.rec.wo = d.next;
    j.rec.history.insert(j.rec.history.end(), d.events.begin(), d.events.end());
    j.armed.apply(d);
    for (const auto& a : d.arm) push({a.at, 0, step_kind::deadline, i, {}, {}, a});
    const auto after = j.rec.wo.state;
    if (before != sla::wo_state::done && after == sla::wo_state::done)
      push({now + r_.lognormal(20h, 0.5), 0, step_kind::callback, i});
    if (before != sla::wo_state::reopened && after == sla::wo_state::reopened) {  // 重办: the firm goes again
      const auto org = j.rec.wo.holder;
      const double f = speed_.count(org) ? speed_[org] : 1.0;
      push({now + r_.lognormal(std::chrono::duration_cast<sla::duration>(30h * f), 0.5), 0, step_kind::crew, i,
            sla::action_kind::complete, org});
    }
  }

  const simulation& s_;
  const sla::classifier& cls_;
  const sla::resolver& res_;
  rng r_;
  std::map<std::string, double> speed_;
  std::vector<arrival> arrivals_;
  std::vector<job> jobs_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, std::vector<std::size_t>> by_community_;
  std::priority_queue<pending, std::vector<pending>, std::greater<>> queue_;
  std::uint64_t seq_ = 0;
  int next_person_ = 1;
};

}  // namespace

std::vector<sla::order_record> simulate(const simulation& s, const sla::classifier& cls, const sla::resolver& res,
                                        std::ostream* progress, bool terminal) {
  simulator sim(s, cls, res);
  return sim.run(progress, terminal);
}

}  // namespace halfhour
