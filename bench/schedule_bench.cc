// Scheduling and warnings (issue 5's targets, docs/performance.md
// "Scheduling and warnings"): ComputeSchedule on one 30-node plan, and a
// full recompute — ComputeSchedule + EvaluateNodes + EvaluateProject — of
// 100 000 projects × 12 nodes on one thread, on the real 2023–2026 calendar.
//
//   build-rel/bench/zb_schedule_bench
//
// Plans are generated from the built-in templates: each template node's
// duration varied by ±50 %, a project start between 2024-01 and 2026-05,
// targets on the 开工 and 竣工 nodes up to 40 working days after where a
// plan made on the start day put them, and actual dates on the nodes that
// plan had finished by today (2026-06-15), one in six of them late by up to
// 5 working days more (delays add up along the plan); the node under way is
// started.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "domain/node_templates.h"
#include "domain/schedule.h"
#include "domain/warnings.h"
#include "real_calendar.h"

namespace {

using namespace zb;
using namespace zb::domain;

const Date kToday = zb::testing::D("2026-06-15");

const WorkCalendar& Calendar() {
  static const WorkCalendar cal = zb::testing::RealCalendar();
  return cal;
}

struct Project {
  ScheduleInput plan;
  ProjectFacts facts;
};

// Appends template `t` to `in` (a second phase names its nodes 二期…, and
// starts after the first phase's 开工); returns the index of its first node.
int AppendTemplate(const NodeTemplateDef& t, const std::string& prefix, std::mt19937& rng, ScheduleInput& in) {
  const int base = static_cast<int>(in.nodes.size());
  for (const TemplateNode& n : t.nodes) {
    const int d = n.duration == 0 ? 0 : std::max(1, static_cast<int>(n.duration * (0.5 + (rng() % 101) / 100.0)));
    in.nodes.push_back({prefix + n.name, d, {}, {}, {}});
  }
  for (const TemplateLink& l : t.links) {
    int from = -1, to = -1;
    for (size_t i = 0; i < t.nodes.size(); ++i) {
      if (t.nodes[i].key == l.from) from = base + static_cast<int>(i);
      if (t.nodes[i].key == l.to) to = base + static_cast<int>(i);
    }
    in.links.push_back({from, to, l.lag});
  }
  return base;
}

int EventNode(const ScheduleInput& in, const NodeTemplateDef& t, int base, NodeEvent e) {
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    if (t.nodes[i].event == e) return base + static_cast<int>(i);
  }
  return -1;
}

// A realistic project from template `t` (twice, as two phases, when
// `phases` is 2): targets from the plan made on its start day, actual dates
// up to today.
Project MakeProject(const NodeTemplateDef& t, int phases, std::mt19937& rng) {
  const WorkCalendar& cal = Calendar();
  Project p;
  ScheduleInput& in = p.plan;
  const int base1 = AppendTemplate(t, "", rng, in);
  const int start1 = EventNode(in, t, base1, NodeEvent::kStarted);
  std::vector<int> targets = {start1, EventNode(in, t, base1, NodeEvent::kCompleted)};
  if (phases == 2) {
    const int base2 = AppendTemplate(t, "二期", rng, in);
    in.links.push_back({start1, base2, 60});
    targets.push_back(EventNode(in, t, base2, NodeEvent::kCompleted));
  }
  // The plan as made on the project's start day.
  const Date project_start = cal.AddWorkingDays(zb::testing::D("2024-01-02"), rng() % 590);
  in.today = project_start;
  const Schedule planned = *ComputeSchedule(in, cal);
  for (int v : targets) {
    in.nodes[v].target = cal.AddWorkingDays(planned.nodes[v].forecast_finish, static_cast<int>(rng() % 41));
  }
  // What happened by today: planned work done, some of it late; the node
  // that should be under way started.
  int64_t delay = 0;
  for (size_t v = 0; v < in.nodes.size(); ++v) {
    const NodeSchedule& ns = planned.nodes[v];
    if (rng() % 6 == 0) delay += rng() % 6;
    const Date start = cal.AddWorkingDays(ns.forecast_start, delay);
    const Date finish = cal.AddWorkingDays(ns.forecast_finish, delay);
    if (finish < kToday) {
      if (in.nodes[v].duration > 0) in.nodes[v].actual_start = start;
      in.nodes[v].actual_finish = finish;
    } else if (start < kToday && in.nodes[v].duration > 0) {
      in.nodes[v].actual_start = start;
    }
  }
  in.today = kToday;

  ProjectFacts& f = p.facts;
  f.planned_start = in.nodes[start1].target;
  f.planned_completion = in.nodes[targets[1]].target;
  if (in.nodes[start1].actual_finish) {
    f.stage = ProjectStage::kBuilding;
    f.actual_start = in.nodes[start1].actual_finish;
    // 形象进度 near 时间进度: from 5 points ahead to 30 behind.
    const int64_t span = std::max<int64_t>(1, DaysBetween(*f.planned_start, *f.planned_completion));
    const int64_t time = std::clamp<int64_t>(DaysBetween(*f.planned_start, kToday) * 100 / span, 0, 100);
    f.reported_progress = static_cast<int>(std::clamp<int64_t>(time + 5 - static_cast<int64_t>(rng() % 36), 0, 100));
  } else {
    f.stage = ProjectStage::kPreparing;
  }
  return p;
}

const NodeTemplateDef& TemplateFor(const std::string& category) {
  for (const NodeTemplateDef& t : BuiltinNodeTemplates()) {
    if (t.category == category) return t;
  }
  std::abort();
}

void BM_ScheduleOnePlan30Nodes(benchmark::State& state) {
  // 房地产及棚改 in two phases: 2 × 15 nodes, 33 links, 3 targets.
  std::mt19937 rng(1);
  std::vector<Project> projects;
  for (int i = 0; i < 64; ++i) projects.push_back(MakeProject(TemplateFor("real_estate"), 2, rng));
  const WorkCalendar& cal = Calendar();
  size_t i = 0;
  for (auto _ : state) {
    auto s = ComputeSchedule(projects[i++ % projects.size()].plan, cal);
    benchmark::DoNotOptimize(s);
  }
  state.counters["nodes"] = static_cast<double>(projects[0].plan.nodes.size());
}
BENCHMARK(BM_ScheduleOnePlan30Nodes);

void BM_RecomputeAllWarnings100kx12(benchmark::State& state) {
  // 服务业: 12 nodes, 12 links, 2 targets.
  std::mt19937 rng(2);
  std::vector<Project> projects;
  projects.reserve(100'000);
  for (int i = 0; i < 100'000; ++i) projects.push_back(MakeProject(TemplateFor("services"), 1, rng));
  const WorkCalendar& cal = Calendar();
  const WarningThresholds th;
  int64_t colours[4] = {};
  for (auto _ : state) {
    std::fill(std::begin(colours), std::end(colours), 0);
    for (const Project& p : projects) {
      auto s = ComputeSchedule(p.plan, cal);
      const std::vector<NodeWarning> nodes = EvaluateNodes(p.plan, *s, cal, th);
      const ProjectWarning w = EvaluateProject(p.facts, &p.plan, &*s, &nodes, kToday, cal, th);
      ++colours[static_cast<int>(w.colour)];
    }
  }
  // The generated mix, to check the data looks like a district's.
  for (WarningColour c : {WarningColour::kGreen, WarningColour::kYellow, WarningColour::kRed}) {
    state.counters[std::string(WarningColourCode(c))] =
        static_cast<double>(colours[static_cast<int>(c)]) / static_cast<double>(projects.size());
  }
}
BENCHMARK(BM_RecomputeAllWarnings100kx12)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
