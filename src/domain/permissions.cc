#include "domain/permissions.h"

namespace zb::domain {

const std::vector<PermissionDef>& AllPermissions() {
  static const std::vector<PermissionDef> kPermissions = {
      {"org:read", "组织机构查看", "org", "组织机构"},
      {"org:write", "组织机构维护", "org", "组织机构"},
      {"user:read", "用户查看", "user", "用户管理"},
      {"user:write", "用户维护", "user", "用户管理"},
      {"role:read", "角色查看", "role", "角色管理"},
      {"role:write", "角色维护", "role", "角色管理"},
      {"session:read", "在线用户查看", "session", "在线用户"},
      {"session:revoke", "强制下线", "session", "在线用户"},
      {"token:manage", "管理本人 API 令牌", "token", "API 令牌"},
      {"audit:read", "审计日志查看", "audit", "审计与日志"},
      {"audit:export", "审计日志导出", "audit", "审计与日志"},
      {"loginlog:read", "登录日志查看", "audit", "审计与日志"},
      {"dict:write", "字典维护", "dict", "数据字典"},
      {"calendar:write", "工作日历维护", "calendar", "工作日历"},
      {"project:read", "项目查看", "project", "项目"},
      {"project:write", "项目维护", "project", "项目"},
      {"template:write", "节点模板维护", "project", "项目"},
      {"node:progress", "节点进度填报", "project", "项目"},
      {"enterprise:read", "企业查看", "enterprise", "企业"},
      {"enterprise:write", "企业维护", "enterprise", "企业"},
      {"problem:read", "问题诉求查看", "problem", "问题诉求"},
      {"problem:write", "问题诉求提报与办理", "problem", "问题诉求"},
      {"problem:assign", "问题诉求交办", "problem", "问题诉求"},
      {"problem:supervise", "督办", "problem", "问题诉求"},
  };
  return kPermissions;
}

const PermissionDef* FindPermission(std::string_view code) {
  for (const auto& p : AllPermissions()) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

bool IsKnownPermission(std::string_view code) { return FindPermission(code) != nullptr; }

namespace {

std::vector<std::string_view> AllCodes() {
  std::vector<std::string_view> out;
  for (const auto& p : AllPermissions()) out.push_back(p.code);
  return out;
}

}  // namespace

const std::vector<BuiltinRole>& BuiltinRoles() {
  static const std::vector<BuiltinRole> kRoles = {
      {"admin", "系统管理员", DataScope::kAll, AllCodes()},
      {"leader", "领导", DataScope::kAll,
       {"org:read", "user:read", "project:read", "enterprise:read", "problem:read", "problem:supervise"}},
      {"bureau", "重点办/项目服务局", DataScope::kAll,
       {"org:read", "user:read", "project:read", "project:write", "enterprise:read", "enterprise:write",
        "problem:read", "problem:write", "problem:assign", "problem:supervise", "dict:write", "template:write",
        "node:progress"}},
      {"town", "镇街园区", DataScope::kUnitAndBelow,
       {"org:read", "user:read", "project:read", "project:write", "enterprise:read", "enterprise:write",
        "problem:read", "problem:write", "problem:assign", "node:progress"}},
      {"department", "责任部门", DataScope::kUnit,
       {"org:read", "project:read", "enterprise:read", "problem:read", "problem:write", "node:progress"}},
      {"liaison", "包联人员", DataScope::kSelf,
       {"org:read", "project:read", "enterprise:read", "problem:read", "problem:write", "node:progress"}},
      {"enterprise", "企业", DataScope::kSelf, {"project:read", "enterprise:read", "problem:read", "problem:write"}},
      {"readonly", "只读", DataScope::kUnitAndBelow,
       {"org:read", "user:read", "project:read", "enterprise:read", "problem:read"}},
  };
  return kRoles;
}

const BuiltinRole* FindBuiltinRole(std::string_view code) {
  for (const auto& r : BuiltinRoles()) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

}  // namespace zb::domain
