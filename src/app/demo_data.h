// Deterministic demo data: the same seed gives the same records, so a demo
// can be rebuilt and a benchmark repeated. Names are made of parts an office
// in 烟台 would recognise (字号 + 行业 + 组织形式); credit codes pass both
// checks but are made up (domain::MakeCreditCode), never a real company's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/enterprise_repo.h"

namespace zb::app {

// `count` enterprises spread over `unit_ids` (round robin after a shuffle),
// with industries from the 行业 dictionary codes, about a third 规上, a
// contact each and a few tags. created_by is left unset.
std::vector<storage::NewEnterprise> DemoEnterprises(const std::vector<int64_t>& unit_ids, int count,
                                                    uint64_t seed);

}  // namespace zb::app
