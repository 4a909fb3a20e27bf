#include "adapters/redis/connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>

#include "adapters/clock.hpp"
#include "adapters/errors.hpp"

namespace halfhour::redis {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

reply convert(const redisReply* r) {
  reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = reply::kind::string;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = reply::kind::status;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = reply::kind::error;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = reply::kind::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = reply::kind::array;
      out.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default: out.type = reply::kind::nil;
  }
  return out;
}

// A completion handler with its type erased, so pending commands can sit in one queue.
struct completion {
  virtual ~completion() = default;
  virtual void complete(error_code ec, reply r) = 0;
};

template <class Handler>
struct completion_impl final : completion {
  explicit completion_impl(Handler h) : handler(std::move(h)) {}
  void complete(error_code ec, reply r) override {
    // Never resume the caller inside hiredis' read loop: post to the caller's executor.
    auto ex = asio::get_associated_executor(handler);
    asio::post(ex, [h = std::move(handler), ec, r = std::move(r)]() mutable { std::move(h)(ec, std::move(r)); });
  }
  Handler handler;
};

// One part of a pipeline: its reply goes to its slot; the last one to answer completes the batch.
struct batch {
  std::vector<reply> replies;
  std::size_t remaining = 0;
  error_code ec;
  std::unique_ptr<completion> done;
};

struct batch_part final : completion {
  batch_part(std::shared_ptr<batch> b, std::size_t i) : whole(std::move(b)), index(i) {}
  void complete(error_code ec, reply r) override {
    if (ec && !whole->ec) whole->ec = ec;
    if (!ec) whole->replies[index] = std::move(r);
    if (--whole->remaining == 0) {
      reply all;
      all.type = reply::kind::array;
      all.elements = std::move(whole->replies);
      whole->done->complete(whole->ec, std::move(all));
    }
  }
  std::shared_ptr<batch> whole;
  std::size_t index;
};

class connection_impl final : public connection, public std::enable_shared_from_this<connection_impl> {
 public:
  connection_impl(asio::any_io_executor ex, endpoint ep, options opt, sentinel_settings sentinel)
      : ex_(ex),
        ep_(std::move(ep)),
        opt_(opt),
        sentinel_(std::move(sentinel)),
        discovery_(sentinel_.sentinels.size()),
        timeout_timer_(ex),
        reconnect_timer_(ex),
        backoff_(opt.backoff_min) {}

  ~connection_impl() override {
    stopping_ = true;
    if (ac_) redisAsyncFree(ac_);
  }

  void start() {
    // One plain connection per sentinel, kept open: asking is then one round trip, and a
    // sentinel that is down fails at once instead of costing a connect timeout every round.
    options asking = opt_;
    asking.command_timeout = std::min(opt_.command_timeout, std::chrono::milliseconds(500));
    asking.password = sentinel_.password;
    for (const auto& s : sentinel_.sentinels) sentinels_.push_back(create(ex_, s, asking));
    connect();
  }

  bool connected() const override { return connected_; }

  void stop() override {
    stopping_ = true;
    for (auto& s : sentinels_) s->stop();
    reconnect_timer_.cancel();
    timeout_timer_.cancel();
    if (ac_) redisAsyncFree(ac_);
    fail_all(errc::unavailable);
  }

  template <class Token>
  static auto async_command(std::shared_ptr<connection_impl> self, std::vector<std::string> args, Token&& token) {
    auto initiation = [](auto handler, std::shared_ptr<connection_impl> s, std::vector<std::string> a) {
      s->submit(std::move(a), std::make_unique<completion_impl<decltype(handler)>>(std::move(handler)));
    };
    return asio::async_initiate<Token, void(error_code, reply)>(initiation, token, std::move(self), std::move(args));
  }

  template <class Token>
  static auto async_batch(std::shared_ptr<connection_impl> self, std::vector<std::vector<std::string>> commands,
                          Token&& token) {
    auto initiation = [](auto handler, std::shared_ptr<connection_impl> s, std::vector<std::vector<std::string>> cmds) {
      auto b = std::make_shared<batch>();
      b->replies.resize(cmds.size());
      b->remaining = cmds.size();
      b->done = std::make_unique<completion_impl<decltype(handler)>>(std::move(handler));
      for (std::size_t i = 0; i < cmds.size(); ++i) s->submit(std::move(cmds[i]), std::make_unique<batch_part>(b, i));
    };
    return asio::async_initiate<Token, void(error_code, reply)>(initiation, token, std::move(self),
                                                                std::move(commands));
  }

  asio::awaitable<boost::system::result<std::vector<reply>>> pipeline(
      std::vector<std::vector<std::string>> commands) override {
    if (commands.empty()) co_return std::vector<reply>{};
    auto [ec, r] = co_await async_batch(shared_from_this(), std::move(commands), asio::as_tuple(asio::use_awaitable));
    if (ec) co_return ec;
    co_return std::move(r.elements);
  }

  asio::awaitable<boost::system::result<reply>> command(std::vector<std::string> args) override {
    auto [ec, r] = co_await async_command(shared_from_this(), std::move(args), asio::as_tuple(asio::use_awaitable));
    if (ec) co_return ec;
    co_return std::move(r);
  }

 private:
  struct pending {
    std::uint64_t id;
    monotonic::time_point deadline;
    std::unique_ptr<completion> done;
  };

  void submit(std::vector<std::string> args, std::unique_ptr<completion> done) {
    if (!connected_ || !ac_) {
      done->complete(errc::unavailable, {});
      return;
    }
    std::vector<const char*> argv;
    std::vector<std::size_t> argvlen;
    for (const auto& a : args) {
      argv.push_back(a.data());
      argvlen.push_back(a.size());
    }
    auto id = next_id_++;
    int rc = redisAsyncCommandArgv(ac_, &connection_impl::on_reply, reinterpret_cast<void*>(id),
                                   static_cast<int>(argv.size()), argv.data(), argvlen.data());
    if (rc != REDIS_OK) {
      done->complete(errc::unavailable, {});
      return;
    }
    inflight_.push_back({id, monotonic_now() + opt_.command_timeout, std::move(done)});
    if (inflight_.size() == 1) arm_timeout();
  }

  // Every command has the same timeout, so deadlines are in submission order: one timer for
  // the oldest command covers them all.
  void arm_timeout() {
    if (inflight_.empty()) return;
    timeout_timer_.expires_at(inflight_.front().deadline);
    timeout_timer_.async_wait([self = shared_from_this(), id = inflight_.front().id](error_code ec) {
      if (ec || self->inflight_.empty() || self->inflight_.front().id != id) return;
      spdlog::warn("redis: command timed out after {} ms; dropping the connection", self->opt_.command_timeout.count());
      self->fail_all(errc::timeout);
      if (self->ac_) redisAsyncFree(self->ac_);  // cleanup hook resets state and reconnects
    });
  }

  void fail_all(errc why) {
    auto all = std::move(inflight_);
    inflight_.clear();
    for (auto& p : all) p.done->complete(why, {});
  }

  static void on_reply(redisAsyncContext* ac, void* r, void* privdata) {
    auto* self = static_cast<connection_impl*>(ac->ev.data);
    auto id = reinterpret_cast<std::uint64_t>(privdata);
    auto& q = self->inflight_;
    auto it = std::find_if(q.begin(), q.end(), [id](const pending& p) { return p.id == id; });
    if (it == q.end()) return;  // already failed by a timeout
    auto done = std::move(it->done);
    bool was_front = it == q.begin();
    q.erase(it);
    if (r) {
      auto answer = convert(static_cast<redisReply*>(r));
      if (!self->sentinels_.empty() && is_readonly(answer)) {
        // Demoted by a failover: nothing was written, so the caller may retry once the
        // sentinels name the new primary. Freed inside a callback, hiredis frees the context
        // once the callback returns, and every other command fails with it.
        spdlog::warn("redis: {} is a replica now; asking the sentinels for the primary", self->describe());
        done->complete(errc::unavailable, {});
        redisAsyncFree(ac);
        return;
      }
      done->complete({}, std::move(answer));
    } else {
      done->complete(errc::unavailable, {});
    }
    if (was_front) self->arm_timeout();
  }

  // --- the event-loop binding hiredis asks for --------------------------------------------

  // One direction of readiness: what hiredis asked for, whether a wait is pending, and what to
  // call when the socket is ready.
  struct direction {
    asio::posix::stream_descriptor::wait_type wait;
    void (*handle)(redisAsyncContext*);
    bool wanted = false;
    bool waiting = false;
  };

  static void ev_add_read(void* p) { static_cast<connection_impl*>(p)->want(&connection_impl::read_); }
  static void ev_del_read(void* p) { static_cast<connection_impl*>(p)->read_.wanted = false; }
  static void ev_add_write(void* p) { static_cast<connection_impl*>(p)->want(&connection_impl::write_); }
  static void ev_del_write(void* p) { static_cast<connection_impl*>(p)->write_.wanted = false; }
  static void ev_cleanup(void* p) { static_cast<connection_impl*>(p)->on_context_gone(); }

  void want(direction connection_impl::*which) {
    (this->*which).wanted = true;
    wait(which);
  }

  void wait(direction connection_impl::*which) {
    auto& d = this->*which;
    if (d.waiting || !sd_) return;
    d.waiting = true;
    sd_->async_wait(d.wait, [self = shared_from_this(), gen = gen_, which](error_code ec) {
      auto& dir = (*self).*which;
      dir.waiting = false;
      if (ec || gen != self->gen_ || !self->ac_) return;
      if (dir.wanted) dir.handle(self->ac_);
      // The context may be gone now (the peer closed): the generation says so.
      if (gen == self->gen_ && self->ac_ && dir.wanted) self->wait(which);
    });
  }

  // hiredis frees the context (and closes the fd it owns) on error, on our redisAsyncFree,
  // or after a failed connect. Give the fd back without closing it, forget the context.
  void on_context_gone() {
    ++gen_;
    if (sd_) {
      error_code ignored;
      sd_->cancel(ignored);
      sd_->release();
      sd_.reset();
    }
    ac_ = nullptr;
    read_.wanted = read_.waiting = write_.wanted = write_.waiting = false;
    bool was_connected = connected_;
    connected_ = false;
    if (was_connected && !stopping_) spdlog::warn("redis: connection lost");
    fail_all(errc::unavailable);
    if (!stopping_) schedule_reconnect();
  }

  // Connected: AUTH when a password is set, ROLE through Sentinel, then ready. The connect
  // timeout still runs meanwhile: a server that does not answer these is dropped like one
  // that never accepted.
  static void on_connect(const redisAsyncContext* ac, int status) {
    auto* self = static_cast<connection_impl*>(ac->ev.data);
    if (status == REDIS_OK && !self->opt_.password.empty()) {
      const auto& pw = self->opt_.password;
      redisAsyncCommand(self->ac_, &connection_impl::on_auth, nullptr, "AUTH %b", pw.data(), pw.size());
    } else if (status == REDIS_OK) {
      self->authenticated();
    } else if (!self->connect_failure_logged_) {
      spdlog::warn("redis: cannot connect to {}: {}", self->describe(), ac->errstr);
      self->connect_failure_logged_ = true;
    }
  }

  static void on_auth(redisAsyncContext* ac, void* r, void*) {
    if (!r) return;  // the context is going: its cleanup reconnects
    auto* self = static_cast<connection_impl*>(ac->ev.data);
    if (auto answer = convert(static_cast<redisReply*>(r)); answer.is_error()) {
      if (!self->connect_failure_logged_)
        spdlog::error("redis: {} refused the password: {}", self->describe(), answer.str);
      self->connect_failure_logged_ = true;
      redisAsyncFree(ac);
      return;
    }
    self->authenticated();
  }

  void authenticated() {
    // The server the sentinels named may have been demoted since they answered: used only once
    // it says it is the primary.
    if (!sentinels_.empty()) redisAsyncCommand(ac_, &connection_impl::on_role, nullptr, "ROLE");
    else ready();
  }

  static void on_role(redisAsyncContext* ac, void* r, void*) {
    if (!r) return;  // the context is going: its cleanup reconnects
    auto* self = static_cast<connection_impl*>(ac->ev.data);
    if (is_primary(convert(static_cast<redisReply*>(r)))) {
      self->ready();
      return;
    }
    spdlog::warn("redis: {} is not the primary; asking the sentinels again", self->describe());
    redisAsyncFree(ac);
  }

  void ready() {
    connected_ = true;
    backoff_ = opt_.backoff_min;
    connect_failure_logged_ = false;
    reconnect_timer_.cancel();
    spdlog::info("redis: connected to {}{}", describe(), sentinels_.empty() ? "" : " (the primary)");
  }

  static void on_disconnect(const redisAsyncContext*, int) {}

  // A round of asking the sentinels (adapters/redis/sentinel.hpp decides, this carries it out):
  // connects to the primary named, or pauses with the usual backoff and asks again.
  static asio::awaitable<void> discover(std::shared_ptr<connection_impl> self) {
    using kind = sentinel_discovery::action::kind;
    auto a = self->discovery_.start();
    while (!self->stopping_ && a.what == kind::ask) {
      auto r = co_await self->sentinels_[a.sentinel]->command(master_address_command(self->sentinel_.master));
      a = self->discovery_.answered(r ? &*r : nullptr);
    }
    self->discovering_ = false;
    if (self->stopping_) co_return;
    if (a.what == kind::connect) {
      if (!(a.primary == self->ep_))
        spdlog::info("redis: the sentinels name {}:{} the primary", a.primary.host, a.primary.port);
      self->ep_ = std::move(a.primary);
      self->primary_named_ = true;
      self->connect();
      co_return;
    }
    if (!self->connect_failure_logged_) {
      spdlog::warn("redis: no sentinel names a primary for \"{}\" yet", self->sentinel_.master);
      self->connect_failure_logged_ = true;
    }
    self->schedule_reconnect();
  }

  std::string describe() const {
    return ep_.unix_socket.empty() ? ep_.host + ":" + std::to_string(ep_.port) : "unix:" + ep_.unix_socket;
  }

  void connect() {
    if (stopping_ || ac_ || discovering_) return;
    // Through Sentinel, every connect follows a fresh answer: the primary may have moved.
    if (!sentinels_.empty() && !std::exchange(primary_named_, false)) {
      discovering_ = true;
      asio::co_spawn(ex_, discover(shared_from_this()), asio::detached);
      return;
    }
    redisAsyncContext* ac = ep_.unix_socket.empty() ? redisAsyncConnect(ep_.host.c_str(), ep_.port)
                                                    : redisAsyncConnectUnix(ep_.unix_socket.c_str());
    if (!ac || ac->err) {
      if (!connect_failure_logged_) {
        spdlog::warn("redis: cannot connect to {}: {}", describe(), ac ? ac->errstr : "out of memory");
        connect_failure_logged_ = true;
      }
      if (ac) redisAsyncFree(ac);
      schedule_reconnect();
      return;
    }
    ac_ = ac;
    ++gen_;
    sd_ = std::make_unique<asio::posix::stream_descriptor>(ex_, ac->c.fd);
    ac->ev.data = this;
    ac->ev.addRead = &connection_impl::ev_add_read;
    ac->ev.delRead = &connection_impl::ev_del_read;
    ac->ev.addWrite = &connection_impl::ev_add_write;
    ac->ev.delWrite = &connection_impl::ev_del_write;
    ac->ev.cleanup = &connection_impl::ev_cleanup;
    redisAsyncSetDisconnectCallback(ac, &connection_impl::on_disconnect);
    redisAsyncSetConnectCallback(ac, &connection_impl::on_connect);  // arms the first write wait
    // A connect that never completes (a black-holed address) is given up after the timeout.
    reconnect_timer_.expires_after(opt_.connect_timeout);
    reconnect_timer_.async_wait([self = shared_from_this(), gen = gen_](error_code ec) {
      if (ec || gen != self->gen_ || self->connected_ || !self->ac_) return;
      spdlog::warn("redis: connect to {} timed out", self->describe());
      redisAsyncFree(self->ac_);
    });
  }

  void schedule_reconnect() {
    reconnect_timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, opt_.backoff_max);
    reconnect_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->connect();
    });
  }

  asio::any_io_executor ex_;
  endpoint ep_;  // through Sentinel, the primary last named
  options opt_;
  sentinel_settings sentinel_;
  sentinel_discovery discovery_;
  std::vector<std::shared_ptr<connection>> sentinels_;
  bool discovering_ = false;
  bool primary_named_ = false;  // a fresh answer of the sentinels waits to be connected to
  redisAsyncContext* ac_ = nullptr;
  std::unique_ptr<asio::posix::stream_descriptor> sd_;
  std::uint64_t gen_ = 0;
  std::uint64_t next_id_ = 1;
  std::deque<pending> inflight_;
  asio::steady_timer timeout_timer_;
  asio::steady_timer reconnect_timer_;
  std::chrono::milliseconds backoff_;
  bool connected_ = false;
  bool stopping_ = false;
  direction read_{asio::posix::stream_descriptor::wait_read, &redisAsyncHandleRead};
  direction write_{asio::posix::stream_descriptor::wait_write, &redisAsyncHandleWrite};
  bool connect_failure_logged_ = false;
};

}  // namespace

std::shared_ptr<connection> connection::create(asio::any_io_executor ex, endpoint ep, options opt,
                                               sentinel_settings sentinel) {
  auto c = std::make_shared<connection_impl>(ex, std::move(ep), opt, std::move(sentinel));
  c->start();
  return c;
}

}  // namespace halfhour::redis
