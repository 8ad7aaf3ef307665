#include "http/server.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "core/ids.h"
#include "http/worker_pool.h"

namespace zb::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

class Session;
// Concrete executor types (no type erasure on every operation).
using Strand = net::strand<net::io_context::executor_type>;
using Stream = beast::basic_stream<tcp, Strand>;

struct Server::Impl {
  Impl(ServerOptions o, Service& s) : options(std::move(o)), service(s) {
    // Deferred work (responses to write) reaches the I/O thread in batches.
    workers = std::make_unique<WorkerPool>(options.workers, [this](std::vector<Task>&& batch) {
      net::post(ioc, [batch = std::move(batch)]() mutable {
        for (Task& t : batch) t();
      });
    });
  }

  ServerOptions options;
  Service& service;
  std::mutex mu;                                            // guards sessions
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::atomic<bool> draining{false};
  // Declared after `mu`/`sessions`: destroyed first, so sessions still queued
  // in it can unregister safely.
  net::io_context ioc{std::max(1, options.io_threads)};
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc};
  net::steady_timer shutdown_timer{ioc};
  net::steady_timer accept_retry{ioc};
  // Declared last: its threads post to `ioc`, so it stops first.
  std::unique_ptr<WorkerPool> workers;

  void DoAccept();
  void BeginShutdown();
  void Unregister(Session* s);
};

// On every response, API and web app alike: only this origin's scripts and
// styles (Element Plus sets inline style attributes, hence 'unsafe-inline'
// for styles only), no framing, no MIME sniffing, no referrer to others.
template <typename Message>
void AddSecurityHeaders(Message& m) {
  m.set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
        "form-action 'self'");
  m.set("X-Content-Type-Options", "nosniff");
  m.set("X-Frame-Options", "DENY");
  m.set("Referrer-Policy", "same-origin");
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Strand strand, Server::Impl& server) : stream_(std::move(strand)), server_(server) {}
  ~Session() {
    if (registered_) server_.Unregister(this);
  }

  Stream::socket_type& socket() { return stream_.socket(); }

  // Called once the socket is accepted.
  void Start() {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    remote_ip_ = ec ? "-" : ep.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
    registered_ = true;
    {
      std::lock_guard lock(server_.mu);
      server_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
  }

  // Called on the session's strand at shutdown: an idle connection closes now;
  // a busy one closes after its response (Write sees `draining`).
  void Drain() {
    if (!busy_) Close();
  }

  Strand executor() { return stream_.get_executor(); }

 private:
  // Waits for the first byte of the next request under the idle timeout; the
  // request itself then has read_timeout to arrive whole.
  void WaitForRequest() {
    if (server_.draining.load()) return Close();
    if (buffer_.size() > 0) return ReadHeader();
    stream_.expires_after(server_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(8192),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options.header_limit));
    parser_->body_limit(server_.options.body_limit);
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    auto& msg = parser_->get();
    if (beast::iequals(msg[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, msg.version());
      bhttp::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code ec, size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRequest(ec); });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Reject(Status(StatusCode::kPayloadTooLarge,
                           "请求体超过上限 " + std::to_string(server_.options.body_limit) +
                               " 字节 (request body too large)",
                           "body"),
                    413);
    }
    if (ec == bhttp::error::header_limit) {
      return Reject(BadRequest("请求头过大 (request header fields too large)", "headers"), 431);
    }
    if (ec.category() == beast::error_code(bhttp::error::end_of_stream).category() &&
        ec != bhttp::error::end_of_stream &&
        ec != bhttp::error::partial_message) {
      return Reject(BadRequest(std::string("请求格式不正确 (malformed HTTP request): ") + ec.message()), 400);
    }
    Close();  // EOF, timeout, reset, shutdown
  }

  void OnRequest(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    BeastRequest msg = parser_->release();
    parser_.reset();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    head_ = msg.method() == bhttp::verb::head;
    std::string method(msg.method_string()), target(msg.target());
    auto req = Request::From(std::move(msg), remote_ip_);
    if (!req.ok()) {
      Response r = server_.service.Reject(req.status(), NewRequestId(), remote_ip_, method, target);
      return Write(std::move(r));
    }
    server_.workers->Submit([self = shared_from_this(), req = std::move(*req)]() mutable {
      Response r = self->server_.service.Handle(req);
      r.With("X-Request-Id", req.request_id());
      WorkerPool::Defer([self = std::move(self), r = std::move(r)]() mutable {
        auto exec = self->executor();
        net::dispatch(exec, [self = std::move(self), r = std::move(r)]() mutable { self->Write(std::move(r)); });
      });
    });
  }

  void Reject(const Status& s, int http_status) {
    std::string rid = NewRequestId();
    std::string method, target;
    if (parser_ && parser_->is_header_done()) {
      method = std::string(parser_->get().method_string());
      target = std::string(parser_->get().target());
      version_ = parser_->get().version();
    }
    Response r = server_.service.Reject(s, rid, remote_ip_, method, target);
    r.status = http_status;
    r.With("X-Request-Id", rid);
    keep_alive_ = false;  // the stream position is unknown: close after answering
    busy_ = true;
    Write(std::move(r));
  }

  void Write(Response r) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(r.status),
                                                                      version_ ? version_ : 11);
    if (!r.content_type.empty()) res->set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res->insert(k, v);
    AddSecurityHeaders(*res);
    res->body() = std::move(r.body);
    bool ka = keep_alive_ && !server_.draining.load();
    res->keep_alive(ka);
    res->prepare_payload();
    if (head_) res->body().clear();  // Content-Length stays that of the GET
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res, ka](beast::error_code ec, size_t) {
      self->busy_ = false;
      if (ec || !ka) return self->Close();
      self->WaitForRequest();
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  std::string remote_ip_;
  bool registered_ = false;
  bool busy_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
};

void Server::Impl::Unregister(Session* s) {
  bool last = false;
  {
    std::lock_guard lock(mu);
    sessions.erase(s);
    last = sessions.empty();
  }
  if (last && draining.load()) ioc.stop();
}

void Server::Impl::DoAccept() {
  auto session = std::make_shared<Session>(net::make_strand(ioc.get_executor()), *this);
  acceptor.async_accept(session->socket(), [this, session](beast::error_code ec) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      // e.g. EMFILE: back off briefly instead of spinning.
      spdlog::warn("accept: {}", ec.message());
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](beast::error_code) { if (!draining.load()) DoAccept(); });
      return;
    }
    session->Start();
    DoAccept();
  });
}

void Server::Impl::BeginShutdown() {
  if (draining.exchange(true)) return;
  spdlog::info("shutting down: no new connections; finishing requests in flight");
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  accept_retry.cancel();
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu);
    for (auto& [p, w] : sessions) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    net::post(s->executor(), [s] { s->Drain(); });
  }
  live.clear();
  shutdown_timer.expires_after(options.shutdown_timeout);
  shutdown_timer.async_wait([this](beast::error_code ec) {
    if (!ec) {
      spdlog::warn("shutdown timeout: closing remaining connections");
      ioc.stop();
    }
  });
  std::lock_guard lock(mu);
  if (sessions.empty()) ioc.stop();
}

Server::Server(ServerOptions options, Service& service)
    : impl_(std::make_unique<Impl>(std::move(options), service)) {}

Server::~Server() {
  if (impl_) {
    impl_->ioc.stop();
    impl_->workers->Shutdown();
  }
}

Status Server::Listen() {
  beast::error_code ec;
  auto addr = net::ip::make_address(impl_->options.host, ec);
  if (ec) return ValidationFailed("监听地址不正确 (bad listen address): " + impl_->options.host, "listen");
  tcp::endpoint ep(addr, impl_->options.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Unavailable("无法监听 " + impl_->options.host + ":" + std::to_string(impl_->options.port) + " (" +
                       ec.message() + ")");
  }
  port_ = a.local_endpoint().port();
  return Status::Ok();
}

void Server::Run(bool handle_signals) {
  Impl& im = *impl_;
  if (handle_signals) {
    im.signals.add(SIGINT);
    im.signals.add(SIGTERM);
    im.signals.async_wait([&im](beast::error_code ec, int) {
      if (!ec) im.BeginShutdown();
    });
  }
  im.DoAccept();
  std::vector<std::thread> extra;
  for (int i = 1; i < im.options.io_threads; ++i) extra.emplace_back([&im] { im.ioc.run(); });
  im.ioc.run();
  for (auto& t : extra) t.join();
  im.workers->Shutdown();  // handlers already running finish
}

void Server::Shutdown() {
  net::post(impl_->ioc, [im = impl_.get()] { im->BeginShutdown(); });
}

}  // namespace zb::http
