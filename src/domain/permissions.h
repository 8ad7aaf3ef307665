// Permissions: the catalogue of permission strings and the built-in roles.
//
// Contract
// - AllPermissions() lists every permission a route may require, grouped for
//   the role editor's tree (group / group_label), in display order. Codes are
//   "<resource>:<verb>" and unique. A route's permission must be one of
//   these (IsKnownPermission); public routes (health, version, sign-in) need
//   none. project:*, enterprise:* and problem:* are declared now for the
//   next issues so that roles can be set up once.
// - BuiltinRoles() are created by `zhuanban init` and cannot be deleted;
//   their permissions are all known. What each may do:
//     admin       系统管理员        all             every permission
//     leader      领导              all             business and org/user reads
//                                                  (not role/session/audit
//                                                  logs: those are the
//                                                  administrator's and
//                                                  auditor's — 等保 三员分立)
//     bureau      重点办/项目服务局  all             business read+write (incl.
//                                                  problem:assign), org:read,
//                                                  user:read, dict:write
//     town        镇街园区          unit_and_below  business read+write, org:read,
//                                                  user:read
//     department  责任部门          unit            business read, problem:write
//                                                  (handle what is assigned),
//                                                  org:read
//     liaison     包联人员          self            business read, problem:write
//                                                  (report), org:read
//     enterprise  企业              self            project/enterprise/problem
//                                                  read, problem:write (submit
//                                                  诉求)
//     readonly    只读              unit_and_below  business reads, org:read,
//                                                  user:read
//   Issue 5 adds calendar:write (the working-day calendar: the admin's),
//   template:write (node templates and warning thresholds: admin, bureau)
//   and node:progress (record a node's progress: bureau, town, department,
//   liaison — the people who follow the project on the ground).
//   Issue 6 adds problem:supervise (督办: admin, leader, bureau).
//   token:manage (own API tokens) is the admin's only, for integrations; a
//   custom role may add it. dict:write (the configurable dictionaries:
//   行业, 产业板块, 项目类别) is the admin's and 重点办's.
#pragma once

#include <string_view>
#include <vector>

#include "domain/data_scope.h"

namespace zb::domain {

struct PermissionDef {
  std::string_view code;         // "org:read"
  std::string_view label;        // "组织机构查看"
  std::string_view group;        // "org"
  std::string_view group_label;  // "组织机构"
};

const std::vector<PermissionDef>& AllPermissions();
bool IsKnownPermission(std::string_view code);
const PermissionDef* FindPermission(std::string_view code);  // nullptr if unknown

struct BuiltinRole {
  std::string_view code;
  std::string_view name;  // zh-CN
  DataScope scope;
  std::vector<std::string_view> permissions;
};

const std::vector<BuiltinRole>& BuiltinRoles();
const BuiltinRole* FindBuiltinRole(std::string_view code);  // nullptr if not built in

}  // namespace zb::domain
