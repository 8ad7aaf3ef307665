#include "core/ids.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace zb {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Reads from /dev/urandom; false on failure.
bool ReadUrandom(unsigned char* p, size_t n) {
  int fd;
  do {
    fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return false;
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      ::close(fd);
      return false;
    }
    p += r;
    n -= static_cast<size_t>(r);
  }
  ::close(fd);
  return true;
}

// splitmix64's finalizer: a bijection on 64-bit integers, so distinct
// counters give distinct ids.
constexpr uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::atomic<uint64_t> g_request_counter{0};

void SeedRequestCounter() {
  uint64_t seed;
  FillRandom(&seed, sizeof(seed));
  g_request_counter.store(seed, std::memory_order_relaxed);
}

struct RequestIdInit {
  RequestIdInit() {
    SeedRequestCounter();
    // A forked child would otherwise repeat its parent's ids.
    ::pthread_atfork(nullptr, nullptr, &SeedRequestCounter);
  }
};

}  // namespace

void FillRandom(void* out, size_t bytes) {
  auto* p = static_cast<unsigned char*>(out);
  size_t n = bytes;
  while (n > 0) {
    // getrandom returns at most 33554431 bytes per call; small requests are
    // never interrupted once the pool is initialised.
    ssize_t r = ::getrandom(p, n, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOSYS && ReadUrandom(p, n)) return;
      std::abort();  // no CSPRNG: refuse to hand out guessable tokens
    }
    p += r;
    n -= static_cast<size_t>(r);
  }
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  FillRandom(raw.data(), bytes);
  std::string out(bytes * 2, '0');
  for (size_t i = 0; i < bytes; ++i) {
    auto b = static_cast<unsigned char>(raw[i]);
    out[2 * i] = kHex[b >> 4];
    out[2 * i + 1] = kHex[b & 0xF];
  }
  return out;
}

std::string NewRequestId() {
  static const RequestIdInit kInit;  // once, thread-safe
  uint64_t v = Mix(g_request_counter.fetch_add(1, std::memory_order_relaxed));
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[i] = kHex[v & 0xF];
    v >>= 4;
  }
  return out;
}

bool IsSafeId(std::string_view id) {
  if (id.empty() || id.size() > kMaxSafeIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = diff | static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace zb
