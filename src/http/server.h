// Server: the Beast listener and sessions.
//
// I/O threads (1–2) only read, parse and write; every parsed request is
// handed to a worker pool where Service::Handle runs (it may block on the
// database), and the response is posted back to the session's strand.
// Limits: header bytes, body bytes (413), and a read timeout that covers the
// whole request head and body, so a slowloris client is dropped. Keep-alive
// connections wait at most idle_timeout for their next request.
//
// Shutdown(): stop accepting, close idle connections, let requests already
// being handled finish and be answered (with Connection: close), then return
// from Run(). Requests still running after shutdown_timeout are abandoned.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "http/service.h"

namespace zb::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: pick a free port; see Server::port()
  int io_threads = 1;
  int workers = 4;
  size_t header_limit = 16 * 1024;
  size_t body_limit = 8 * 1024 * 1024;
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds shutdown_timeout{10000};
};

class Server {
 public:
  Server(ServerOptions options, Service& service);
  ~Server();

  // Binds and listens. Fails with kUnavailable when the address is in use.
  Status Listen();
  uint16_t port() const { return port_; }

  // Serves until Shutdown() (or SIGINT/SIGTERM when handle_signals) and the
  // drain completes. Blocks; runs the I/O threads and the worker pool.
  void Run(bool handle_signals);

  // Thread-safe; may be called from any thread, including a handler.
  void Shutdown();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace zb::http
