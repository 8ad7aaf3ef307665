#include "core/clock.h"

#include <chrono>

namespace zb {

Date Clock::Today(int offset_minutes) const { return LocalDate(NowMs(), offset_minutes); }

const SystemClock& SystemClock::Get() {
  static const SystemClock kInstance;
  return kInstance;
}

int64_t SystemClock::NowMs() const {
  using namespace std::chrono;
  return floor<milliseconds>(system_clock::now()).time_since_epoch().count();
}

}  // namespace zb
