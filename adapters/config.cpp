#include "adapters/config.hpp"

#include <algorithm>

#include <arpa/inet.h>
#include <filesystem>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>

#include "adapters/redis/endpoint.hpp"
#include "deploy/defaults.hpp"
#include "halfhour/v1/halfhour.pb.h"

namespace halfhour::config {

namespace pb = halfhour::v1;

namespace {

template <class Message>
Message parse_json(std::string_view json, std::string_view origin) {
  Message m;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;  // a typo in a config key must not pass silently
  auto status = google::protobuf::util::JsonStringToMessage(std::string(json), &m, opts);
  if (!status.ok()) throw config_error(std::string(origin) + ": " + std::string(status.message()));
  return m;
}

sla::urgency urgency_of(pb::Urgency::Value v, std::string_view origin, std::string_view code) {
  if (v == pb::Urgency::URGENT) return sla::urgency::urgent;
  if (v == pb::Urgency::GENERAL) return sla::urgency::general;
  throw config_error(std::string(origin) + ": category " + std::string(code) + " has no urgency");
}

std::chrono::milliseconds seconds_or(std::int64_t s, std::chrono::milliseconds fallback, const char* field) {
  if (s < 0) throw config_error(std::string("limits.") + field + " is negative");
  return s == 0 ? fallback : std::chrono::milliseconds{s * 1000};
}

}  // namespace

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config_error(path + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

sla::directory parse_directory(std::string_view json, std::string_view origin) {
  auto m = parse_json<pb::Directory>(json, origin);
  sla::directory d;
  d.district = m.district();
  d.station = m.station().empty() ? "街道物业应急维修服务站" : m.station();
  d.centre = m.centre().empty() ? "建管中心" : m.centre();
  for (const auto& c : m.communities()) {
    sla::community out;
    out.seq = c.seq();
    out.name = c.name();
    out.committee = c.committee();
    out.firm = c.firm();
    out.aliases.assign(c.aliases().begin(), c.aliases().end());
    out.road = c.road();
    out.numbers.assign(c.numbers().begin(), c.numbers().end());
    out.number_suffix = c.number_suffix();
    out.part = c.part();
    out.pinyin = c.pinyin();
    d.communities.push_back(std::move(out));
  }
  for (const auto& s : m.shared_names())
    d.shared_names.push_back({s.name(), {s.communities().begin(), s.communities().end()}, s.pinyin()});
  if (d.communities.empty()) throw config_error(std::string(origin) + ": the directory has no communities");
  return d;
}

sla::classifier_rules parse_rules(std::string_view json, std::string_view origin) {
  auto m = parse_json<pb::ClassifierRules>(json, origin);
  sla::classifier_rules r;
  for (const auto& c : m.categories()) {
    sla::category_rule out;
    out.code = c.code();
    out.name = c.name();
    out.level = urgency_of(c.urgency(), origin, c.code());
    out.priority = c.priority();
    out.patterns.assign(c.patterns().begin(), c.patterns().end());
    out.advice = c.advice();
    out.group = c.group();
    out.objects.assign(c.objects().begin(), c.objects().end());
    out.states.assign(c.states().begin(), c.states().end());
    out.needs_intensity = c.needs_intensity();
    if (c.kind() == pb::RequestKind::COMPLAINT) {
      if (out.level != sla::urgency::general)
        throw config_error(std::string(origin) + ": category " + c.code() +
                           " is a complaint, so its urgency is GENERAL");
      out.kind = sla::request_kind::complaint;
    }
    out.mild_code = c.mild_code();
    out.planned_code = c.planned_code();
    out.context.assign(c.context().begin(), c.context().end());
    out.owns_parts = c.owns_parts();
    out.objects_need_state = c.objects_need_state();
    out.objects_first = c.objects_first();
    r.categories.push_back(std::move(out));
  }
  auto copy = [](const auto& field) { return std::vector<std::string>(field.begin(), field.end()); };
  r.clause_breaks = copy(m.clause_breaks());
  r.negation_cues = copy(m.negation_cues());
  r.resolved_cues = copy(m.resolved_cues());
  r.past_cues = copy(m.past_cues());
  r.ongoing_cues = copy(m.ongoing_cues());
  r.urgent_hints = copy(m.urgent_hints());
  r.tone_cues = copy(m.tone_cues());
  r.fine_now_cues = copy(m.fine_now_cues());
  r.advert_cues = copy(m.advert_cues());
  r.chat_cues = copy(m.chat_cues());
  r.request_cues = copy(m.request_cues());
  r.synonyms.assign(m.synonyms().begin(), m.synonyms().end());
  r.intensity_cues = copy(m.intensity_cues());
  r.mild_cues = copy(m.mild_cues());
  r.denial_cues = copy(m.denial_cues());
  r.affirm_cues = copy(m.affirm_cues());
  r.neutral_terms = copy(m.neutral_terms());
  r.worry_cues = copy(m.worry_cues());
  r.planned_cues = copy(m.planned_cues());
  r.future_cues = copy(m.future_cues());
  r.news_cues = copy(m.news_cues());
  if (m.object_window() < 0 || m.object_window() > 64)
    throw config_error(std::string(origin) + ": object_window must lie between 0 and 64");
  r.object_window = m.object_window();
  if (!(m.opinion_threshold() >= 0 && m.opinion_threshold() <= 1))
    throw config_error(std::string(origin) + ": opinion_threshold must lie between 0 and 1");
  r.opinion_threshold = m.opinion_threshold();
  return r;
}

sla::directory default_directory() { return parse_directory(defaults::directory_json(), "embedded directory"); }
sla::classifier_rules default_rules() { return parse_rules(defaults::rules_json(), "embedded rules"); }

sla::scorecard_rules parse_scorecard(std::string_view json, std::string_view origin) {
  const auto m = parse_json<pb::ScorecardRules>(json, origin);
  sla::scorecard_rules r;
  r.source = m.source();
  r.on_time = m.weights().on_time();
  r.first_contact = m.weights().first_contact();
  r.satisfaction = m.weights().satisfaction();
  r.breaches = m.weights().breaches();
  r.redo = m.weights().redo();
  r.urgent_weight = m.urgent_weight() == 0 ? 1 : m.urgent_weight();
  r.green = m.thresholds().green();
  r.yellow = m.thresholds().yellow();
  r.orange = m.thresholds().orange();
  if (const auto wrong = r.problems(); !wrong.empty()) throw config_error(std::string(origin) + ": " + wrong.front());
  return r;
}

sla::scorecard_rules default_scorecard() { return parse_scorecard(defaults::scorecard_json(), "embedded scorecard"); }

sla::holiday_year parse_holiday_year(std::string_view json, std::string_view origin) {
  const auto m = parse_json<pb::HolidayYear>(json, origin);
  const auto day_of = [&](const std::string& text, std::string_view field) {
    const auto d = sla::parse_day(text);
    if (!d)
      throw config_error(std::string(origin) + ": " + std::string(field) + " \"" + text +
                         "\" is not a date (YYYY-MM-DD)");
    return *d;
  };
  sla::holiday_year y;
  y.year = m.year();
  y.source = m.source();
  for (const auto& h : m.holidays())
    y.holidays.push_back({h.name(), day_of(h.first(), "holidays.first"), day_of(h.last(), "holidays.last")});
  for (const auto& w : m.workdays()) y.workdays.push_back(day_of(w, "workdays"));
  if (const auto wrong = sla::problems(y); !wrong.empty())
    throw config_error(std::string(origin) + ": " + wrong.front());
  return y;
}

std::vector<sla::holiday_year> default_holiday_years() {
  std::vector<sla::holiday_year> out;
  for (const auto json : defaults::calendar_years()) out.push_back(parse_holiday_year(json, "embedded calendar"));
  return out;
}

std::vector<sla::holiday_year> read_calendar_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw config_error(dir + ": cannot be read as a directory (calendar_dir)");
  std::vector<std::string> files;
  for (const auto& entry : it)
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<sla::holiday_year> out;
  std::map<int, std::string> seen;
  for (const auto& f : files) {
    out.push_back(parse_holiday_year(read_file(f), f));
    if (const auto [at, fresh] = seen.emplace(out.back().year, f); !fresh)
      throw config_error(f + ": " + std::to_string(out.back().year) + " is also given in " + at->second);
  }
  return out;
}

namespace {

// Redis through Sentinel (the sentinels, the master name) or as a cluster (some of its nodes),
// the replicas a write waits for, and the passwords.
void read_sentinels(const pb::EngineConfig& m, const std::string& path, redis_settings& r) {
  for (const auto& hp : m.redis_sentinels()) {
    auto sentinel = redis::endpoint_of(hp);
    if (!sentinel) throw config_error(path + ": redis_sentinels wants \"host:port\", not \"" + hp + "\"");
    r.sentinels.emplace_back(std::move(sentinel->host), sentinel->port);
  }
  r.sentinel_master = m.redis_sentinel_master();
  if (r.sentinels.empty() != r.sentinel_master.empty())
    throw config_error(path + ": redis_sentinels and redis_sentinel_master go together");
  for (const auto& hp : m.redis_cluster_nodes()) {
    auto node = redis::endpoint_of(hp);
    if (!node) throw config_error(path + ": redis_cluster_nodes wants \"host:port\", not \"" + hp + "\"");
    r.cluster_nodes.emplace_back(std::move(node->host), node->port);
  }
  if (!r.cluster_nodes.empty() && !r.sentinels.empty())
    throw config_error(path +
                       ": redis_cluster_nodes and redis_sentinels exclude each other (a cluster fails over by itself)");
  if (m.min_replicas_acked() < 0) throw config_error(path + ": min_replicas_acked is negative");
  r.min_replicas_acked = m.min_replicas_acked();
  r.password = m.redis_password();
  r.sentinel_password = m.redis_sentinel_password();
}

// Where it listens and how long it waits; Redis; sessions and codes.
void read_service(const pb::EngineConfig& m, const std::string& path, settings& s) {
  if (!m.listen_address().empty()) s.listen_address = m.listen_address();
  if (m.listen_port() < 0 || m.listen_port() > 65535) throw config_error(path + ": listen_port out of range");
  if (m.listen_port() != 0) s.listen_port = m.listen_port();
  if (m.http_read_timeout_seconds() < 0 || m.http_read_timeout_seconds() > 3600)
    throw config_error(path + ": http_read_timeout_seconds must lie between 1 and 3600");
  if (m.http_read_timeout_seconds() > 0) s.http_read_timeout = std::chrono::seconds{m.http_read_timeout_seconds()};
  if (m.http_max_connections() < 0) throw config_error(path + ": http_max_connections is negative");
  s.http_max_connections = static_cast<std::size_t>(m.http_max_connections());
  if (m.login_code_ttl_hours() < 0) throw config_error(path + ": login_code_ttl_hours is negative");
  if (m.login_code_ttl_hours() > 0) s.login_code_ttl = std::chrono::hours{m.login_code_ttl_hours()};
  if (m.board_max_streams() < 0) throw config_error(path + ": board_max_streams is negative");
  if (m.board_max_streams() > 0) s.board_max_streams = static_cast<std::size_t>(m.board_max_streams());
  if (!m.redis_host().empty()) s.redis.host = m.redis_host();
  if (m.redis_port() != 0) s.redis.port = m.redis_port();
  s.redis.unix_socket = m.redis_unix_socket();
  if (m.redis_timeout_ms() < 0) throw config_error(path + ": redis_timeout_ms is negative");
  if (m.redis_timeout_ms() != 0) s.redis.timeout = std::chrono::milliseconds{m.redis_timeout_ms()};
  read_sentinels(m, path, s.redis);
  if (!m.key_prefix().empty()) s.key_prefix = m.key_prefix();
  if (m.session_ttl_seconds() < 0) throw config_error(path + ": session_ttl_seconds is negative");
  if (m.session_ttl_seconds() > 0) s.session_ttl = std::chrono::seconds{m.session_ttl_seconds()};
}

// The clocks' lengths; each left out keeps the policy's.
void read_limits(const pb::EngineConfig& m, const std::string& /*path*/, settings& s) {
  const auto& l = m.limits();
  const sla::limits d;
  s.limits.on_site = seconds_or(l.on_site_seconds(), d.on_site, "on_site_seconds");
  s.limits.contact = seconds_or(l.contact_seconds(), d.contact, "contact_seconds");
  s.limits.ack_urgent = seconds_or(l.ack_urgent_seconds(), d.ack_urgent, "ack_urgent_seconds");
  s.limits.ack_general = seconds_or(l.ack_general_seconds(), d.ack_general, "ack_general_seconds");
  s.limits.completion_urgent =
      seconds_or(l.completion_urgent_seconds(), d.completion_urgent, "completion_urgent_seconds");
  s.limits.completion_general =
      seconds_or(l.completion_general_seconds(), d.completion_general, "completion_general_seconds");
  s.limits.rating_link = seconds_or(l.rating_link_seconds(), d.rating_link, "rating_link_seconds");
  const auto days_or = [](int v, int fallback, const char* field) {
    if (v < 0 || v > 60) throw config_error(std::string("limits.") + field + " must lie between 1 and 60");
    return v == 0 ? fallback : v;
  };
  s.limits.first_contact_days =
      days_or(l.first_contact_working_days(), d.first_contact_days, "first_contact_working_days");
  s.limits.resolution_days = days_or(l.resolution_working_days(), d.resolution_days, "resolution_working_days");
  s.limits.redo_days = days_or(l.redo_working_days(), d.redo_days, "redo_working_days");
}

// The escalation steps: warnings, reminders, the urgent fall-back, quiet hours.
void read_ladder(const pb::EngineConfig& m, const std::string& path, settings& s) {
  const auto& lad = m.ladder();
  if (lad.warn_at_size() > 0) {
    s.ladder.warn_at.assign(lad.warn_at().begin(), lad.warn_at().end());
    for (double f : s.ladder.warn_at)
      if (!(f > 0 && f < 1)) throw config_error(path + ": ladder.warn_at values must lie between 0 and 1");
  }
  if (lad.renotify_seconds() < 0) throw config_error(path + ": ladder.renotify_seconds is negative");
  if (lad.renotify_seconds() > 0) s.ladder.renotify = std::chrono::seconds{lad.renotify_seconds()};
  s.ladder.urgent_fallback = !lad.no_urgent_fallback();
  if (lad.has_quiet_from_hour() != lad.has_quiet_to_hour())
    throw config_error(path + ": ladder.quiet_from_hour and quiet_to_hour go together");
  if (lad.has_quiet_from_hour()) {
    if (lad.quiet_from_hour() < 0 || lad.quiet_from_hour() > 23 || lad.quiet_to_hour() < 0 || lad.quiet_to_hour() > 23)
      throw config_error(path + ": ladder quiet hours must be 0 to 23");
    s.ladder.quiet_from = lad.quiet_from_hour();
    s.ladder.quiet_to = lad.quiet_to_hour();
  }
}

// Where messages go and how hard the sender tries.
void read_delivery(const pb::EngineConfig& m, const std::string& path, settings& s) {
  const auto& del = m.delivery();
  s.delivery.webhooks.insert(del.webhooks().begin(), del.webhooks().end());
  for (const auto& [name, url] : s.delivery.webhooks)
    if (!url.starts_with("http://") && !url.starts_with("https://"))
      throw config_error(path + ": delivery.webhooks[" + name + "] is not an http(s) URL");
  s.delivery.hotline_url = del.hotline_url();
  s.delivery.sms_phones.insert(del.sms_phones().begin(), del.sms_phones().end());
  s.delivery.sms_url = del.sms_url();
  if (!del.sms_template().empty()) s.delivery.sms_template = del.sms_template();
  if (!s.delivery.sms_phones.empty() && s.delivery.sms_url.empty())
    throw config_error(path + ": delivery.sms_phones needs delivery.sms_url");
  if (del.max_attempts() < 0) throw config_error(path + ": delivery.max_attempts is negative");
  if (del.max_attempts() > 0) s.delivery.max_attempts = del.max_attempts();
  auto ms = [&](std::int64_t v, std::chrono::milliseconds& out, const char* field) {
    if (v < 0) throw config_error(path + ": delivery." + field + " is negative");
    if (v > 0) out = std::chrono::milliseconds{v};
  };
  ms(del.backoff_first_ms(), s.delivery.backoff_first, "backoff_first_ms");
  ms(del.backoff_max_ms(), s.delivery.backoff_max, "backoff_max_ms");
  ms(del.poll_ms(), s.delivery.poll, "poll_ms");
  ms(del.claim_idle_ms(), s.delivery.claim_idle, "claim_idle_ms");
  ms(del.timeout_ms(), s.delivery.timeout, "timeout_ms");
  ms(del.idle_timeout_ms(), s.delivery.idle_timeout, "idle_timeout_ms");
  if (del.connections_per_host() < 0) throw config_error(path + ": delivery.connections_per_host is negative");
  if (del.connections_per_host() > 0) s.delivery.connections_per_host = del.connections_per_host();
  if (del.idle_connections() < 0) throw config_error(path + ": delivery.idle_connections is negative");
  if (del.has_idle_connections()) s.delivery.idle_connections = del.idle_connections();
}

// The doors: their keys (SHA-256 of each), linking, WeChat groups.
void read_channels(const pb::EngineConfig& m, const std::string& path, settings& s) {
  const auto& ch = m.channels();
  if (ch.link_window_seconds() < 0 || ch.link_window_seconds() > 86400)
    throw config_error(path + ": channels.link_window_seconds must lie between 0 and 86400");
  if (ch.link_window_seconds() > 0) s.channels.link_window = std::chrono::seconds{ch.link_window_seconds()};
  if (ch.no_linking()) s.channels.link_window = sla::duration::zero();
  s.channels.wechat_groups.insert(ch.wechat_groups().begin(), ch.wechat_groups().end());
  auto keys = [&](const auto& in, std::map<std::string, std::string>& out, const std::string& field) {
    for (const auto& [client, hash] : in) {
      const bool hex = hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                       });
      if (!hex) throw config_error(path + ": " + field + "[" + client + "] is not a SHA-256 in lower-case hex");
      out.emplace(hash, client);
    }
  };
  keys(ch.open311_api_keys(), s.channels.open311_keys, "channels.open311_api_keys");
  keys(ch.channel_api_keys(), s.channels.channel_keys, "channels.channel_api_keys");
  keys(ch.hotline_api_keys(), s.channels.hotline_keys, "channels.hotline_api_keys");
  keys(ch.sms_inbound_keys(), s.channels.sms_keys, "channels.sms_inbound_keys");
  keys(m.metrics_api_keys(), s.metrics_keys, "metrics_api_keys");
  if (ch.max_linked_per_job() < 0 || ch.max_linked_per_job() > 1000)
    throw config_error(path + ": channels.max_linked_per_job must lie between 1 and 1000");
  if (ch.max_linked_per_job() > 0) s.channels.max_linked_per_job = static_cast<std::size_t>(ch.max_linked_per_job());
}

// The monthly report: district, public links and their secret.
void read_reports(const pb::EngineConfig& m, const std::string& path, settings& s) {
  const auto& rep = m.reports();
  if (!rep.district().empty()) s.reports.district = rep.district();
  s.reports.public_url = rep.public_url();
  while (s.reports.public_url.ends_with('/')) s.reports.public_url.pop_back();
  if (!s.reports.public_url.empty() && !s.reports.public_url.starts_with("http://") &&
      !s.reports.public_url.starts_with("https://"))
    throw config_error(path + ": reports.public_url is not an http(s) URL");
  s.reports.link_secret = rep.link_secret();
  if (!s.reports.link_secret.empty() && s.reports.link_secret.size() < 32)
    throw config_error(path + ": reports.link_secret must be at least 32 characters");
  s.reports.monthly_message = !rep.no_monthly_message();
}

// The working-day calendar: the notices and when the office day ends.
void read_calendar(const pb::EngineConfig& m, const std::string& path, settings& s) {
  auto day_end = sla::working_calendar::default_day_end;
  if (const auto& text = m.working_day_end(); !text.empty()) {
    const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -100; };
    const bool shape = text.size() == 5 && text[2] == ':';
    const int h = shape ? digit(0) * 10 + digit(1) : -1;
    const int min = shape ? digit(3) * 10 + digit(4) : -1;
    if (h < 0 || min < 0 || h > 23 || min > 59 || (h == 0 && min == 0))
      throw config_error(path + ": working_day_end \"" + text + "\" is not a time of day (HH:MM, e.g. 17:30)");
    day_end = std::chrono::minutes{h * 60 + min};
  }
  // A year's file in calendar_dir adds that year, or replaces the built-in one (a corrected notice).
  std::map<int, sla::holiday_year> years;
  for (auto& y : default_holiday_years()) years[y.year] = std::move(y);
  if (!m.calendar_dir().empty())
    for (auto& y : read_calendar_dir(m.calendar_dir())) years[y.year] = std::move(y);
  std::vector<sla::holiday_year> all;
  for (auto& [year, y] : years) all.push_back(std::move(y));
  s.calendar = sla::working_calendar(all, day_end);
  s.limits.calendar = std::make_shared<const sla::working_calendar>(s.calendar);
}

// The proxies in front: each an IP address, kept in the form the server reports a peer in.
void read_http(const pb::EngineConfig& m, const std::string& path, settings& s) {
  for (const auto& address : m.http().trusted_proxies()) {
    char out[INET6_ADDRSTRLEN] = {};
    in_addr v4{};
    in6_addr v6{};
    if (inet_pton(AF_INET, address.c_str(), &v4) == 1) inet_ntop(AF_INET, &v4, out, sizeof out);
    else if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) inet_ntop(AF_INET6, &v6, out, sizeof out);
    else throw config_error(path + ": http.trusted_proxies: \"" + address + "\" is not an IP address");
    s.trusted_proxies.emplace_back(out);
  }
}

}  // namespace

settings load(const std::string& path) {
  settings s;
  pb::EngineConfig m;
  if (!path.empty()) m = parse_json<pb::EngineConfig>(read_file(path), path);
  read_service(m, path, s);
  read_http(m, path, s);
  read_limits(m, path, s);
  read_ladder(m, path, s);
  read_delivery(m, path, s);
  read_channels(m, path, s);
  read_reports(m, path, s);
  read_calendar(m, path, s);
  s.directory = m.directory_file().empty() ? default_directory()
                                           : parse_directory(read_file(m.directory_file()), m.directory_file());
  s.rules = m.rules_file().empty() ? default_rules() : parse_rules(read_file(m.rules_file()), m.rules_file());
  s.scorecard = m.scorecard_file().empty() ? default_scorecard()
                                           : parse_scorecard(read_file(m.scorecard_file()), m.scorecard_file());
  s.archive_dir = m.archive_dir();
  if (m.retention_months() < 0) throw config_error(path + ": retention_months is negative");
  // Fewer than two whole months would archive the month a report is still being written for.
  if (m.retention_months() != 0 && m.retention_months() < 2)
    throw config_error(path + ": retention_months must be at least 2 (the report reads the month before)");
  if (m.retention_months() != 0) s.retention_months = m.retention_months();
  return s;
}

bool is_loopback(std::string_view address) {
  if (address == "localhost" || address == "::1" || address == "[::1]") return true;
  return address.starts_with("127.") && address.find_first_not_of("0123456789.") == std::string_view::npos;
}

std::vector<std::string> keyless_doors(const settings& s) {
  std::vector<std::string> out;
  if (s.channels.hotline_keys.empty()) out.push_back("channels.hotline_api_keys (POST /v1/hotline/tickets)");
  if (s.channels.channel_keys.empty())
    out.push_back("channels.channel_api_keys (POST /v1/channels/community-cloud, /v1/channels/wechat)");
  return out;
}

}  // namespace halfhour::config
