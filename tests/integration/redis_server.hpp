// A real redis-server for one test: its own temp dir, a unix socket, AOF on, killed at the end.
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace halfhour::testing {

class redis_server {
 public:
  redis_server() {
    char tmpl[] = "/tmp/halfhour-redis-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    start();
  }
  ~redis_server() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  std::string socket() const { return dir_ + "/redis.sock"; }
  std::string dir() const { return dir_; }

  void start() {
    std::vector<std::string> args{"redis-server", "--port", "0", "--unixsocket", socket(), "--dir", dir_,
                                  "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--loglevel",
                                  "warning",
                                  // As deploy/redis.conf: the buckets of armed steps stay compact.
                                  "--hash-max-listpack-value", "4096"};
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp("redis-server", argv.data());
      _exit(127);
    }
    // Wait for the socket to appear (bounded): the server is ready once it listens.
    for (int i = 0; i < 500; ++i) {
      if (std::filesystem::exists(socket())) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("redis-server did not start (is it installed?)");
  }

  // Freezes the server (SIGSTOP) or thaws it (SIGCONT): a Redis that accepts but never answers.
  void pause(bool frozen) { kill(pid_, frozen ? SIGSTOP : SIGCONT); }

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGCONT);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    std::error_code ignored;
    std::filesystem::remove(socket(), ignored);
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
};

}  // namespace halfhour::testing
