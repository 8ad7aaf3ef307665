-- wrk script: GET /api/v1/problems as the 问题台账 page asks for it (the
-- status tabs' counts and facets come with the unfiltered page), rotating
-- over typical filters: status, unit, overdue, category, keyword, flags,
-- sorts and pages. ZB_COOKIE (environment) is the signed-in session
-- ("zb_session=…"); ZB_UNIT an org unit id for the unit filter (default 2).
wrk.headers["Cookie"] = os.getenv("ZB_COOKIE") or ""
local unit = os.getenv("ZB_UNIT") or "2"
local queries = {
  "/api/v1/problems",
  "/api/v1/problems?status=in_progress&page=3",
  "/api/v1/problems?status=assigned,in_progress&sort=deadline",
  "/api/v1/problems?org_unit_id=" .. unit .. "&sort=-raised_on",
  "/api/v1/problems?overdue=true&sort=-overdue_days",
  "/api/v1/problems?category=land&status=resolved,closed&page=2",
  "/api/v1/problems?q=" .. "%E4%BE%9B%E7%94%B5",  -- 供电
  "/api/v1/problems?supervised=true",
  "/api/v1/problems?escalated=true&level=county",
  "/api/v1/problems?sort=code&page=50",
}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", queries[(counter % #queries) + 1])
end
