#include "http/auth.h"

#include <algorithm>

namespace zb::http {

bool Principal::Has(std::string_view permission) const {
  return std::binary_search(permissions.begin(), permissions.end(), permission,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

}  // namespace zb::http
