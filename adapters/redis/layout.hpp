// The Redis stores' layout, pure: key names, shards, the members of the sorted sets, id blocks,
// and what each reply means to the stores. Strings and replies in, keys and results out: no
// connection, no hiredis, no Asio, so all of it is tested without a server.
//
// Work orders (prefix "hh", shard s in 00..15, the hash tag keeping a shard in one slot):
//   hh:{s07}:wo:<b>      hash id -> "<version>:<record length>|<record><journal>", for the ids
//                        numbered 32 b to 32 b + 31 in the shard: the record a WorkOrder
//                        (protobuf, packed: record_packing.hpp), rewritten by each decision; the
//                        journal a Journal (protobuf) only ever extended: its events (the
//                        immutable history), the notifications it owes, and what the outbox's
//                        sender did with each; each write's part packed (Journal.packed), the
//                        sender's settlements plain
//   hh:{s07}:dl          sorted set of the ids of jobs with a step armed, each scored by its
//                        earliest (ms since the epoch): what falls due next
//   hh:{s07}:steps:<b>   hash id -> its armed steps (below), for the ids numbered 128 b to
//                        128 b + 127 in the shard: small hashes, which Redis keeps as listpacks
//   hh:{s07}:idem:<b>    hash idempotency key -> id, or "screened|<reason>", for the keys whose
//                        FNV-1a hash h has (h >> 4) % 1024 == b (h % 16 is the shard)
//   hh:{s07}:seq         counter for ids, taken a block at a time
//   hh:{s07}:codes:<b>   hash short code -> id of the open job holding it (freed when it is
//                        done), for the codes 128 b to 128 b + 127 of the shard's code_span
//   hh:{s07}:codes:held  how many codes of the shard open jobs hold
//   hh:{s07}:codeseq     counter of the next short code the shard tries
//   hh:{s07}:open:<org>  set of the ids of open work orders an organisation holds
//   hh:{s07}:outbox      stream of notifications owed (key, to, org, kind, wo, text, ref), written
//                        in the same script as the event that caused them and read through the
//                        consumer group "senders"; the sender deletes an entry once settled
//   hh:{s07}:outbox:dead stream of the entries that could not be delivered, with why (kept for
//                        the retention window, as the screened messages below)
//   hh:{s07}:once:<name> marker of a notification owed once (the monthly report)
//   hh:{s07}:accepted    sorted set of the ids of the shard's work orders by acceptance (ms)
//   hh:{s07}:near:<community>  the same for one community, trimmed to the last two days, each
//                        member "<n>␟<category>␟<u|g>␟<building>␟<room>" (␟ = \x1f, n the id's
//                        number in the shard, 123 for W07-000123; the whole id before layout 5):
//                        where a new report looks for the open job it may repeat, reading only
//                        the likely ones
//   hh:{s07}:screened    stream of chat messages screened out as no request
//   hh:{lease}:<name>    a short lease shared by the engines (SET NX PX, lease.lua); a brief one
//                        (a community's) is neither logged nor replicated
//   hh:layout            "6": the layout described here. Layouts 2 to 5 kept each work order in a
//                        string of its own, hh:{s07}:wo:<id>. Layout 4 kept each shard's armed
//                        steps, short codes and idempotency keys in one hash each
//                        (hh:{s07}:steps, hh:{s07}:codes, hh:{s07}:idem).
//                        Layouts 2 (records and journals plain) and 3 kept a work order's record
//                        as "<version>|<record>" and its journal under "<its key>:h", and one
//                        deadline-set member per armed step, "<id>|<clock>", "<id>|<clock>|warn<i>"
//                        or "<id>|<clock>|renotify", scored by its moment. An engine of layout 6
//                        moves all of them over (take_over.hpp) and marks the store.
// A job's armed steps are "<step>@<ms since the epoch, base 36>" joined by ",", sorted; a step
// is "<clock>" for the clock's deadline, "<clock>.<i>" for its i-th warning and "<clock>!" for the
// reminder after a breach: "ack@mwm10f5s,onsite.0@mwm1da4g". Written by adapters/redis/lua/steps.lua;
// the buckets named by adapters/redis/lua/buckets.lua as by keys::steps_bucket and code_bucket.
// A work order's shard comes from its idempotency key, and its id ("W07-000123") names the shard,
// so every script touches keys of one slot only and runs unchanged on Redis Cluster.
//
// Members and sessions, all in one slot ({auth}):
//   hh:{auth}:member:<id>      hash name, org, role, code (SHA-256 of id ":" code, until used),
//                              code_expires (ms since the epoch)
//   hh:{auth}:session:<hash>   hash id, name, org, role; expires with the session
//   hh:{auth}:sessions:<id>    set of the member's session hashes, expiring with the newest
//   hh:{auth}:fail:<id>        login attempts on a phone, expiring with its window
//   hh:{auth}:from:<address>   login attempts from a source address, likewise
// Only hashes of secrets are stored: a copy of Redis logs nobody in.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/identity_records.hpp"
#include "adapters/outbox_entry.hpp"
#include "adapters/redis/reply.hpp"
#include "adapters/store_records.hpp"
#include "sla/duplicates.hpp"
#include "sla/search.hpp"

namespace halfhour::redis::layout {

inline constexpr int shard_count = 16;
inline constexpr std::string_view version = "6";  // the layout above; <prefix>:layout holds it
// The layouts this one takes over (2 to 5): the same keys but for the work orders, armed steps,
// short codes and journals, which claiming the store moves over before marking it anew, so an
// older engine refuses it from then on. While they move, the store is marked `moving`: an older
// engine started meanwhile refuses a store half moved (it reads no mark but its own), and the next
// engine of this layout goes on, as it goes on with a store an engine of layout 4 or 5 left
// "moving to 4" or "moving to 5".
inline constexpr std::string_view moving = "moving to 6";
bool taken_over(std::string_view mark);
inline constexpr std::string_view sender_group = "senders";

// The shard of an idempotency key: FNV-1a, stable across builds and machines.
int shard_of(std::string_view key);
// A whole number, all of `text` in `base`; nothing for anything else.
std::optional<long long> number_of(std::string_view text, int base);
// The shard an id names ("W07-000123" -> 7); -1 when the text is not an id of ours.
int shard_of_id(std::string_view id);
// Its number in the shard (123); -1 likewise.
long long number_of_id(std::string_view id);
std::string id_of(int shard, long long seq);

// Short codes (what a crew types in an SMS reply) are numbers from code_first to 999999 that
// name their shard as code % shard_count, so a reply finds its job in one slot. A shard tries
// its codes in turn (create.lua), skipping those an open job still holds: code_span of them,
// the four-digit ones first.
inline constexpr long long code_first = 1008;  // the first four-digit multiple of shard_count
inline constexpr long long code_span = (999999 - code_first + 1) / shard_count;
// The shard a short code names; -1 when the text is not a short code.
int shard_of_code(std::string_view code);

// The fields of a hash split by number (a shard's armed steps, its short codes) per bucket: at
// most Redis's hash-max-listpack-entries (128 by default), so each bucket stays a listpack.
inline constexpr long long bucket_size = 128;
// Work orders, a few hundred bytes each, go 32 to a bucket: a decision rewrites its bucket's
// listpack, and a smaller one is less to move.
inline constexpr long long order_bucket_size = 32;
// Idempotency keys, which are no numbers, go by their hash into this many buckets a shard: below
// 128 keys a bucket up to ~1.5M keys in all (a million open tickets and their keys fit), past
// that growing into Redis's larger hashes.
inline constexpr std::uint32_t idem_buckets = 1024;

class keys {
 public:
  explicit keys(std::string prefix) : prefix_(std::move(prefix)) {}

  std::string idempotency(int shard) const { return in_shard(shard, "idem"); }  // the buckets' name
  std::string idempotency_bucket(std::string_view key) const;
  std::string deadlines(int shard) const { return in_shard(shard, "dl"); }
  // The buckets' common name (what the scripts are given; buckets.lua names each bucket after
  // it), and the one hash of layout 4 under that name.
  std::string steps(int shard) const { return in_shard(shard, "steps"); }
  std::string steps_bucket(int shard, long long bucket) const;
  std::string sequence(int shard) const { return in_shard(shard, "seq"); }
  std::string codes(int shard) const { return in_shard(shard, "codes"); }
  // The bucket holding a short code (sla::is_short_code, of this shard).
  std::string code_bucket(int shard, std::string_view code) const;
  std::string codes_held(int shard) const { return in_shard(shard, "codes:held"); }
  std::string code_sequence(int shard) const { return in_shard(shard, "codeseq"); }
  std::string outbox(int shard) const { return in_shard(shard, "outbox"); }
  std::string dead_letters(int shard) const { return in_shard(shard, "outbox:dead"); }
  std::string accepted(int shard) const { return in_shard(shard, "accepted"); }
  std::string screened(int shard) const { return in_shard(shard, "screened"); }
  std::string open(int shard, std::string_view organisation) const;
  std::string near(int shard, std::string_view community) const;
  std::string once(int shard, std::string_view name) const;
  // A work order's bucket, in the shard the id names: callers check the id first.
  std::string order(std::string_view id) const;
  // In the shard given: the outbox's entries carry their shard.
  std::string order(int shard, std::string_view id) const;
  // Where layouts 2 to 5 kept a work order, and layouts 2 and 3 its journal.
  std::string older_order(std::string_view id) const;
  std::string older_journal(std::string_view id) const { return older_order(id) + ":h"; }
  std::string lease(std::string_view name) const;
  std::string mark() const { return prefix_ + ":layout"; }

  std::string member(std::string_view id) const { return in_auth("member", id); }
  std::string session(std::string_view token_hash) const { return in_auth("session", token_hash); }
  std::string sessions(std::string_view id) const { return in_auth("sessions", id); }
  std::string phone_attempts(std::string_view phone) const { return in_auth("fail", phone); }
  // An unknown source address counts as one address.
  std::string address_attempts(std::string_view address) const {
    return in_auth("from", address.empty() ? "unknown" : address);
  }

 private:
  std::string in_shard(int shard, std::string_view what) const;
  std::string in_auth(std::string_view kind, std::string_view rest) const;
  std::string prefix_;
};

// Ids come from a shard's counter a block at a time (INCRBY id_block), not one INCR per ticket.
inline constexpr long long id_block = 32;
struct id_range {
  long long next = 1, last = 0;  // empty until the first block
  bool empty() const { return next > last; }
  long long take() { return next++; }
};
// The block an INCRBY of id_block reserved when it answered `counter`.
inline id_range block_ending_at(long long counter) { return {counter - id_block + 1, counter}; }

// A step's name in the steps hash ("onsite.0"), and back into the step due `at`.
std::string step_name(const sla::deadline& d);
std::optional<sla::deadline> parse_step_name(std::string_view name, sla::instant at);
// A job's armed steps, as steps.lua writes them, appended to `out`; false when any part is
// malformed (those parts are left out).
bool parse_steps(std::string_view id, std::string_view steps, std::vector<armed_deadline>& out);
// A deadline member of layouts 2 and 3 ("<id>|<clock>|warn<i>") back into the step due `at`.
std::optional<armed_deadline> parse_deadline_member(std::string_view m, sla::instant at);
std::string near_member(const sla::work_order& wo);
// An entry of shard `shard`'s recent jobs; nothing when it is malformed or names another shard.
std::optional<sla::recent_job> parse_near_member(std::string_view m, int shard);

// A sorted set's score: ms since the epoch, which Redis prints as a double.
long long ms_of_score(std::string_view score);
// A reply of two elements: a scan page's cursor and items, a script's pair.
bool is_pair(const reply& r);

// Replies. A reply that is not what was asked for reads as error_of(it): unavailable while Redis
// loads or fails over (try again), rejected otherwise (logged).
boost::system::error_code error_of(const reply& r);
boost::system::result<void> ok_of(const reply& r);
boost::system::result<long long> counter_of(const reply& r);  // INCRBY

// The create script's {1, id, short code} or {0, id it found}; the apply script's new version.
struct create_answer {
  bool created = false;
  std::string id;          // the work order the key names when not created: a race lost
  std::string short_code;  // created: the code it was given ('' when the shard had none free)
};
boost::system::result<create_answer> created_of(const reply& r);
boost::system::result<std::int64_t> applied_of(const reply& r);
// HGET of a short code: the open job holding it, or nothing.
boost::system::result<std::optional<std::string>> code_holder_of(const reply& r);

// A work order's value in its parts; errc::corrupt when it is not one.
struct order_parts {
  long long version = 0;
  std::string_view record, journal;
};
boost::system::result<order_parts> split_order(std::string_view value);
// HGET of a work order, with its history if asked: not_found when there is none.
boost::system::result<stored_order> order_of(const reply& value, bool with_history);
// HGETs of work orders, their records only; those gone meanwhile are skipped.
boost::system::result<std::vector<sla::work_order>> orders_of(const std::vector<reply>& values);
// The same with their histories, appended to `out` without notices.
boost::system::result<void> histories_of(const std::vector<reply>& values, std::vector<stored_order>& out);
// The same, of the work orders `ids` in turn, as their bytes (the archive's copies).
boost::system::result<void> raw_orders_of(const std::vector<reply>& values, const std::vector<std::string>& ids,
                                          std::vector<archived_order>& out);
// The retire script's 1 (taken out), -1 (out before): true; 0 (moved on): false.
boost::system::result<bool> retired_of(const reply& r);

// GET of a shard's id counter: how many buckets of armed steps its ids may be in.
boost::system::result<long long> bucket_count_of(const reply& r);
// HGETALLs of buckets of armed steps: every step in them; malformed ones are logged and skipped.
boost::system::result<std::vector<armed_deadline>> bucket_steps_of(const std::vector<reply>& buckets);
// The due script's {id, steps, ...} of each shard: the steps due by `before`; malformed ones
// are skipped.
boost::system::result<std::vector<armed_deadline>> overdue_of(const std::vector<reply>& shards, sla::instant before);
// One ZSCAN page (MATCH *|*) of a deadline set of layout 2 or 3, as the migrate_steps script
// reads it: (member, id, step name, ms) for each member that parses; those that do not are
// logged and left.
struct legacy_page {
  std::string cursor;
  std::vector<std::string> moves;
};
boost::system::result<legacy_page> legacy_page_of(const reply& r);
// One ZSCAN page of a sorted set: its members, without their scores.
struct scan_page {
  std::string cursor;
  std::vector<std::string> members;
};
boost::system::result<scan_page> scan_page_of(const reply& r);
// One HSCAN page of a hash: its fields and values, in turn.
boost::system::result<scan_page> hash_page_of(const reply& r);

// The members of one set per shard (SMEMBERS, ZRANGEBYSCORE), all together.
boost::system::result<std::vector<std::string>> members_of(std::vector<reply> sets);
// The same WITHSCORES: the `limit` lowest-scored across the shards, lowest first.
boost::system::result<std::vector<std::string>> oldest_of(std::vector<reply> sets, std::size_t limit);
// The same WITHSCORES, read newest first: those after `below` (sla::after), the `limit` newest
// of them across the shards. The sets may overlap (a shard's older entries and its ties with
// `below`, read apart); an entry read twice is kept once.
boost::system::result<std::vector<sla::index_position>> newest_of(std::vector<reply> sets,
                                                                  const sla::index_position& below, std::size_t limit);
// A community's recent jobs from its sets, the set of shard i at i; malformed members are logged
// and skipped.
boost::system::result<std::vector<sla::recent_job>> recent_jobs_of(std::vector<reply> sets, std::string_view community);

// What an idempotency key's value stands for: an id, or "screened|<reason>".
known_key known_of(std::string_view v);
boost::system::result<std::optional<known_key>> lookup_of(const reply& r);  // HGET
boost::system::result<known_key> screened_of(const reply& r);               // the screen script
boost::system::result<std::string> remembered_of(reply r);                  // HGET after HSETNX
boost::system::result<bool> lease_of(const reply& r);                       // SET NX PX

// GET of the layout mark, then TYPE of each shard's first work order: true when the store is to
// be marked (not marked yet, or marked with a layout taken_over), errc::incompatible when it
// holds another layout's data.
boost::system::result<bool> unmarked_of(const std::vector<reply>& r);

// The outbox. One stream entry [id, [field, value, …]]; nothing when it was deleted meanwhile.
std::optional<outbox_entry> entry_of(int shard, const reply& r);
boost::system::result<void> groups_of(const std::vector<reply>& per_shard);                            // XGROUP CREATE
boost::system::result<std::vector<outbox_entry>> new_entries_of(const std::vector<reply>& per_shard);  // XREADGROUP
std::vector<outbox_entry> claimed_entries_of(const std::vector<reply>& per_shard);                     // XAUTOCLAIM
boost::system::result<bool> posted_of(const reply& r);  // the post_once script

// The identity store, whose scripts' error replies all read as rejected.
boost::system::result<void> written_of(const reply& r);
// name, org, role[, code, code_expires] from `at` -> a member, or nothing when the record is
// absent or damaged.
std::optional<stored_member> member_of(std::string_view id, const std::vector<reply>& f, std::size_t at);
std::optional<stored_member> found_member_of(std::string_view id, const reply& r);  // HMGET of a member
boost::system::result<login_attempt> attempt_of(std::string_view phone, const reply& r);
std::optional<sla::member> session_of(const reply& r);  // HMGET name, org, role, id of a session

}  // namespace halfhour::redis::layout
