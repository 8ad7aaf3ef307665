#include "domain/schedule.h"

#include <algorithm>
#include <limits>

namespace zb::domain {
namespace {

constexpr int64_t kNoBound = std::numeric_limits<int64_t>::max();
// An absent part of a day-invariant slot max(A, t0 + k) (see the header).
constexpr int64_t kAbsent = std::numeric_limits<int64_t>::min();
int64_t Plus(int64_t x, int64_t c) { return x == kAbsent ? kAbsent : x + c; }

struct EventDef {
  NodeEvent event;
  std::string_view code, label;
};
constexpr EventDef kEvents[] = {
    {NodeEvent::kNone, "", ""},
    {NodeEvent::kSigned, "signed", "签约"},
    {NodeEvent::kStarted, "started", "开工"},
    {NodeEvent::kCompleted, "completed", "竣工"},
    {NodeEvent::kOperating, "operating", "投产"},
};

// Links grouped by their `to` (predecessors) and by their `from`
// (successors), as link indices in CSR form: pred_link[pred_begin[v] ..
// pred_begin[v+1]) are the links into v. Links must be in range.
struct Adjacency {
  std::vector<int> pred_begin, pred_link, succ_begin, succ_link;

  Adjacency(int n, const std::vector<ScheduleLink>& links) {
    Group(n, links, &ScheduleLink::to, pred_begin, pred_link);
    Group(n, links, &ScheduleLink::from, succ_begin, succ_link);
  }

  static void Group(int n, const std::vector<ScheduleLink>& links, int ScheduleLink::*key,
                    std::vector<int>& begin, std::vector<int>& out) {
    begin.assign(static_cast<size_t>(n) + 1, 0);
    for (const ScheduleLink& l : links) ++begin[l.*key + 1];
    for (int v = 0; v < n; ++v) begin[v + 1] += begin[v];
    out.resize(links.size());
    std::vector<int> next(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < links.size(); ++i) out[next[links[i].*key]++] = static_cast<int>(i);
  }
};

// Kahn's algorithm: the nodes in an order where every link goes forward,
// sources taken in index order. Shorter than n when there is a cycle.
std::vector<int> TopologicalOrder(int n, const std::vector<ScheduleLink>& links, const Adjacency& adj,
                                  std::vector<int>& indegree) {
  indegree.assign(n, 0);
  for (const ScheduleLink& l : links) ++indegree[l.to];
  std::vector<int> order;
  order.reserve(n);
  for (int v = 0; v < n; ++v) {
    if (indegree[v] == 0) order.push_back(v);
  }
  for (size_t head = 0; head < order.size(); ++head) {
    const int v = order[head];
    for (int k = adj.succ_begin[v]; k < adj.succ_begin[v + 1]; ++k) {
      const int w = links[adj.succ_link[k]].to;
      if (--indegree[w] == 0) order.push_back(w);
    }
  }
  return order;
}

// After Kahn stopped short, every node left with indegree > 0 has a
// predecessor that is also left, so walking predecessors among them must
// come back on itself: that loop is a cycle.
std::vector<int> CycleAmongLeftovers(int n, const std::vector<ScheduleLink>& links, const Adjacency& adj,
                                     const std::vector<int>& indegree) {
  int v = 0;
  while (indegree[v] == 0) ++v;
  std::vector<int> seen_at(n, -1), walk;
  while (seen_at[v] < 0) {
    seen_at[v] = static_cast<int>(walk.size());
    walk.push_back(v);
    for (int k = adj.pred_begin[v];; ++k) {
      const int p = links[adj.pred_link[k]].from;
      if (indegree[p] > 0) {
        v = p;
        break;
      }
    }
  }
  // walk[seen_at[v]..] follows links backwards; turn it round and start it
  // at its smallest node.
  std::vector<int> cycle(walk.rbegin(), walk.rend() - seen_at[v]);
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  cycle.push_back(cycle.front());
  return cycle;
}

}  // namespace

int64_t StartSlot(Date today, const WorkCalendar& cal) { return cal.Ordinal(cal.AddWorkingDays(today, 0)); }

Date DayInvariantDate::AtSlot(int64_t t0, const WorkCalendar& cal) const {
  if (!offset) return fixed.value_or(Date());
  const Date moving = cal.FromOrdinal(t0 + *offset);
  return fixed && *fixed > moving ? *fixed : moving;
}

Date DayInvariantDate::At(Date today, const WorkCalendar& cal) const {
  return AtSlot(StartSlot(today, cal), cal);
}

std::string_view NodeEventCode(NodeEvent e) { return kEvents[static_cast<int>(e)].code; }
std::string_view NodeEventLabel(NodeEvent e) { return kEvents[static_cast<int>(e)].label; }

std::optional<NodeEvent> ParseNodeEvent(std::string_view code_or_label) {
  for (const EventDef& d : kEvents) {
    if (code_or_label == d.code || code_or_label == d.label) return d.event;
  }
  return std::nullopt;
}

std::vector<int> FindCycle(int node_count, const std::vector<ScheduleLink>& links) {
  const Adjacency adj(node_count, links);
  std::vector<int> indegree;
  if (static_cast<int>(TopologicalOrder(node_count, links, adj, indegree).size()) == node_count) return {};
  return CycleAmongLeftovers(node_count, links, adj, indegree);
}

std::string CycleMessage(const std::vector<std::string_view>& names_in_order) {
  std::string chain;
  for (std::string_view name : names_in_order) {
    if (!chain.empty()) chain += " → ";
    chain += name;
  }
  return "节点存在循环依赖:" + chain + " (dependency cycle: " + chain + ")";
}

StatusOr<Schedule> ComputeSchedule(const ScheduleInput& in, const WorkCalendar& cal) {
  const int n = static_cast<int>(in.nodes.size());
  const auto& nodes = in.nodes;
  const auto& links = in.links;

  // ---- refusals: never a schedule with wrong dates ----
  for (int i = 0; i < n; ++i) {
    const ScheduleNodeInput& node = nodes[i];
    auto field = [i](const char* name) { return "nodes[" + std::to_string(i) + "]." + name; };
    if (node.duration < 0 || node.duration > kMaxWorkingDays) {
      return ValidationFailed(node.name + " 的工期应为 0–" + std::to_string(kMaxWorkingDays) +
                                  " 个工作日 (duration must be 0.." + std::to_string(kMaxWorkingDays) +
                                  " working days)",
                              field("duration"));
    }
    if (node.actual_start && node.actual_finish && *node.actual_finish < *node.actual_start) {
      return ValidationFailed(node.name + " 的实际完成日早于实际开始日 (actual finish before actual start)",
                              field("actual_finish"));
    }
  }
  for (const ScheduleLink& l : links) {
    if (l.from < 0 || l.from >= n || l.to < 0 || l.to >= n) {
      return ValidationFailed("依赖关系引用了不存在的节点 (a link names a node that does not exist)", "links");
    }
    if (l.from == l.to) {
      return ValidationFailed(nodes[l.from].name + " 不能依赖自身 (a node cannot depend on itself)", "links");
    }
    if (l.lag < 0 || l.lag > kMaxWorkingDays) {
      return ValidationFailed(nodes[l.from].name + " → " + nodes[l.to].name + " 的间隔应为 0–" +
                                  std::to_string(kMaxWorkingDays) + " 个工作日 (lag must be 0.." +
                                  std::to_string(kMaxWorkingDays) + " working days)",
                              "links");
    }
  }
  const Adjacency adj(n, links);
  std::vector<int> indegree;
  const std::vector<int> order = TopologicalOrder(n, links, adj, indegree);
  if (static_cast<int>(order.size()) < n) {
    std::vector<std::string_view> names;
    for (int v : CycleAmongLeftovers(n, links, adj, indegree)) names.push_back(nodes[v].name);
    return ValidationFailed(CycleMessage(names), "links");
  }

  // ---- the passes, in slots (see the header) ----
  // Per node: start S, finish boundary F, latest finish boundary LF (kNoBound
  // when unconstrained), its own target bound, and the target that binds LF.
  struct Slots {
    int64_t s = 0, f = 0, lf = kNoBound, bound = kNoBound;
    // S = max(sa, t0 + sk), F = max(fa, t0 + fk), parts kAbsent when absent.
    int64_t sa = kAbsent, sk = kAbsent, fa = kAbsent, fk = kAbsent;
    int binding = -1;
    bool done = false, started = false;
  };
  std::vector<Slots> x(n);
  const int64_t t0 = StartSlot(in.today, cal);
  // The slot of a node's finish date: its last working day, or a milestone's one.
  auto last_slot = [&](int v, int64_t f) { return nodes[v].duration > 0 ? f - 1 : f; };

  for (int v : order) {
    const ScheduleNodeInput& node = nodes[v];
    Slots& sv = x[v];
    const int d = node.duration;
    if (node.target) sv.bound = cal.Ordinal(*node.target) + (d > 0 ? 1 : 0);
    if (node.actual_finish) {
      sv.done = sv.started = true;
      sv.f = cal.Ordinal(*node.actual_finish) + (d > 0 ? 1 : 0);
      sv.s = d > 0 && node.actual_start ? cal.Ordinal(*node.actual_start) : sv.f - d;
      sv.sa = sv.s;
      sv.fa = sv.f;
    } else if (node.actual_start && d > 0) {  // a milestone is never "in progress"
      sv.started = true;
      sv.s = cal.Ordinal(*node.actual_start);
      sv.f = std::max(sv.s + d, t0 + 1);  // unfinished work finishes today at the earliest
      sv.sa = sv.s;
      sv.fa = sv.s + d;
      sv.fk = 1;
    } else {
      sv.s = t0;
      sv.sk = 0;
      for (int k = adj.pred_begin[v]; k < adj.pred_begin[v + 1]; ++k) {
        const ScheduleLink& l = links[adj.pred_link[k]];
        const Slots& sp = x[l.from];
        sv.s = std::max(sv.s, sp.f + l.lag);
        sv.sa = std::max(sv.sa, Plus(sp.fa, l.lag));
        sv.sk = std::max(sv.sk, Plus(sp.fk, l.lag));
      }
      sv.f = sv.s + d;
      sv.fa = Plus(sv.sa, d);
      sv.fk = sv.sk + d;
    }
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const int v = *it;
    Slots& sv = x[v];
    sv.lf = sv.bound;
    if (sv.bound != kNoBound) sv.binding = v;
    for (int k = adj.succ_begin[v]; k < adj.succ_begin[v + 1]; ++k) {
      const ScheduleLink& l = links[adj.succ_link[k]];
      const Slots& sw = x[l.to];
      if (sw.lf == kNoBound) continue;
      const int64_t lf = sw.lf - nodes[l.to].duration - l.lag;
      if (lf < sv.lf) {
        sv.lf = lf;
        sv.binding = sw.binding;
      }
    }
  }

  Schedule out;
  out.nodes.resize(n);
  out.targets.reserve(n);
  for (int v = 0; v < n; ++v) {
    const ScheduleNodeInput& node = nodes[v];
    const Slots& sv = x[v];
    NodeSchedule& ns = out.nodes[v];
    ns.done = sv.done;
    ns.started = sv.started;
    ns.forecast_start = sv.started && node.actual_start && node.duration > 0 ? *node.actual_start
                                                                             : cal.FromOrdinal(sv.s);
    ns.forecast_finish = sv.done ? *node.actual_finish : cal.FromOrdinal(last_slot(v, sv.f));
    // The same, day-invariant (see the header).
    if (sv.started && node.actual_start && node.duration > 0) {
      ns.forecast_start_form.fixed = *node.actual_start;
    } else {
      if (sv.sa != kAbsent) ns.forecast_start_form.fixed = cal.FromOrdinal(sv.sa);
      if (sv.sk != kAbsent) ns.forecast_start_form.offset = sv.sk;
    }
    if (sv.done) {
      ns.forecast_finish_form.fixed = *node.actual_finish;
    } else {
      if (sv.fa != kAbsent) ns.forecast_finish_form.fixed = cal.FromOrdinal(last_slot(v, sv.fa));
      if (sv.fk != kAbsent) ns.forecast_finish_form.offset = last_slot(v, sv.fk);
    }
    if (sv.lf != kNoBound) {
      ns.latest_finish = cal.FromOrdinal(last_slot(v, sv.lf));
      ns.latest_start = cal.FromOrdinal(sv.lf - node.duration);
      ns.slack = sv.lf - sv.f;
    }
  }

  // ---- per target: forecast and slip, its critical path, passed targets,
  // targets it contradicts ----
  std::vector<int64_t> lft(n);  // latest finish toward this target alone
  std::vector<int> position(n);
  for (int i = 0; i < n; ++i) position[order[i]] = i;
  for (int t = 0; t < n; ++t) {
    if (!nodes[t].target) continue;
    const Slots& st = x[t];
    const Date target = *nodes[t].target;
    out.targets.push_back({t, target, out.nodes[t].forecast_finish, std::max<int64_t>(0, st.f - st.bound)});
    if (!st.done && target < in.today) {
      out.problems.push_back({ScheduleProblem::Kind::kTargetPassed, {t},
                              nodes[t].name + " 目标日期 " + target.ToString() + " 已过,节点尚未完成"});
    }
    std::fill(lft.begin(), lft.end(), kNoBound);
    lft[t] = st.bound;
    const int64_t target_float = st.bound - st.f;
    for (int i = position[t]; i >= 0; --i) {
      const int v = order[i];
      for (int k = adj.succ_begin[v]; k < adj.succ_begin[v + 1]; ++k) {
        const ScheduleLink& l = links[adj.succ_link[k]];
        if (lft[l.to] != kNoBound) lft[v] = std::min(lft[v], lft[l.to] - nodes[l.to].duration - l.lag);
      }
      if (lft[v] == kNoBound || x[v].done) continue;
      // On the driving chain the float equals the target's; below it only
      // where recorded progress contradicts the links — critical all the same.
      if (lft[v] - x[v].f <= target_float) out.nodes[v].critical = true;
      if (v != t && x[v].bound != kNoBound && lft[v] < x[v].bound) {
        out.problems.push_back(
            {ScheduleProblem::Kind::kConflictingTargets, {v, t},
             nodes[v].name + " 目标 " + nodes[v].target->ToString() + " 与 " + nodes[t].name + " 目标 " +
                 target.ToString() + " 冲突:要赶上 " + nodes[t].name + "," + nodes[v].name + " 最晚应于 " +
                 cal.FromOrdinal(last_slot(v, lft[v])).ToString() + " 完成"});
      }
    }
  }

  // Not started and already past its latest start: the durations no longer
  // fit before the target. Only the first such node of a chain is reported —
  // its successors are late because of it — and not when the target itself
  // has passed (kTargetPassed says it).
  std::vector<char> cannot(n, 0);
  for (int v : order) {
    const Slots& sv = x[v];
    if (sv.started || sv.lf == kNoBound || sv.lf - nodes[v].duration >= t0) continue;
    cannot[v] = 1;
    bool inherited = false;
    for (int k = adj.pred_begin[v]; k < adj.pred_begin[v + 1]; ++k) {
      inherited |= cannot[links[adj.pred_link[k]].from] != 0;
    }
    const int b = sv.binding;
    if (inherited || *nodes[b].target < in.today) continue;  // a passed target is reported as such
    out.problems.push_back({ScheduleProblem::Kind::kCannotFit,
                            b == v ? std::vector<int>{v} : std::vector<int>{v, b},
                            nodes[v].name + " 最晚应于 " + out.nodes[v].latest_start->ToString() +
                                " 开始,工期已不足(" + nodes[b].name + " 目标 " + nodes[b].target->ToString() +
                                ")"});
  }
  return out;
}

}  // namespace zb::domain
